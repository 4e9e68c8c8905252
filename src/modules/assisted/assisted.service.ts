/**
 * Assisted registration: an officer registers a person who is in front of them, after the
 * person's recorded consent, through the same profile rules, document checks and registry
 * checks as self sign-up. Officers of the person's regency may help until the person
 * activates the account; from then on the data is the person's alone. Every officer step
 * is audited with the officer and the person.
 */
import crypto from 'node:crypto'
import type { Config } from '../../config.ts'
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError, isUniqueViolation, type FieldError } from '../../platform/errors.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { insertInboxMessage } from '../../platform/mail/mail.repository.ts'
import { record } from '../../platform/audit/index.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { getRegency, type Regency } from '../regions/index.ts'
import { normaliseEmail, normalisePhone } from '../accounts/contact.ts'
import { issueCode, resendCode, verifyCode } from '../accounts/signup.service.ts'
import { findAccountByEmail, findAccountByPhone, insertAssistedParticipant, activateWithPassword } from '../accounts/accounts.repository.ts'
import { countIpFailures, insertAuthFailure } from '../accounts/codes.repository.ts'
import { IP_FAILURE_LIMIT, IP_WINDOW_MS } from '../accounts/accounts.service.ts'
import { checkPassword } from '../accounts/password-policy.ts'
import { hashPassword } from '../accounts/passwords.ts'
import { SEND_WINDOW_MS, sameHash, sendAllowance } from '../accounts/one-time-codes.ts'
import { saveAddress, saveEducation, saveFamily, saveIdentity, type StepResult } from '../registration/registration.service.ts'
import type { Step } from '../registration/index.ts'
import { storeFormUpload, type Judged } from '../documents/documents.service.ts'
import type { DocumentKind } from '../documents/index.ts'
import * as repo from './assisted.repository.ts'
import { CONSENT_METHODS, type ConsentMethod } from './assisted.tables.ts'
import { CONSENT_VERSION } from './consent.ts'
import {
  ACTIVATION_TTL_MS,
  MAX_TRIES_PER_ACTIVATION_CODE,
  formatReference,
  hashActivationCode,
  newActivationCode,
  newReference,
  normaliseActivationCode,
  normaliseReference,
} from './slip-codes.ts'

export interface AssistedDeps {
  db: Db
  clock: Clock
  config: Config
  mail: Mail
  jobs: Jobs
  identity: IdentityCipher
}

/** The officer as the session knows them. */
export interface Officer {
  id: string
  displayName: string
  regionCode: string | null
}

/** Where a request came from, for the audit log and the failure counters. */
export interface Origin {
  requestId: string
  ip: string
}

export function signupDeps(deps: AssistedDeps) {
  return { db: deps.db, mail: deps.mail, clock: deps.clock, config: deps.config }
}

function officerRegion(officer: Officer): Regency {
  const regency = officer.regionCode ? getRegency(officer.regionCode) : null
  if (!regency) throw new AppError('OFFICER_NO_REGION')
  return regency
}

async function audit(ex: Executor, deps: AssistedDeps, officer: Officer, origin: Origin, action: string, personId: string | null, details: Record<string, unknown> = {}) {
  await record(
    ex,
    { actorId: officer.id, actorRole: 'officer', action: `assisted.${action}`, subjectType: 'account', subjectId: personId, details, requestId: origin.requestId, ip: origin.ip },
    deps.clock,
  )
}

// --- registering ---------------------------------------------------------------------------

export interface RegisterInput {
  consent: boolean
  consentMethod: string
  name: string
  email: string
  phone: string
  noPhone: boolean
}

/**
 * Consent first: without it nothing is written, not even an audit entry naming the person.
 * Then the account (no password: the person sets one on activation), the consent record, the
 * message saying who registered them and how to activate, and the phone code to read out.
 */
export async function registerPerson(deps: AssistedDeps, officer: Officer, input: RegisterInput, origin: Origin): Promise<{ accountId: string; reference: string }> {
  const region = officerRegion(officer)
  if (!input.consent || !(CONSENT_METHODS as readonly string[]).includes(input.consentMethod)) {
    const fields: FieldError[] = []
    if (!input.consent) fields.push({ field: 'consent', id: 'Centang bila orang ini setuju setelah teks dibacakan.', en: 'Tick the box if the person agrees after hearing the text.' })
    if (!(CONSENT_METHODS as readonly string[]).includes(input.consentMethod)) {
      fields.push({ field: 'consentMethod', id: 'Pilih cara ia menyatakan setuju: lisan atau tanda tangan.', en: 'Choose how they agreed: spoken or signed.' })
    }
    throw new AppError('CONSENT_REQUIRED', { fields })
  }
  const fields: FieldError[] = []
  const name = input.name.trim().replace(/\s+/g, ' ')
  if (name.length < 2) fields.push({ field: 'name', id: 'Isi nama lengkap sesuai KTP.', en: 'Enter the full name as on the ID card.' })
  if (name.length > 100) fields.push({ field: 'name', id: 'Nama paling banyak 100 huruf.', en: 'The name can have at most 100 letters.' })
  let email: string | null = null
  if (input.email.trim() !== '') {
    const e = normaliseEmail(input.email)
    if (e.ok) email = e.email
    else fields.push(e.error)
  }
  let phone: string | null = null
  if (input.noPhone && input.phone.trim() !== '') {
    fields.push({ field: 'phone', id: 'Kosongkan nomor HP, atau hapus centang "tidak punya HP".', en: 'Leave the phone number empty, or untick "has no phone".' })
  } else if (!input.noPhone) {
    const p = normalisePhone(input.phone)
    if (p.ok) phone = p.phone
    else if (input.phone.trim() === '') fields.push({ field: 'phone', id: 'Isi nomor HP orang ini, atau centang "tidak punya HP".', en: 'Enter the person’s mobile number, or tick "has no phone".' })
    else fields.push(p.error)
  }
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  const method = input.consentMethod as ConsentMethod

  try {
    return await transaction(deps.db, async (trx) => {
      if (email && (await findAccountByEmail(trx, email))) throw new AppError('EMAIL_TAKEN', { fields: [{ field: 'email', id: 'E-mail ini sudah terdaftar.', en: 'This e-mail is already registered.' }] })
      if (phone && (await findAccountByPhone(trx, phone))) throw new AppError('PHONE_TAKEN', { fields: [{ field: 'phone', id: 'Nomor HP ini sudah terdaftar.', en: 'This phone number is already registered.' }] })
      const now = deps.clock.now()
      const accountId = await insertAssistedParticipant(trx, { email, phone, displayName: name })
      let reference = ''
      for (let i = 0; i < 5 && !reference; i++) {
        const candidate = newReference()
        const ok = await repo.insertRegistration(trx, {
          accountId,
          reference: candidate,
          regionCode: region.code,
          registeredBy: officer.id,
          consentAt: now,
          consentMethod: method,
          consentVersion: CONSENT_VERSION,
        })
        if (ok) reference = candidate
      }
      if (!reference) throw new Error('could not draw a free account reference')
      const person = { accountId, name, phone, email }
      await notify(trx, deps, person, registeredMessage(deps, { name, officer: officer.displayName, region: region.name, reference, at: now, hasPhone: phone !== null }))
      if (phone) await issueCode(trx, signupDeps(deps), { accountId, name, to: phone, readOutTo: { officerName: officer.displayName, regencyName: region.name } }, 'phone_verify')
      // The owner of the address can confirm it by link, or say "this was not me".
      if (email) await issueCode(trx, signupDeps(deps), { accountId, name, to: email }, 'email_verify')
      await audit(trx, deps, officer, origin, 'consent_recorded', accountId, { method, version: CONSENT_VERSION, at: now.toISOString() })
      await audit(trx, deps, officer, origin, 'registered', accountId, { reference, region: region.code, phone: phone !== null, email: email !== null })
      return { accountId, reference }
    })
  } catch (err) {
    if (isUniqueViolation(err)) {
      const which = String((err as { constraint?: string }).constraint ?? (err as Error).message).includes('phone') ? 'PHONE_TAKEN' : 'EMAIL_TAKEN'
      throw new AppError(which)
    }
    throw err
  }
}

function registeredMessage(deps: AssistedDeps, m: { name: string; officer: string; region: string; reference: string; at: Date; hasPhone: boolean }): Message {
  const base = deps.config.publicUrl
  const ref = formatReference(m.reference)
  const readOut = m.hasPhone ? 'Petugas akan meminta Anda membacakan kode verifikasi yang masuk setelah pesan ini: bacakan hanya kepada petugas yang sedang bersama Anda. ' : ''
  const howId = m.hasPhone ? 'masukkan nomor HP ini, minta kode SMS' : 'masukkan nomor akun dan kode aktivasi dari slip Anda'
  const howEn = m.hasPhone ? 'enter this phone number, ask for an SMS code' : 'enter the account reference and the activation code from your slip'
  return {
    template: 'assisted.registered',
    subject: 'Anda didaftarkan oleh petugas Karya / An officer registered you',
    link: '/aktivasi',
    text:
      `Halo ${m.name}, petugas pendaftaran ${m.officer} mendaftarkan Anda ke Program Kartu Prakerja di ${m.region} pada ${formatDateTime('id', m.at)}. ` +
      `Nomor akun Anda: ${ref}. ${readOut}Untuk memakai akun sendiri, buka ${base}/aktivasi, ${howId}, lalu buat kata sandi. ` +
      `Bukan Anda yang didaftarkan? Hubungi layanan pengaduan.\n\n` +
      `Hello ${m.name}, registration officer ${m.officer} registered you for the Pre-employment Card Programme in ${m.region} on ${formatDateTime('en', m.at)}. ` +
      `Your account reference: ${ref}. To use the account yourself, open ${base}/aktivasi, ${howEn}, then choose a password.`,
  }
}

export interface Message {
  template: string
  subject: string
  text: string
  link: string
}

/** By SMS when there is a phone, by e-mail when there is one, and always into the in-app inbox. */
export async function notify(trx: Executor, deps: AssistedDeps, p: { accountId: string; phone: string | null; email: string | null }, m: Message): Promise<void> {
  if (p.phone) await deps.mail.send(trx, { accountId: p.accountId, to: p.phone, channel: 'sms', template: m.template, subject: m.subject, text: m.text, link: m.link })
  if (p.email) await deps.mail.send(trx, { accountId: p.phone ? null : p.accountId, to: p.email, template: m.template, subject: m.subject, text: m.text, link: m.link })
  // Neither: the inbox is where the person will find it once they log in.
  if (!p.phone && !p.email) await insertInboxMessage(trx, { account_id: p.accountId, outbox_id: null, subject: m.subject, body: m.text, link: m.link })
}

// --- the officer's reach ---------------------------------------------------------------------

/**
 * The person, if this officer may work on them: registered in the officer's regency (by them
 * or a colleague) and not yet activated. A person of another regency does not exist for the
 * officer; an attempt on one is still audited.
 */
async function reachable(deps: AssistedDeps, officer: Officer, accountId: string, origin: Origin): Promise<repo.RegistrationRow> {
  const region = officerRegion(officer)
  const row = await repo.findRegistration(deps.db, accountId)
  if (!row) throw new AppError('NOT_FOUND')
  const refusal = row.region_code !== region.code ? 'other_region' : row.status === 'closed' ? 'closed' : isActivated(row) ? 'activated' : null
  if (refusal) {
    await audit(deps.db, deps, officer, origin, 'refused', accountId, { reason: refusal })
    throw new AppError(refusal === 'activated' ? 'ASSISTED_ACTIVATED' : 'NOT_FOUND')
  }
  return row
}

/** A password set by any route (activation, or a reset) means the person has taken over. */
export function isActivated(row: Pick<repo.RegistrationRow, 'activated_at' | 'has_password'>): boolean {
  return row.activated_at !== null || row.has_password
}

export async function personForOfficer(deps: AssistedDeps, officer: Officer, accountId: string, origin: Origin, what: string): Promise<repo.RegistrationRow> {
  const row = await reachable(deps, officer, accountId, origin)
  await audit(deps.db, deps, officer, origin, 'viewed', accountId, { page: what })
  return row
}

export type OfficerListRow = repo.RegistrationRow & { activated: boolean; registeredByMe: boolean }

export async function listForOfficer(deps: AssistedDeps, officer: Officer, origin: Origin): Promise<{ region: Regency; rows: OfficerListRow[] }> {
  const region = officerRegion(officer)
  const rows = await repo.listRegistrations(deps.db, region.code, 200)
  await audit(deps.db, deps, officer, origin, 'list_viewed', null, { region: region.code, count: rows.length })
  return { region, rows: rows.map((r) => ({ ...r, activated: isActivated(r), registeredByMe: r.registered_by === officer.id })) }
}

// --- phone -----------------------------------------------------------------------------------

export async function resendPhoneCode(deps: AssistedDeps, officer: Officer, accountId: string, origin: Origin): Promise<void> {
  const row = await reachable(deps, officer, accountId, origin)
  if (!row.phone || row.phone_verified_at) throw new AppError('NOT_FOUND')
  const region = officerRegion(officer)
  await resendCode(signupDeps(deps), accountId, 'phone_verify', { readOutTo: { officerName: officer.displayName, regencyName: region.name } })
  await audit(deps.db, deps, officer, origin, 'phone_code_sent', accountId)
}

/** The person reads out the code that reached their phone; the officer types it. */
export async function confirmPhone(deps: AssistedDeps, officer: Officer, accountId: string, code: string, origin: Origin): Promise<void> {
  const row = await reachable(deps, officer, accountId, origin)
  if (!row.phone) throw new AppError('NOT_FOUND')
  if (row.phone_verified_at) return
  try {
    await verifyCode(signupDeps(deps), accountId, 'phone_verify', code, origin.ip)
  } catch (err) {
    if (err instanceof AppError) await audit(deps.db, deps, officer, origin, 'phone_verify_refused', accountId, { code: err.code })
    throw err
  }
  await audit(deps.db, deps, officer, origin, 'phone_verified', accountId)
}

// --- profile and documents ---------------------------------------------------------------------

/**
 * One profile step through the registration service, so the same NIK/KK/age rules, drafts,
 * duplicate-NIK refusal and, on completion, registry checks apply. The domicile must be in
 * the officer's regency.
 */
export async function saveStep(deps: AssistedDeps, officer: Officer, accountId: string, step: Step, s: (k: string) => string, origin: Origin): Promise<StepResult> {
  await reachable(deps, officer, accountId, origin)
  const region = officerRegion(officer)
  const rdeps = { db: deps.db, clock: deps.clock, identity: deps.identity, jobs: deps.jobs }
  let result: StepResult
  try {
    if (step === 'identitas') result = await saveIdentity(rdeps, accountId, { nik: s('nik'), dateOfBirth: s('dateOfBirth'), sex: s('sex') }, origin.ip)
    else if (step === 'keluarga') result = await saveFamily(rdeps, accountId, { kk: s('kk') })
    else if (step === 'alamat') {
      if (s('regencyCode') !== region.code || s('provinceCode') !== region.provinceCode) {
        throw new AppError('REGION_OUTSIDE', {
          fields: [
            {
              field: 'regencyCode',
              id: `Domisili harus di ${region.name}, wilayah kerja Anda.`,
              en: `The home address must be in ${region.name}, your work area.`,
            },
          ],
        })
      }
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
    if (err instanceof AppError) await audit(deps.db, deps, officer, origin, 'profile_step', accountId, { step, outcome: 'refused', code: err.code })
    throw err
  }
  await audit(deps.db, deps, officer, origin, 'profile_step', accountId, { step, outcome: 'saved', completed: result.completed })
  return result
}

export async function uploadDocument(
  deps: AssistedDeps & { uploadsDir: string; maxBytes: number },
  officer: Officer,
  accountId: string,
  kind: DocumentKind,
  bytes: Buffer,
  origin: Origin,
): Promise<Judged> {
  await reachable(deps, officer, accountId, origin)
  const judged = await storeFormUpload({ db: deps.db, clock: deps.clock, uploadsDir: deps.uploadsDir, maxBytes: deps.maxBytes }, accountId, kind, bytes)
  await audit(deps.db, deps, officer, origin, 'document_uploaded', accountId, { kind, documentId: judged.id, outcome: judged.reason ? 'rejected' : 'accepted', reason: judged.reason })
  return judged
}

// --- the slip ----------------------------------------------------------------------------------

export interface Slip {
  reference: string
  code: string
  expiresAt: Date
  name: string
  region: string
  officer: string
}

/** A new single-use activation code, shown once; it replaces any earlier one. */
export async function issueActivationCode(deps: AssistedDeps, officer: Officer, accountId: string, origin: Origin): Promise<Slip> {
  const row = await reachable(deps, officer, accountId, origin)
  const region = officerRegion(officer)
  return transaction(deps.db, async (trx) => {
    const now = deps.clock.now()
    const allowance = sendAllowance(await repo.activationCodeTimes(trx, accountId, new Date(now.getTime() - 2 * SEND_WINDOW_MS)), now)
    if (!allowance.allowed) {
      throw new AppError('CODE_LIMIT', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil((allowance.retryAt.getTime() - now.getTime()) / 1000))) },
        fields: [
          {
            field: 'slip',
            id: `Slip sudah dicetak 6 kali. Cetak lagi mulai ${formatDateTime('id', allowance.retryAt)}.`,
            en: `The slip was printed 6 times. You can print again from ${formatDateTime('en', allowance.retryAt)}.`,
          },
        ],
      })
    }
    const id = crypto.randomUUID()
    const code = newActivationCode()
    const expiresAt = new Date(now.getTime() + ACTIVATION_TTL_MS)
    await repo.insertActivationCode(trx, { id, accountId, codeHash: hashActivationCode(deps.config.secret, id, code), issuedBy: officer.id, createdAt: now, expiresAt })
    await audit(trx, deps, officer, origin, 'activation_code_issued', accountId, { codeId: id, expiresAt: expiresAt.toISOString() })
    return { reference: row.reference, code, expiresAt, name: row.display_name, region: region.name, officer: officer.displayName }
  })
}
