/**
 * The evaluation surveys (issue #7), defined in code: the course evaluation after every
 * completed course, and the post-programme survey once, on the first completed course (the
 * one the incentive is paid for). Ids carry a version: a changed question set is a new
 * survey, so old answers keep their meaning. Pure: the questions and the answer check.
 */
import type { FieldError } from '../../platform/errors.ts'
import type { Text } from '../../platform/i18n/index.ts'

export type Question =
  | { readonly key: string; readonly kind: 'scale'; readonly text: Text; readonly low: Text; readonly high: Text }
  | { readonly key: string; readonly kind: 'choice'; readonly text: Text; readonly options: ReadonlyArray<{ value: string; text: Text }> }
  | { readonly key: string; readonly kind: 'text'; readonly text: Text; readonly optional: boolean }

export interface Survey {
  readonly id: SurveyId
  /** course: after each completed course; programme: once, on the first one. */
  readonly scope: 'course' | 'programme'
  readonly title: Text
  readonly intro: Text
  readonly questions: readonly Question[]
}

export type SurveyId = 'evaluasi-pelatihan-v1' | 'pasca-program-v1'

const DISAGREE = { id: 'sangat tidak setuju', en: 'strongly disagree' }
const AGREE = { id: 'sangat setuju', en: 'strongly agree' }

export const SURVEYS: Record<SurveyId, Survey> = {
  'evaluasi-pelatihan-v1': {
    id: 'evaluasi-pelatihan-v1',
    scope: 'course',
    title: { id: 'Survei evaluasi pelatihan', en: 'Course evaluation survey' },
    intro: { id: 'Lima pertanyaan tentang pelatihan ini, sekitar dua menit. Jawaban Anda membantu PMO menilai lembaga pelatihan.', en: 'Five questions about this course, about two minutes. Your answers help the programme office assess training providers.' },
    questions: [
      { key: 'relevance', kind: 'scale', text: { id: 'Materi pelatihan sesuai dengan kebutuhan saya.', en: 'The course content matched my needs.' }, low: DISAGREE, high: AGREE },
      { key: 'quality', kind: 'scale', text: { id: 'Materi dan pengajarnya berkualitas baik.', en: 'The material and the trainer were of good quality.' }, low: DISAGREE, high: AGREE },
      { key: 'delivery', kind: 'scale', text: { id: 'Sesi berjalan lancar (jadwal, tempat atau aplikasi, komunikasi).', en: 'The sessions ran smoothly (schedule, venue or app, communication).' }, low: DISAGREE, high: AGREE },
      { key: 'usefulness', kind: 'scale', text: { id: 'Yang saya pelajari berguna untuk pekerjaan atau usaha saya.', en: 'What I learned is useful for my work or business.' }, low: DISAGREE, high: AGREE },
      { key: 'recommend', kind: 'scale', text: { id: 'Saya akan menyarankan pelatihan ini kepada orang lain.', en: 'I would recommend this course to others.' }, low: DISAGREE, high: AGREE },
      { key: 'comment', kind: 'text', optional: true, text: { id: 'Saran untuk lembaga pelatihan (boleh kosong)', en: 'Suggestions for the provider (optional)' } },
    ],
  },
  'pasca-program-v1': {
    id: 'pasca-program-v1',
    scope: 'programme',
    title: { id: 'Survei pasca-program', en: 'Post-programme survey' },
    intro: { id: 'Sekali saja, setelah pelatihan pertama Anda selesai: bagaimana program ini bagi pekerjaan Anda.', en: 'Once only, after your first course is completed: what the programme did for your work.' },
    questions: [
      {
        key: 'work',
        kind: 'choice',
        text: { id: 'Status pekerjaan Anda sekarang', en: 'Your work status now' },
        options: [
          { value: 'employed', text: { id: 'Bekerja sebagai karyawan', en: 'Employed' } },
          { value: 'business', text: { id: 'Berusaha sendiri', en: 'Self-employed or running a business' } },
          { value: 'looking', text: { id: 'Sedang mencari kerja', en: 'Looking for work' } },
          { value: 'other', text: { id: 'Lainnya (sekolah, mengurus rumah tangga, dll.)', en: 'Other (studying, caring for the household, etc.)' } },
        ],
      },
      { key: 'skills', kind: 'scale', text: { id: 'Program ini menambah keterampilan kerja saya.', en: 'The programme improved my work skills.' }, low: DISAGREE, high: AGREE },
      { key: 'chances', kind: 'scale', text: { id: 'Program ini meningkatkan peluang saya mendapat kerja atau penghasilan.', en: 'The programme improved my chances of work or income.' }, low: DISAGREE, high: AGREE },
      { key: 'comment', kind: 'text', optional: true, text: { id: 'Hal lain yang ingin Anda sampaikan (boleh kosong)', en: 'Anything else you want to tell us (optional)' } },
    ],
  },
}

export function surveyById(id: string): Survey | undefined {
  return Object.hasOwn(SURVEYS, id) ? SURVEYS[id as SurveyId] : undefined
}

export const MAX_TEXT = 1000

export type Answers = Record<string, number | string>

/** The answers as stored, or the fields to fix (named by the question's key). */
export function checkAnswers(survey: Survey, raw: Record<string, string | undefined>): { ok: true; answers: Answers } | { ok: false; fields: FieldError[] } {
  const answers: Answers = {}
  const fields: FieldError[] = []
  for (const q of survey.questions) {
    const v = (raw[q.key] ?? '').trim()
    if (q.kind === 'scale') {
      if (/^[1-5]$/.test(v)) answers[q.key] = Number(v)
      else fields.push({ field: q.key, id: `Pilih 1–5: ${q.text.id}`, en: `Choose 1–5: ${q.text.en}` })
    } else if (q.kind === 'choice') {
      if (q.options.some((o) => o.value === v)) answers[q.key] = v
      else fields.push({ field: q.key, id: `Pilih salah satu: ${q.text.id}`, en: `Choose one: ${q.text.en}` })
    } else if (v.length > MAX_TEXT) fields.push({ field: q.key, id: `Paling banyak ${MAX_TEXT} karakter.`, en: `At most ${MAX_TEXT} characters.` })
    else if (v === '' && !q.optional) fields.push({ field: q.key, id: 'Wajib diisi.', en: 'Required.' })
    else answers[q.key] = v
  }
  return fields.length > 0 ? { ok: false, fields } : { ok: true, answers }
}
