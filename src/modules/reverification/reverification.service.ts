/**
 * Getting back in after losing both the inbox and the phone (BRIEF P2): the person proves who
 * they are with NIK, KK, date of birth and a fresh selfie, and proves the new contact with a
 * code. A request that matches a profile waits for a helpdesk agent; the answer is the same
 * whether or not the NIK is registered, so the form cannot be used to find out.
 */
import crypto from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Config } from '../../config.ts'
import type { Clock } from '../../platform/clock.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import { transaction, type Db } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, type Text } from '../../platform/i18n/index.ts'
import type { Jobs } from '../../platform/jobs/jobs.ts'
import type { Mail } from '../../platform/mail/index.ts'
import { insertFraudSignal } from '../accounts/index.ts'
import { findAccountByEmail, findAccountByPhone } from '../accounts/accounts.repository.ts'
import { normaliseEmail, normalisePhone } from '../accounts/contact.ts'
import { hashCode, hashToken, MAX_TRIES_PER_CODE, newCode, newLinkToken, sameHash, SEND_WINDOW_MS, sendAllowance } from '../accounts/one-time-codes.ts'
import { accountIdForNik, profileView } from '../registration/index.ts'
import { documentsView } from '../documents/index.ts'
import { ownDocumentImage } from '../documents/documents.service.ts'
import { checkImage } from '../documents/image-checks.ts'
import { REJECTION_TEXTS, SELFIE_BLURRY } from '../documents/document-texts.ts'
import * as repo from './reverification.repository.ts'

export const REVERIFICATION_FOLDER = 'reverification'
export const CODE_TTL_MS = 30 * 60_000

/** An automatic face comparison that pre-scores a request; the agent still decides. */
export interface FaceComparer {
  /** 0 (different people) to 1 (same person), or null when it cannot tell. */
  compare(fresh: Buffer, onFile: Buffer): Promise<number | null>
}

export interface ReverificationDeps {
  db: Db
  clock: Clock
  config: Config
  mail: Mail
  jobs: Jobs
  identity: IdentityCipher
  /** Pre-scores a matching request for the agent; off (absent) by default. */
  faceComparer?: FaceComparer | null
}

export interface RequestInput {
  nik: string
  kk: string
  dateOfBirth: string
  email: string
  phone: string
  selfie: Buffer | null
}

const NUMBER_TEXTS: Record<'nik' | 'kk', Text> = {
  nik: { id: 'NIK terdiri dari 16 angka, seperti di KTP.', en: 'The NIK has 16 digits, as on the KTP.' },
  kk: { id: 'Nomor KK terdiri dari 16 angka, seperti di Kartu Keluarga.', en: 'The KK number has 16 digits, as on the family card.' },
}

function sixteenDigits(text: string): string | null {
  const digits = text.replace(/[\s.-]/g, '')
  return /^\d{16}$/.test(digits) ? digits : null
}

/** 2001-04-17, 17-04-2001 or 17/04/2001 → 2001-04-17, or null when not a real date. */
export function parseDateOfBirth(text: string): string | null {
  const t = text.trim()
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t)
  let y: number, mo: number, d: number
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else if (dmy) [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])]
  else return null
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function limitError(to: string, retryAt: Date): AppError {
  return new AppError('CODE_LIMIT', {
    fields: [
      {
        field: to.includes('@') ? 'new_email' : 'new_phone',
        id: `Kode ke kontak ini sudah diminta 6 kali. Coba lagi mulai ${formatDateTime('id', retryAt)}.`,
        en: `A code was asked for this contact 6 times. Try again from ${formatDateTime('en', retryAt)}.`,
      },
    ],
  })
}

async function checkSendAllowed(deps: ReverificationDeps, contacts: readonly string[]): Promise<void> {
  const now = deps.clock.now()
  for (const to of contacts) {
    const allowance = sendAllowance(await repo.codeSendTimes(deps.db, to, new Date(now.getTime() - 2 * SEND_WINDOW_MS)), now)
    if (!allowance.allowed) throw limitError(to, allowance.retryAt)
  }
}

/** Checks everything typed and the selfie; every problem is named at once, next to its field. */
async function validate(deps: ReverificationDeps, input: RequestInput) {
  const fields: FieldError[] = []
  const nik = sixteenDigits(input.nik)
  if (!nik) fields.push({ field: 'nik', ...NUMBER_TEXTS.nik })
  const kk = sixteenDigits(input.kk)
  if (!kk) fields.push({ field: 'kk', ...NUMBER_TEXTS.kk })
  const dob = parseDateOfBirth(input.dateOfBirth)
  if (!dob) fields.push({ field: 'dob', id: 'Tulis tanggal lahir seperti di KTP, contoh 17-08-1995.', en: 'Enter the date of birth as on the KTP, e.g. 17-08-1995.' })
  let email: string | null = null
  let phone: string | null = null
  if (input.email.trim()) {
    const e = normaliseEmail(input.email)
    if (e.ok) email = e.email
    else fields.push({ ...e.error, field: 'new_email' })
  }
  if (input.phone.trim()) {
    const p = normalisePhone(input.phone)
    if (p.ok) phone = p.phone
    else fields.push({ ...p.error, field: 'new_phone' })
  }
  if (!input.email.trim() && !input.phone.trim()) {
    fields.push({ field: 'new_email', id: 'Isi e-mail baru, nomor HP baru, atau keduanya.', en: 'Enter a new e-mail, a new phone number, or both.' })
  }
  let selfie: Awaited<ReturnType<typeof checkImage>> | null = null
  if (!input.selfie) {
    fields.push({ field: 'selfie', id: 'Ambil swafoto sekarang dengan kamera HP Anda.', en: 'Take a selfie now with your phone camera.' })
  } else {
    selfie = await checkImage(input.selfie, 'selfie', deps.config.uploadMaxBytes)
    if (selfie.rejection) fields.push({ field: 'selfie', ...(selfie.rejection === 'blurry' ? SELFIE_BLURRY : REJECTION_TEXTS[selfie.rejection]) })
  }
  if (fields.length > 0 || !nik || !kk || !dob || !selfie || !input.selfie) throw new AppError('VALIDATION_FAILED', { fields })
  // A contact already on an account cannot become another's; saying so reveals nothing about the NIK.
  if (email && (await findAccountByEmail(deps.db, email))) {
    fields.push({ field: 'new_email', id: 'E-mail ini sudah dipakai sebuah akun. Pakai e-mail lain, atau masuk lewat "Lupa kata sandi" jika itu akun Anda.', en: 'This e-mail is used by an account. Use another, or go through "Forgot password" if it is yours.' })
  }
  if (phone && (await findAccountByPhone(deps.db, phone))) {
    fields.push({ field: 'new_phone', id: 'Nomor HP ini sudah dipakai sebuah akun. Pakai nomor lain, atau masuk lewat "Lupa kata sandi" jika itu akun Anda.', en: 'This number is used by an account. Use another, or go through "Forgot password" if it is yours.' })
  }
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  return { nik, kk, dob, email, phone, selfieBytes: input.selfie, selfie }
}

async function matchIdentity(deps: ReverificationDeps, nik: string, kk: string, dob: string) {
  const accountId = await accountIdForNik(deps.db, deps.identity, nik)
  if (!accountId) return { accountId: null, nikMatched: false, kkMatched: false, dobMatched: false }
  const profile = await profileView(deps, accountId)
  return { accountId, nikMatched: true, kkMatched: profile.values.kk === kk, dobMatched: profile.values.dateOfBirth === dob }
}

/** The picture of one kind on file: the newest accepted one, else the newest attempt. */
export async function documentOnFile(deps: ReverificationDeps, accountId: string, kind: 'ktp' | 'selfie'): Promise<{ bytes: Buffer; contentType: string } | null> {
  const ddeps = { db: deps.db, clock: deps.clock, uploadsDir: deps.config.uploadsDir, maxBytes: deps.config.uploadMaxBytes }
  const { attempts } = await documentsView(ddeps, accountId)
  const doc = attempts.find((d) => d.kind === kind && d.outcome === 'accepted') ?? attempts.find((d) => d.kind === kind)
  return doc ? ownDocumentImage(ddeps, accountId, doc.id) : null
}

/** Only a request whose NIK and at least one of KK or date of birth match goes to an agent. */
export function isMatch(m: { nikMatched: boolean; kkMatched: boolean; dobMatched: boolean }): boolean {
  return m.nikMatched && (m.kkMatched || m.dobMatched)
}

/** Stores the request and sends a code to each new contact. Returns the token of the code step. */
/** A request left unproven for a day after its codes expired. */
export const ABANDONED_AFTER_MS = 24 * 3_600_000

/**
 * Deletes the selfies of requests whose codes were never entered (nobody will look at
 * them), a few at a time; each new request sweeps, so no scheduler is needed.
 */
export async function sweepAbandoned(deps: Pick<ReverificationDeps, 'db' | 'clock' | 'config'>, limit = 50): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - ABANDONED_AFTER_MS)
  const rows = await deps.db
    .selectFrom('reverification_requests')
    .select(['id', 'selfie_key'])
    .where('status', '=', 'unproven')
    .where('code_expires_at', '<', cutoff)
    .where('selfie_key', '<>', '')
    .limit(limit)
    .execute()
  for (const r of rows) {
    await fs.rm(path.join(deps.config.uploadsDir, r.selfie_key), { force: true })
    await deps.db.updateTable('reverification_requests').set({ selfie_key: '' }).where('id', '=', r.id).execute()
  }
  return rows.length
}

export async function submitRequest(deps: ReverificationDeps, input: RequestInput, ip: string): Promise<{ token: string }> {
  await sweepAbandoned(deps)
  const v = await validate(deps, input)
  const contacts = [v.email, v.phone].filter((c): c is string => c !== null)
  await checkSendAllowed(deps, contacts)
  const m = await matchIdentity(deps, v.nik, v.kk, v.dob)
  let faceScore: number | null = null
  if (deps.faceComparer && m.accountId && isMatch(m)) {
    const onFile = await documentOnFile(deps, m.accountId, 'selfie')
    faceScore = onFile ? await deps.faceComparer.compare(v.selfieBytes, onFile.bytes) : null
  }

  const id = crypto.randomUUID()
  const selfieKey = `${REVERIFICATION_FOLDER}/${id}`
  await fs.mkdir(path.join(deps.config.uploadsDir, REVERIFICATION_FOLDER), { recursive: true, mode: 0o700 })
  await fs.writeFile(path.join(deps.config.uploadsDir, selfieKey), v.selfieBytes, { mode: 0o600 })
  const token = newLinkToken()
  const now = deps.clock.now()
  const codes = { email: v.email ? newCode() : null, phone: v.phone ? newCode() : null }
  await transaction(deps.db, async (trx) => {
    await repo.insertRequest(trx, {
      id,
      tokenHash: hashToken(token),
      accountId: m.nikMatched ? m.accountId : null,
      nikMatched: m.nikMatched,
      kkMatched: m.kkMatched,
      dobMatched: m.dobMatched,
      newEmail: v.email,
      newPhone: v.phone,
      emailCodeHash: codes.email ? hashCode(deps.config.secret, `${id}:email`, codes.email) : null,
      phoneCodeHash: codes.phone ? hashCode(deps.config.secret, `${id}:phone`, codes.phone) : null,
      codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS),
      selfieKey,
      selfieFormat: v.selfie.checks.format ?? 'jpeg',
      selfieChecks: { ...v.selfie.checks },
      faceScore,
      ip,
      at: now,
    })
    await sendCodes(trx, deps, { email: v.email, phone: v.phone }, codes, now)
  })
  return { token }
}

async function sendCodes(
  trx: Parameters<Mail['send']>[0],
  deps: ReverificationDeps,
  to: { email: string | null; phone: string | null },
  codes: { email: string | null; phone: string | null },
  now: Date,
): Promise<void> {
  if (to.email && codes.email) {
    await repo.insertCodeSend(trx, to.email, now)
    await deps.mail.send(trx, {
      accountId: null,
      to: to.email,
      template: 'reverification.code',
      subject: 'Kode pemulihan akun Karya / Your Karya account recovery code',
      text:
        `Kode untuk memakai alamat ini dalam permintaan pemulihan akun Karya: ${codes.email}. Berlaku 30 menit. JANGAN berikan kepada siapa pun, termasuk petugas.\n\n` +
        `Your code to use this address in a Karya account recovery request: ${codes.email}. Valid for 30 minutes. Do not give it to anyone, including staff.`,
    })
  }
  if (to.phone && codes.phone) {
    await repo.insertCodeSend(trx, to.phone, now)
    await deps.mail.send(trx, {
      accountId: null,
      to: to.phone,
      channel: 'sms',
      template: 'reverification.code',
      subject: 'Kode pemulihan akun Karya',
      text: `Kode pemulihan akun Karya: ${codes.phone}. Berlaku 30 menit. JANGAN berikan kepada siapa pun, termasuk petugas.`,
    })
  }
}

/** What the code step shows: which contacts need a code (the person typed them; nothing else). */
export async function codeStep(deps: ReverificationDeps, token: string): Promise<{ email: string | null; phone: string | null; done: boolean }> {
  const r = await repo.findRequestByToken(deps.db, hashToken(token))
  if (!r) throw new AppError('LINK_INVALID')
  return { email: r.new_email, phone: r.new_phone, done: r.status !== 'unproven' }
}

export async function resendCodes(deps: ReverificationDeps, token: string): Promise<void> {
  const r = await repo.findRequestByToken(deps.db, hashToken(token))
  // A swept request (its selfie deleted after a day unused) must start again with a new selfie.
  if (!r || r.status !== 'unproven' || r.selfie_key === '') throw new AppError('LINK_INVALID')
  await checkSendAllowed(deps, [r.new_email, r.new_phone].filter((c): c is string => c !== null))
  const now = deps.clock.now()
  const codes = { email: r.new_email ? newCode() : null, phone: r.new_phone ? newCode() : null }
  await transaction(deps.db, async (trx) => {
    await repo.setCodes(trx, r.id, {
      emailCodeHash: codes.email ? hashCode(deps.config.secret, `${r.id}:email`, codes.email) : null,
      phoneCodeHash: codes.phone ? hashCode(deps.config.secret, `${r.id}:phone`, codes.phone) : null,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    })
    await sendCodes(trx, deps, { email: r.new_email, phone: r.new_phone }, codes, now)
  })
}

const RECEIVED =
  'Permintaan pemulihan akun Karya Anda sudah kami terima. Jika data yang Anda kirim cocok dengan sebuah akun, petugas layanan pengaduan memeriksanya dan mengabari Anda lewat kontak ini. ' +
  'Jika dalam 5 hari kerja tidak ada kabar, datangi petugas Karya di kantor daerah Anda dengan membawa KTP asli.\n\n' +
  'We have received your Karya account recovery request. If what you sent matches an account, a helpdesk agent checks it and tells you through this contact. ' +
  'If you hear nothing within 5 working days, visit a Karya officer at your regional office with your original KTP.'

/**
 * The new contacts are proven by their codes. A wrong code is counted and committed before the
 * refusal. Then a match is queued for an agent; anything else is kept only as a fraud signal.
 * Either way the person sees and receives the same words.
 */
export async function proveContacts(deps: ReverificationDeps, token: string, typed: { email: string; phone: string }, ip: string): Promise<void> {
  const outcome = await transaction(deps.db, async (trx): Promise<'ok' | 'expired' | 'done' | { wrong: string[] } | { unmatchedSelfie: string }> => {
    const now = deps.clock.now()
    const r = await repo.findRequestByToken(trx, hashToken(token))
    if (!r || (r.status === 'unproven' && r.selfie_key === '')) throw new AppError('LINK_INVALID')
    if (r.status !== 'unproven') return 'done'
    if (r.code_expires_at <= now || r.code_attempts >= MAX_TRIES_PER_CODE) return 'expired'
    const right = (hash: string | null, which: 'email' | 'phone', code: string) => {
      const c = code.replace(/\s/g, '')
      return hash === null || (/^\d{6}$/.test(c) && sameHash(hash, hashCode(deps.config.secret, `${r.id}:${which}`, c)))
    }
    const wrong = [...(right(r.email_code_hash, 'email', typed.email) ? [] : ['code_email']), ...(right(r.phone_code_hash, 'phone', typed.phone) ? [] : ['code_phone'])]
    if (wrong.length > 0) {
      await repo.countCodeAttempt(trx, r.id)
      return { wrong }
    }
    const matched = isMatch({ nikMatched: r.nik_matched, kkMatched: r.kk_matched, dobMatched: r.dob_matched })
    await repo.markProven(trx, r.id, matched ? 'queued' : 'unmatched', now)
    if (!matched) {
      await insertFraudSignal(trx, {
        kind: 'reverification_unmatched',
        accountId: r.account_id,
        details: { requestId: r.id, nikMatched: r.nik_matched, kkMatched: r.kk_matched, dobMatched: r.dob_matched, newEmail: r.new_email, newPhone: r.new_phone },
        ip,
        at: now,
      })
    }
    for (const [to, channel] of [
      [r.new_email, 'email'],
      [r.new_phone, 'sms'],
    ] as const) {
      if (to) await deps.mail.send(trx, { accountId: null, to, channel, template: 'reverification.received', subject: 'Permintaan pemulihan akun Karya diterima / Recovery request received', text: RECEIVED })
    }
    return matched ? 'ok' : { unmatchedSelfie: r.selfie_key }
  })
  if (outcome === 'expired') throw new AppError('CODE_EXPIRED', { fields: [{ field: 'resend', id: 'Minta kode baru.', en: 'Ask for a new code.' }] })
  if (typeof outcome === 'object' && 'wrong' in outcome) {
    throw new AppError('CODE_INVALID', { fields: outcome.wrong.map((field) => ({ field, id: 'Kode salah.', en: 'Wrong code.' })) })
  }
  // Nobody will look at the selfie of a request that matched no one: it is not kept.
  if (typeof outcome === 'object') await fs.rm(path.join(deps.config.uploadsDir, outcome.unmatchedSelfie), { force: true })
}
