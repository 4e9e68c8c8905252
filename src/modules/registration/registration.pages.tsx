import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, type PageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Radios, Select } from '../../web/choices.tsx'
import { tr, type Text } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { listDistricts, listProvinces, listRegencies } from '../regions/index.ts'
import { EDUCATION, EMPLOYMENT, profileView, saveAddress, saveEducation, saveFamily, saveIdentity, type ProfileView, type RegistrationDeps, type StepResult } from './registration.service.ts'
import { STEPS, type Step } from './registration.tables.ts'
import { checkStatus } from './checks.service.ts'
import { ChecksSection } from './checks.view.tsx'

const STEP_TITLES: Record<Step, Text> = {
  identitas: { id: 'NIK dan tanggal lahir', en: 'NIK and date of birth' },
  keluarga: { id: 'Nomor Kartu Keluarga (KK)', en: 'Family card (KK) number' },
  alamat: { id: 'Nama dan alamat domisili', en: 'Name and home address' },
  pendidikan: { id: 'Pendidikan dan pekerjaan', en: 'Education and work' },
}

const T = {
  title: { id: 'Data diri', en: 'Your details' },
  intro: {
    id: 'Empat langkah. Setiap langkah tersimpan begitu Anda menekan "Simpan", jadi jika sinyal putus atau HP mati, lanjutkan saja nanti dari sini.',
    en: 'Four steps. Each is saved the moment you press "Save", so if the signal drops or the phone dies, just carry on from here later.',
  },
  done: { id: 'Selesai', en: 'Done' },
  draft: { id: 'Tersimpan sebagai draf, perlu diperbaiki', en: 'Saved as a draft, needs fixing' },
  todo: { id: 'Belum diisi', en: 'Not started' },
  complete: { id: 'Data diri lengkap. Berikutnya data Anda diperiksa ke Dukcapil dan daftar pengecualian.', en: 'Your details are complete. Next, they are checked with the civil registry and exclusion lists.' },
  student: {
    id: 'Anda menjawab sedang sekolah atau kuliah. Program ini untuk yang tidak sedang menempuh pendidikan formal; Anda bisa mengubah jawaban bila keadaan Anda berubah.',
    en: 'You said you are in school or university. The programme is for people not in formal education; change the answer when that changes.',
  },
  save: { id: 'Simpan dan lanjut', en: 'Save and continue' },
  saved: { id: 'Tersimpan.', en: 'Saved.' },
  back: { id: 'Kembali ke daftar langkah', en: 'Back to the steps' },
  nik: { id: 'NIK (16 angka di KTP)', en: 'NIK (16 digits on your ID card)' },
  dob: { id: 'Tanggal lahir', en: 'Date of birth' },
  sex: { id: 'Jenis kelamin (sesuai KTP)', en: 'Sex (as on your ID card)' },
  female: { id: 'Perempuan', en: 'Female' },
  male: { id: 'Laki-laki', en: 'Male' },
  kk: { id: 'Nomor KK (16 angka di bagian atas Kartu Keluarga)', en: 'KK number (16 digits at the top of the family card)' },
  fullName: { id: 'Nama lengkap sesuai KTP', en: 'Full name as on your ID card' },
  addressLine: { id: 'Alamat (jalan, nomor, dusun/kampung)', en: 'Address (street, number, hamlet)' },
  province: { id: 'Provinsi domisili', en: 'Province where you live' },
  regency: { id: 'Kabupaten/kota domisili', en: 'Regency or city where you live' },
  district: { id: 'Kecamatan domisili', en: 'District where you live' },
  choose: { id: '— pilih —', en: '— choose —' },
  chooseFirst: { id: 'Pilih provinsi lalu tekan Simpan untuk melihat daftar kabupaten/kota; begitu juga kecamatan.', en: 'Choose the province and press Save to see its regencies; the same for districts.' },
  education: { id: 'Pendidikan terakhir', en: 'Highest education' },
  employment: { id: 'Status pekerjaan sekarang', en: 'Work status now' },
  formal: { id: 'Apakah Anda sedang sekolah atau kuliah?', en: 'Are you in school or university now?' },
  yes: { id: 'Ya', en: 'Yes' },
  no: { id: 'Tidak', en: 'No' },
  documents: { id: 'Dokumen', en: 'Documents' },
  documentsLink: { id: 'Unggah foto KTP dan swafoto', en: 'Upload your KTP photo and a selfie' },
}

const EDUCATION_LABELS: Record<(typeof EDUCATION)[number], Text> = {
  tidak_sekolah: { id: 'Tidak/belum sekolah', en: 'No schooling' },
  sd: { id: 'SD/sederajat', en: 'Primary school' },
  smp: { id: 'SMP/sederajat', en: 'Junior secondary' },
  sma: { id: 'SMA/SMK/sederajat', en: 'Senior secondary or vocational' },
  diploma: { id: 'Diploma (D1–D4)', en: 'Diploma (D1–D4)' },
  sarjana: { id: 'Sarjana (S1)', en: "Bachelor's degree" },
  pascasarjana: { id: 'Pascasarjana (S2/S3)', en: 'Postgraduate' },
}
const EMPLOYMENT_LABELS: Record<(typeof EMPLOYMENT)[number], Text> = {
  tidak_bekerja: { id: 'Belum/tidak bekerja', en: 'Not working' },
  phk: { id: 'Terkena PHK', en: 'Laid off' },
  bekerja: { id: 'Bekerja (karyawan/buruh)', en: 'Employed' },
  usaha_sendiri: { id: 'Berusaha sendiri (UMKM, tani, ternak)', en: 'Self-employed (small business, farming, livestock)' },
  pekerja_lepas: { id: 'Pekerja lepas/serabutan', en: 'Casual or freelance work' },
}

const Form = Type.Record(Type.String(), Type.String({ maxLength: 300 }))
const StepParam = Type.Object({ step: Type.Union(STEPS.map((s) => Type.Literal(s))) })

function stepForm(ctx: PageContext, step: Step, view: ProfileView, typed: Record<string, string> | null, fields: readonly FieldError[], message: string | null): JSX.Element {
  const l = ctx.locale
  const v = { ...view.values, ...(view.drafts[step] ?? {}), ...(typed ?? {}) }
  const f = (name: string, label: Text, extra: { type?: string; inputmode?: string; autocomplete?: string; hint?: string } = {}) => (
    <Field locale={l} name={name} label={tr(l, label)} value={v[name] ?? ''} errors={fields} {...extra} />
  )
  let body: JSX.Element
  if (step === 'identitas') {
    body = (
      <>
        {f('nik', T.nik, { inputmode: 'numeric', autocomplete: 'off' })}
        {f('dateOfBirth', T.dob, { type: 'date', autocomplete: 'bday' })}
        <Radios locale={l} name="sex" legend={tr(l, T.sex)} value={v.sex ?? ''} errors={fields} options={[{ value: 'F', label: tr(l, T.female) }, { value: 'M', label: tr(l, T.male) }]} />
      </>
    )
  } else if (step === 'keluarga') {
    body = f('kk', T.kk, { inputmode: 'numeric', autocomplete: 'off' })
  } else if (step === 'alamat') {
    const provinces = listProvinces().map((p) => ({ value: p.code, label: p.name }))
    const regencies = v.provinceCode ? listRegencies(v.provinceCode).map((r) => ({ value: r.code, label: r.name })) : []
    const districts = v.regencyCode && regencies.some((r) => r.value === v.regencyCode) ? listDistricts(v.regencyCode).map((d) => ({ value: d.code, label: d.name })) : []
    body = (
      <>
        {f('fullName', T.fullName, { autocomplete: 'name' })}
        {f('addressLine', T.addressLine, { autocomplete: 'street-address' })}
        {f('rt', { id: 'RT', en: 'RT (neighbourhood unit)' }, { inputmode: 'numeric' })}
        {f('rw', { id: 'RW', en: 'RW (community unit)' }, { inputmode: 'numeric' })}
        <p class="hint" safe>
          {tr(l, T.chooseFirst)}
        </p>
        <Select locale={l} name="provinceCode" label={tr(l, T.province)} options={provinces} value={v.provinceCode ?? ''} placeholder={tr(l, T.choose)} errors={fields} />
        {regencies.length > 0 ? <Select locale={l} name="regencyCode" label={tr(l, T.regency)} options={regencies} value={v.regencyCode ?? ''} placeholder={tr(l, T.choose)} errors={fields} /> : ''}
        {districts.length > 0 ? <Select locale={l} name="districtCode" label={tr(l, T.district)} options={districts} value={v.districtCode ?? ''} placeholder={tr(l, T.choose)} errors={fields} /> : ''}
      </>
    )
  } else {
    body = (
      <>
        <Select locale={l} name="education" label={tr(l, T.education)} options={EDUCATION.map((e) => ({ value: e, label: tr(l, EDUCATION_LABELS[e]) }))} value={v.education ?? ''} placeholder={tr(l, T.choose)} errors={fields} />
        <Radios locale={l} name="employmentStatus" legend={tr(l, T.employment)} value={v.employmentStatus ?? ''} errors={fields} options={EMPLOYMENT.map((e) => ({ value: e, label: tr(l, EMPLOYMENT_LABELS[e]) }))} />
        <Radios locale={l} name="inFormalEducation" legend={tr(l, T.formal)} value={v.inFormalEducation ?? ''} errors={fields} options={[{ value: 'ya', label: tr(l, T.yes) }, { value: 'tidak', label: tr(l, T.no) }]} />
      </>
    )
  }
  return (
    <Layout ctx={ctx} title={tr(l, STEP_TITLES[step])}>
      <ErrorSummary locale={l} message={message} fields={fields} />
      <p class="muted" safe>
        {`${STEPS.indexOf(step) + 1} / ${STEPS.length}`}
      </p>
      <h1 safe>{tr(l, STEP_TITLES[step])}</h1>
      <form method="post" action={`/profil/${step}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {body}
        <p>
          <button type="submit" safe>
            {tr(l, T.save)}
          </button>
        </p>
      </form>
      <p>
        <a href="/profil" safe>
          {tr(l, T.back)}
        </a>
      </p>
    </Layout>
  )
}

export function registerRegistrationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const rdeps: RegistrationDeps = { db: deps.database.db, clock: deps.clock, identity: deps.identity, jobs: deps.jobs }
  const devMailbox = deps.config.mail.devMailbox
  const access = { access: ['participant'] as const }

  app.get('/profil', { config: access, schema: { hide: true, querystring: Type.Object({ tersimpan: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const view = await profileView(rdeps, req.account!.id)
    const checks = await checkStatus(rdeps.db, req.account!.id)
    const saved = (req.query as { tersimpan?: string }).tersimpan
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        {saved ? (
          <p class="notice" role="status" safe>
            {tr(l, T.saved)}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {view.completedAt ? (
          <p class="notice" safe>
            {tr(l, T.complete)}
          </p>
        ) : (
          ''
        )}
        {view.inFormalEducation ? (
          <p class="notice" safe>
            {tr(l, T.student)}
          </p>
        ) : (
          ''
        )}
        <ol class="steps">
          {STEPS.map((s) => (
            <li>
              <a href={`/profil/${s}`} safe>
                {tr(l, STEP_TITLES[s])}
              </a>
              <span class={view.stepsDone.includes(s) ? 'status ok' : 'status'} safe>
                {tr(l, view.stepsDone.includes(s) ? T.done : view.drafts[s] ? T.draft : T.todo)}
              </span>
            </li>
          ))}
        </ol>
        {view.nextStep ? (
          <p>
            <a class="button" href={`/profil/${view.nextStep}`} safe>
              {tr(l, STEP_TITLES[view.nextStep])}
            </a>
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.documents)}</h2>
        <p>
          <a href="/dokumen" safe>
            {tr(l, T.documentsLink)}
          </a>
        </p>
        {view.completedAt ? <ChecksSection locale={l} status={checks} /> : ''}
      </Layout>,
    )
  })

  app.get('/profil/:step', { config: access, schema: { hide: true, params: StepParam } }, async (req, reply) => {
    const { step } = req.params as { step: Step }
    const view = await profileView(rdeps, req.account!.id)
    return sendPage(reply, await stepForm(pageContext(req, reply, { devMailbox }), step, view, null, [], null))
  })

  app.post('/profil/:step', { config: access, schema: { hide: true, params: StepParam, body: Form } }, async (req: FastifyRequest, reply) => {
    const { step } = req.params as { step: Step }
    const b = req.body as Record<string, string>
    const accountId = req.account!.id
    const s = (k: string) => b[k] ?? ''
    let result: StepResult
    try {
      if (step === 'identitas') result = await saveIdentity(rdeps, accountId, { nik: s('nik'), dateOfBirth: s('dateOfBirth'), sex: s('sex') }, req.ip)
      else if (step === 'keluarga') result = await saveFamily(rdeps, accountId, { kk: s('kk') })
      else if (step === 'alamat') {
        result = await saveAddress(rdeps, accountId, {
          fullName: s('fullName'),
          addressLine: s('addressLine'),
          rt: s('rt'),
          rw: s('rw'),
          provinceCode: s('provinceCode'),
          regencyCode: s('regencyCode'),
          districtCode: s('districtCode'),
        })
      } else result = await saveEducation(rdeps, accountId, { education: s('education'), employmentStatus: s('employmentStatus'), inFormalEducation: s('inFormalEducation') })
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'NIK_TAKEN', 'STEP_ORDER'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      const view = await profileView(rdeps, accountId)
      const { _csrf: _drop, ...typed } = b
      return sendPage(reply, await stepForm(ctx, step, view, typed, err.fields, errorMessage(err.code, ctx.locale)))
    }
    // The steps done come back from the save itself: no second read of the profile.
    const nextStep = STEPS.find((x) => !result.stepsDone.includes(x))
    return reply.redirect(nextStep ? `/profil/${nextStep}` : '/profil?tersimpan=1', 303)
  })
}
