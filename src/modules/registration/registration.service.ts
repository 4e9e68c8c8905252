/**
 * The profile in four steps, each saved the moment it is submitted: valid values into the
 * profile, what did not pass yet into a draft shown again, and every submission into the
 * append-only history. NIK and KK are sealed before they reach the database.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { insertFraudSignal } from '../accounts/index.ts'
import { getDistrict, getProvince, getRegency } from '../regions/index.ts'
import { checkNik, type Sex } from './nik.ts'
import { checkKk } from './kk.ts'
import { checkAge } from './age.ts'
import { todayInJakarta } from './dates.ts'
import * as repo from './registration.repository.ts'
import { enqueueChecks } from './checks.service.ts'
import { STEPS, type Step } from './registration.tables.ts'

export interface RegistrationDeps {
  db: Db
  clock: Clock
  identity: IdentityCipher
  jobs: Jobs
}

export const EDUCATION = ['sd', 'smp', 'sma', 'diploma', 'sarjana', 'pascasarjana', 'tidak_sekolah'] as const
export const EMPLOYMENT = ['tidak_bekerja', 'phk', 'bekerja', 'usaha_sendiri', 'pekerja_lepas'] as const

export type StepResult = { saved: true; done: boolean; completed: boolean; stepsDone: Step[] }

function invalid(fields: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', { fields })
}

async function save(
  deps: RegistrationDeps,
  accountId: string,
  step: Step,
  patch: repo.ProfilePatch,
  opts: { done: boolean; draft: Record<string, string> | null; history: Record<string, unknown> },
): Promise<StepResult> {
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const stepsDone = await repo.saveStep(trx, accountId, step, patch, { done: opts.done, draft: opts.draft, now, history: { ...opts.history, accepted: opts.done } })
    // Completion and the checks need all four steps done; before then both would be no-ops.
    const all = STEPS.every((s) => stepsDone.includes(s))
    const completed = opts.done && all ? await repo.markCompleted(trx, accountId, now) : false
    // On completion and on every accepted edit of a completed profile.
    if (opts.done && all) await enqueueChecks(trx, deps.jobs, accountId, now)
    return { saved: true, done: opts.done, completed, stepsDone }
  })
}

export async function saveIdentity(
  deps: RegistrationDeps,
  accountId: string,
  input: { nik: string; dateOfBirth: string; sex: string },
  ip: string,
): Promise<StepResult> {
  const sex = input.sex === 'F' || input.sex === 'M' ? (input.sex as Sex) : undefined
  const sealedTyped = input.nik.trim() ? deps.identity.encrypt(input.nik.trim()) : ''
  const draft = { nik_sealed: sealedTyped, dateOfBirth: input.dateOfBirth, sex: input.sex }
  const history = { nik_sealed: sealedTyped, dateOfBirth: input.dateOfBirth, sex: input.sex }
  const fields: FieldError[] = []
  if (!sex) fields.push({ field: 'sex', id: 'Pilih jenis kelamin sesuai KTP.', en: 'Choose your sex as on your ID card.' })
  const today = todayInJakarta(deps.clock.now())
  const check = checkNik(input.nik, { dateOfBirth: input.dateOfBirth, ...(sex ? { sex } : {}), today })
  if (!check.ok) fields.push(...check.problems.map((p) => ({ field: p.field, id: p.id, en: p.en })))
  else {
    const age = checkAge(check.birthDate, today)
    if (!age.ok) fields.push({ field: 'dateOfBirth', id: age.problem.id, en: age.problem.en })
  }
  if (fields.length > 0 || !check.ok) {
    await save(deps, accountId, 'identitas', {}, { done: false, draft, history })
    throw invalid(fields)
  }
  const nikHash = deps.identity.lookupHash(check.nik)
  const owner = await repo.findAccountByNikHash(deps.db, nikHash)
  if (owner && owner !== accountId) {
    await transaction(deps.db, async (trx) => {
      await repo.appendHistory(trx, accountId, 'identitas', { ...history, accepted: false, reason: 'nik_taken' }, deps.clock.now())
      await insertFraudSignal(trx, { kind: 'nik_reused', accountId, details: { nikHash, registeredTo: owner }, ip, at: deps.clock.now() })
    })
    throw new AppError('NIK_TAKEN', { fields: [{ field: 'nik', id: 'NIK ini sudah terdaftar di akun lain.', en: 'This NIK is registered to another account.' }] })
  }
  return save(
    deps,
    accountId,
    'identitas',
    { nik_sealed: deps.identity.encrypt(check.nik), nik_hash: nikHash, birth_date: check.birthDate, sex: check.sex },
    { done: true, draft: null, history },
  )
}

export async function saveFamily(deps: RegistrationDeps, accountId: string, input: { kk: string }): Promise<StepResult> {
  const profile = await repo.findProfile(deps.db, accountId)
  if (!profile?.nik_sealed || !profile.steps_done.includes('identitas')) throw new AppError('STEP_ORDER')
  const nik = deps.identity.decrypt(profile.nik_sealed)
  const sealedTyped = input.kk.trim() ? deps.identity.encrypt(input.kk.trim()) : ''
  const check = checkKk(input.kk, { nik, today: todayInJakarta(deps.clock.now()) })
  if (!check.ok) {
    await save(deps, accountId, 'keluarga', {}, { done: false, draft: { kk_sealed: sealedTyped }, history: { kk_sealed: sealedTyped } })
    throw invalid(check.problems.map((p) => ({ field: p.field, id: p.id, en: p.en })))
  }
  return save(
    deps,
    accountId,
    'keluarga',
    { kk_sealed: deps.identity.encrypt(check.kk), kk_hash: deps.identity.lookupHash(check.kk) },
    { done: true, draft: null, history: { kk_sealed: sealedTyped } },
  )
}

export interface AddressInput {
  fullName: string
  addressLine: string
  rt: string
  rw: string
  provinceCode: string
  regencyCode: string
  districtCode: string
}

/** Saved even when incomplete: choosing a province is itself a step toward the regency list. */
export async function saveAddress(deps: RegistrationDeps, accountId: string, input: AddressInput): Promise<StepResult> {
  const fields: FieldError[] = []
  const fullName = input.fullName.trim().replace(/\s+/g, ' ')
  if (fullName.length < 2) fields.push({ field: 'fullName', id: 'Isi nama lengkap sesuai KTP.', en: 'Enter your full name as on your ID card.' })
  if (input.addressLine.trim().length < 5) fields.push({ field: 'addressLine', id: 'Isi alamat (jalan, nomor, dusun/kampung).', en: 'Enter your address (street, number, hamlet).' })
  for (const [f, v] of [['rt', input.rt], ['rw', input.rw]] as const) {
    if (!/^\d{1,3}$/.test(v.trim())) fields.push({ field: f, id: `${f.toUpperCase()} diisi angka, contoh 003.`, en: `${f.toUpperCase()} is a number, e.g. 003.` })
  }
  const province = getProvince(input.provinceCode)
  const regency = province ? getRegency(input.regencyCode) : null
  const district = regency && regency.provinceCode === province?.code ? getDistrict(input.districtCode) : null
  if (!province) fields.push({ field: 'provinceCode', id: 'Pilih provinsi domisili.', en: 'Choose the province where you live.' })
  else if (!regency || regency.provinceCode !== province.code) fields.push({ field: 'regencyCode', id: 'Pilih kabupaten/kota domisili.', en: 'Choose the regency or city where you live.' })
  else if (!district || district.regencyCode !== regency.code) fields.push({ field: 'districtCode', id: 'Pilih kecamatan domisili.', en: 'Choose the district where you live.' })
  const patch: repo.ProfilePatch = {
    full_name: fullName || null,
    address_line: input.addressLine.trim() || null,
    rt: input.rt.trim().padStart(3, '0') || null,
    rw: input.rw.trim().padStart(3, '0') || null,
    province_code: province?.code ?? null,
    regency_code: regency && regency.provinceCode === province?.code ? regency.code : null,
    district_code: district && regency && district.regencyCode === regency.code ? district.code : null,
  }
  const done = fields.length === 0
  const result = await save(deps, accountId, 'alamat', patch, { done, draft: null, history: { ...input } })
  if (!done) throw invalid(fields)
  return result
}

export async function saveEducation(
  deps: RegistrationDeps,
  accountId: string,
  input: { education: string; employmentStatus: string; inFormalEducation: string },
): Promise<StepResult> {
  const fields: FieldError[] = []
  if (!(EDUCATION as readonly string[]).includes(input.education)) fields.push({ field: 'education', id: 'Pilih pendidikan terakhir.', en: 'Choose your highest education.' })
  if (!(EMPLOYMENT as readonly string[]).includes(input.employmentStatus)) fields.push({ field: 'employmentStatus', id: 'Pilih status pekerjaan.', en: 'Choose your work status.' })
  if (input.inFormalEducation !== 'ya' && input.inFormalEducation !== 'tidak') {
    fields.push({ field: 'inFormalEducation', id: 'Jawab apakah Anda sedang sekolah atau kuliah.', en: 'Say whether you are in school or university.' })
  }
  const draft = { ...input }
  if (fields.length > 0) {
    await save(deps, accountId, 'pendidikan', {}, { done: false, draft, history: input })
    throw invalid(fields)
  }
  return save(
    deps,
    accountId,
    'pendidikan',
    { education: input.education, employment_status: input.employmentStatus, in_formal_education: input.inFormalEducation === 'ya' },
    { done: true, draft: null, history: input },
  )
}

export interface ProfileView {
  stepsDone: Step[]
  nextStep: Step | null
  completedAt: Date | null
  inFormalEducation: boolean | null
  values: Record<string, string>
  drafts: Partial<Record<Step, Record<string, string>>>
}

/** The owner's own view of the profile, NIK and KK opened for the form. */
export async function profileView(deps: Pick<RegistrationDeps, 'db' | 'clock' | 'identity'>, accountId: string): Promise<ProfileView> {
  const p = await repo.findProfile(deps.db, accountId)
  const open = (sealed: string | null | undefined) => (sealed ? deps.identity.decrypt(sealed) : '')
  const drafts = Object.fromEntries(
    Object.entries(p?.drafts ?? {}).map(([step, d]) => [
      step,
      Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => (k.endsWith('_sealed') ? [k.replace('_sealed', ''), open(v)] : [k, v]))),
    ]),
  ) as ProfileView['drafts']
  const stepsDone = p?.steps_done ?? []
  return {
    stepsDone,
    nextStep: STEPS.find((s) => !stepsDone.includes(s)) ?? null,
    completedAt: p?.completed_at ?? null,
    inFormalEducation: p?.in_formal_education ?? null,
    drafts,
    values: {
      nik: open(p?.nik_sealed),
      dateOfBirth: p?.birth_date ?? '',
      sex: p?.sex ?? '',
      kk: open(p?.kk_sealed),
      fullName: p?.full_name ?? '',
      addressLine: p?.address_line ?? '',
      rt: p?.rt ?? '',
      rw: p?.rw ?? '',
      provinceCode: p?.province_code ?? '',
      regencyCode: p?.regency_code ?? '',
      districtCode: p?.district_code ?? '',
      education: p?.education ?? '',
      employmentStatus: p?.employment_status ?? '',
      inFormalEducation: p?.in_formal_education === null || p?.in_formal_education === undefined ? '' : p.in_formal_education ? 'ya' : 'tidak',
    },
  }
}

/** For account recovery by NIK: the account that registered this NIK, if any. */
export async function accountIdForNik(db: Db, identity: IdentityCipher, nik: string): Promise<string | null> {
  const digits = nik.replace(/[\s.-]/g, '')
  if (!/^\d{16}$/.test(digits)) return null
  return repo.findAccountByNikHash(db, identity.lookupHash(digits))
}
