/** Reading an item typed by PMO staff into the bank's shape, with messages that say what to fix. */
import type { FieldError } from '../../platform/errors.ts'
import type { ItemKind, ItemOption } from './online-test.tables.ts'

export interface ItemForm {
  code: string
  kind: string
  promptId: string
  promptEn: string
  /** One option a line: "Indonesian | English". */
  options: string
  /** 1-based; ability items only. */
  correct: string
}

export type ParsedItem = { code: string; kind: ItemKind; promptId: string; promptEn: string; options: ItemOption[]; correctOption: number | null }

export function parseItemForm(f: ItemForm): { ok: true; item: ParsedItem } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = []
  const code = f.code.trim().toUpperCase()
  if (!/^[A-Z0-9-]{2,20}$/.test(code)) fields.push({ field: 'code', id: 'Kode 2–20 huruf/angka, contoh N05.', en: 'Code of 2–20 letters/digits, e.g. N05.' })
  const kind = f.kind as ItemKind
  if (!['motivation', 'numeracy', 'literacy'].includes(kind)) fields.push({ field: 'kind', id: 'Pilih jenis soal.', en: 'Choose the kind of question.' })
  if (f.promptId.trim().length < 5) fields.push({ field: 'promptId', id: 'Tulis pertanyaan dalam Bahasa Indonesia.', en: 'Write the question in Indonesian.' })
  if (f.promptEn.trim().length < 5) fields.push({ field: 'promptEn', id: 'Tulis pertanyaan dalam bahasa Inggris.', en: 'Write the question in English.' })
  const lines = f.options.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const options: ItemOption[] = []
  for (const [i, line] of lines.entries()) {
    const [id, en] = line.split('|').map((x) => x.trim())
    if (!id || !en) {
      fields.push({ field: 'options', id: `Baris ${i + 1}: tulis "Bahasa Indonesia | English".`, en: `Line ${i + 1}: write "Indonesian | English".` })
      break
    }
    options.push(kind === 'motivation' ? { id, en, weight: Math.round((3 * i) / Math.max(lines.length - 1, 1)) } : { id, en })
  }
  if (lines.length < 2 || lines.length > 5) fields.push({ field: 'options', id: 'Tulis 2 sampai 5 pilihan jawaban, satu per baris.', en: 'Write 2 to 5 answers, one a line.' })
  let correctOption: number | null = null
  if (kind !== 'motivation') {
    const n = Number(f.correct)
    if (!Number.isInteger(n) || n < 1 || n > lines.length) fields.push({ field: 'correct', id: `Nomor jawaban benar antara 1 dan ${lines.length || 1}.`, en: `The right answer is a number from 1 to ${lines.length || 1}.` })
    else correctOption = n - 1
  }
  if (fields.length > 0) return { ok: false, fields }
  return { ok: true, item: { code, kind, promptId: f.promptId.trim(), promptEn: f.promptEn.trim(), options, correctOption } }
}
