/** One profile step as the officer fills it in: the domicile is fixed to the officer's regency. */
import Html from '@kitajs/html'
import { Layout } from '../../web/layout.tsx'
import type { PageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Radios, Select } from '../../web/choices.tsx'
import { tr, type Text } from '../../platform/i18n/index.ts'
import type { FieldError } from '../../platform/errors.ts'
import { listDistricts, type Regency } from '../regions/index.ts'
import { STEPS, type ProfileView, type Step } from '../registration/index.ts'
import { EDUCATION, EMPLOYMENT } from '../registration/registration.service.ts'
import { formatReference } from './slip-codes.ts'
import { STEP_TITLES, T } from './assisted-texts.ts'
import type { RegistrationRow } from './assisted.repository.ts'

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

export function stepPage(
  ctx: PageContext,
  person: RegistrationRow,
  region: Regency,
  step: Step,
  view: ProfileView,
  typed: Record<string, string> | null,
  fields: readonly FieldError[],
  message: string | null,
): JSX.Element {
  const l = ctx.locale
  const v = { ...view.values, ...(view.drafts[step] ?? {}), ...(typed ?? {}) }
  const f = (name: string, label: Text, extra: { type?: string; inputmode?: string } = {}) => (
    <Field locale={l} name={name} label={tr(l, label)} value={v[name] ?? ''} autocomplete="off" errors={fields} {...extra} />
  )
  let body: JSX.Element
  if (step === 'identitas') {
    body = (
      <>
        {f('nik', { id: 'NIK (16 angka di KTP)', en: 'NIK (16 digits on the ID card)' }, { inputmode: 'numeric' })}
        {f('dateOfBirth', { id: 'Tanggal lahir', en: 'Date of birth' }, { type: 'date' })}
        <Radios
          locale={l}
          name="sex"
          legend={tr(l, { id: 'Jenis kelamin (sesuai KTP)', en: 'Sex (as on the ID card)' })}
          value={v.sex ?? ''}
          errors={fields}
          options={[
            { value: 'F', label: tr(l, { id: 'Perempuan', en: 'Female' }) },
            { value: 'M', label: tr(l, { id: 'Laki-laki', en: 'Male' }) },
          ]}
        />
      </>
    )
  } else if (step === 'keluarga') {
    body = f('kk', { id: 'Nomor KK (16 angka di bagian atas Kartu Keluarga)', en: 'KK number (16 digits at the top of the family card)' }, { inputmode: 'numeric' })
  } else if (step === 'alamat') {
    const districts = listDistricts(region.code).map((d) => ({ value: d.code, label: d.name }))
    body = (
      <>
        {f('fullName', T.fullName)}
        {f('addressLine', { id: 'Alamat (jalan, nomor, dusun/kampung)', en: 'Address (street, number, hamlet)' })}
        {f('rt', { id: 'RT', en: 'RT (neighbourhood unit)' }, { inputmode: 'numeric' })}
        {f('rw', { id: 'RW', en: 'RW (community unit)' }, { inputmode: 'numeric' })}
        <input type="hidden" name="provinceCode" value={region.provinceCode} />
        <input type="hidden" name="regencyCode" value={region.code} />
        <p id="regencyCode">
          <span safe>{tr(l, T.regency)}</span>: <strong safe>{region.name}</strong>
        </p>
        <Select locale={l} name="districtCode" label={tr(l, T.district)} options={districts} value={v.districtCode ?? ''} placeholder={tr(l, T.choose)} errors={fields} />
      </>
    )
  } else {
    body = (
      <>
        <Select
          locale={l}
          name="education"
          label={tr(l, { id: 'Pendidikan terakhir', en: 'Highest education' })}
          options={EDUCATION.map((e) => ({ value: e, label: tr(l, EDUCATION_LABELS[e]) }))}
          value={v.education ?? ''}
          placeholder={tr(l, T.choose)}
          errors={fields}
        />
        <Radios
          locale={l}
          name="employmentStatus"
          legend={tr(l, { id: 'Status pekerjaan sekarang', en: 'Work status now' })}
          value={v.employmentStatus ?? ''}
          errors={fields}
          options={EMPLOYMENT.map((e) => ({ value: e, label: tr(l, EMPLOYMENT_LABELS[e]) }))}
        />
        <Radios
          locale={l}
          name="inFormalEducation"
          legend={tr(l, { id: 'Apakah ia sedang sekolah atau kuliah?', en: 'Are they in school or university now?' })}
          value={v.inFormalEducation ?? ''}
          errors={fields}
          options={[
            { value: 'ya', label: tr(l, { id: 'Ya', en: 'Yes' }) },
            { value: 'tidak', label: tr(l, { id: 'Tidak', en: 'No' }) },
          ]}
        />
      </>
    )
  }
  const base = `/petugas/orang/${person.account_id}`
  return (
    <Layout ctx={ctx} title={tr(l, STEP_TITLES[step])}>
      <ErrorSummary locale={l} message={message} fields={fields} />
      <p class="muted" safe>
        {`${person.display_name} · ${formatReference(person.reference)} · ${STEPS.indexOf(step) + 1} / ${STEPS.length}`}
      </p>
      <h1 safe>{tr(l, STEP_TITLES[step])}</h1>
      <form method="post" action={`${base}/profil/${step}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {body}
        <p>
          <button type="submit" safe>
            {tr(l, T.save)}
          </button>
        </p>
      </form>
      <p>
        <a href={base} safe>
          {tr(l, T.back)}
        </a>
      </p>
    </Layout>
  )
}
