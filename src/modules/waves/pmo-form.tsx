/** The wave form PMO fills in (create, and edit while a draft), and its round trip to text. */
import Html from '@kitajs/html'
import type { FieldError } from '../../platform/errors.ts'
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { Field } from '../../web/forms.tsx'
import { Select } from '../../web/choices.tsx'
import { asScheme } from './scheme.ts'
import { quotaLines, toWibInput, type WaveForm } from './wave-form.ts'
import type * as repo from './waves.repository.ts'
import { SCHEME_LABELS } from './waves.texts.ts'

const T = {
  code: { id: 'Kode', en: 'Code' },
  name: { id: 'Nama', en: 'Name' },
  opensAt: { id: 'Dibuka (WIB)', en: 'Opens (WIB)' },
  closesAt: { id: 'Ditutup (WIB)', en: 'Closes (WIB)' },
  wibHint: { id: 'Waktu Indonesia Barat, contoh 2026-12-01T08:00', en: 'Western Indonesian Time, e.g. 2026-12-01T08:00' },
  national: { id: 'Kuota nasional', en: 'National quota' },
  quotas: { id: 'Kuota per provinsi atau kabupaten/kota', en: 'Quotas per province or regency' },
  quotasHint: {
    id: 'Satu baris per wilayah: kode=kuota, contoh 13=2000 atau 13.06=500. Kuota kabupaten/kota berdiri sendiri (tidak termasuk kuota provinsinya); jumlah semuanya tidak boleh melebihi kuota nasional. Sisanya untuk wilayah lain.',
    en: 'One line per area: code=quota, e.g. 13=2000 or 13.06=500. A regency quota stands on its own (outside its province\'s); together they may not exceed the national quota. The rest goes to other areas.',
  },
  preset: { id: 'Skema manfaat', en: 'Benefit scheme' },
  presetHint: { id: 'Angka yang dikosongkan memakai angka skema yang dipilih.', en: 'Numbers left empty take the chosen scheme\'s values.' },
  custom: { id: 'Isian sendiri', en: 'Own numbers' },
  choose: { id: '— pilih —', en: '— choose —' },
  keep: { id: '— sesuai skema —', en: '— as the scheme —' },
  yes: { id: 'Ya', en: 'Yes' },
  no: { id: 'Tidak', en: 'No' },
} satisfies Record<string, Text>

type WaveRow = NonNullable<Awaited<ReturnType<typeof repo.findWave>>>

export function formFromWave(w: WaveRow, quotas: Array<{ area_code: string; quota: number }>): WaveForm {
  const s = asScheme(w.scheme)
  const preset = s.preset === 'custom' ? 'custom' : s.preset
  const n = (v: number) => (preset === 'custom' ? String(v) : '')
  return {
    code: w.code,
    name: w.name,
    opensAt: toWibInput(w.opens_at),
    closesAt: toWibInput(w.closes_at),
    nationalQuota: String(w.national_quota),
    quotas: quotaLines(quotas),
    preset,
    trainingBalance: n(s.trainingBalance),
    incentiveAmount: n(s.incentiveAmount),
    incentiveCount: n(s.incentiveCount),
    surveyIncentiveAmount: n(s.surveyIncentiveAmount),
    surveyCount: n(s.surveyCount),
    firstPurchaseDays: n(s.firstPurchaseDays),
    maxPerKk: n(s.maxPerKk),
    balanceExpiresOn: s.balanceExpiresOn ?? '',
    excludeOtherProgrammes: preset === 'custom' ? (s.excludeOtherProgrammes ? 'ya' : 'tidak') : '',
  }
}

export function formFromBody(b: Record<string, string>): WaveForm {
  const keys = ['code', 'name', 'opensAt', 'closesAt', 'nationalQuota', 'quotas', 'preset', 'trainingBalance', 'incentiveAmount', 'incentiveCount', 'surveyIncentiveAmount', 'surveyCount', 'firstPurchaseDays', 'maxPerKk', 'balanceExpiresOn', 'excludeOtherProgrammes'] as const
  return Object.fromEntries(keys.map((k) => [k, b[k] ?? ''])) as unknown as WaveForm
}

export function WaveFormFields({ l, v, errors }: { l: Locale; v: WaveForm; errors: readonly FieldError[] }): JSX.Element {
  const quotaError = errors.find((e) => e.field === 'quotas')
  const numbers = ['trainingBalance', 'incentiveAmount', 'incentiveCount', 'surveyIncentiveAmount', 'surveyCount', 'firstPurchaseDays', 'maxPerKk'] as const
  return (
    <>
      <Field locale={l} name="code" label={tr(l, T.code)} value={v.code} errors={errors} />
      <Field locale={l} name="name" label={tr(l, T.name)} value={v.name} errors={errors} />
      <Field locale={l} name="opensAt" type="datetime-local" label={tr(l, T.opensAt)} hint={tr(l, T.wibHint)} value={v.opensAt} errors={errors} />
      <Field locale={l} name="closesAt" type="datetime-local" label={tr(l, T.closesAt)} hint={tr(l, T.wibHint)} value={v.closesAt} errors={errors} />
      <Field locale={l} name="nationalQuota" inputmode="numeric" label={tr(l, T.national)} value={v.nationalQuota} errors={errors} />
      <div class={quotaError ? 'has-error' : ''}>
        <label for="quotas" safe>
          {tr(l, T.quotas)}
        </label>
        <span class="hint" id="quotas-hint" safe>
          {tr(l, T.quotasHint)}
        </span>
        {errors
          .filter((e) => e.field === 'quotas')
          .map((e) => (
            <span class="field-error" safe>
              {e[l]}
            </span>
          ))}
        <textarea id="quotas" name="quotas" rows="6" aria-describedby="quotas-hint" safe>
          {v.quotas}
        </textarea>
      </div>
      <Select
        locale={l}
        name="preset"
        label={tr(l, T.preset)}
        hint={tr(l, T.presetHint)}
        options={[
          { value: '2020', label: '2020' },
          { value: '2023', label: '2023' },
          { value: 'custom', label: tr(l, T.custom) },
        ]}
        value={v.preset ?? ''}
        placeholder={tr(l, T.choose)}
        errors={errors}
      />
      {numbers.map((k) => (
        <Field locale={l} name={k} inputmode="numeric" label={tr(l, SCHEME_LABELS[k])} value={v[k] ?? ''} errors={errors} />
      ))}
      <Field locale={l} name="balanceExpiresOn" label={tr(l, SCHEME_LABELS.balanceExpiresOn)} value={v.balanceExpiresOn ?? ''} errors={errors} />
      <Select
        locale={l}
        name="excludeOtherProgrammes"
        label={tr(l, SCHEME_LABELS.excludeOtherProgrammes)}
        options={[
          { value: 'ya', label: tr(l, T.yes) },
          { value: 'tidak', label: tr(l, T.no) },
        ]}
        value={v.excludeOtherProgrammes ?? ''}
        placeholder={tr(l, T.keep)}
        errors={errors}
      />
    </>
  )
}

