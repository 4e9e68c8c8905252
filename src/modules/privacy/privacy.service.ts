/**
 * UU 27/2022 (personal data protection): a person can download everything Karya holds about
 * them, in one readable file, and ask for a correction that is kept with its answer.
 */
import type { Clock } from '../../platform/clock.ts'
import type { Db } from '../../platform/db/database.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { profileView, profileHistory, checkHistory } from '../registration/index.ts'
import * as repo from './privacy.repository.ts'
import { CORRECTABLE, type CorrectableField } from './privacy.tables.ts'

export interface PrivacyDeps {
  db: Db
  clock: Clock
  identity: IdentityCipher
}

function openSealed(identity: IdentityCipher, data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => (k.endsWith('_sealed') && typeof v === 'string' && v ? [k.replace(/_sealed$/, ''), identity.decrypt(v)] : [k, v])),
  )
}

export async function exportMyData(deps: PrivacyDeps, accountId: string): Promise<Record<string, unknown>> {
  const [record, profile, history, corrections, checks] = await Promise.all([
    repo.accountRecord(deps.db, accountId),
    profileView({ db: deps.db, clock: deps.clock, identity: deps.identity }, accountId),
    profileHistory(deps.db, accountId),
    repo.listCorrectionRequests(deps.db, accountId),
    checkHistory(deps.db, accountId),
  ])
  if (!record.account) throw new AppError('NOT_FOUND')
  return {
    about: {
      id: 'Semua data yang disimpan Karya tentang Anda, sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.',
      en: 'Everything Karya holds about you, under Law No. 27 of 2022 on Personal Data Protection.',
    },
    generatedAt: deps.clock.now().toISOString(),
    account: record.account,
    profile: { stepsDone: profile.stepsDone, completedAt: profile.completedAt, values: profile.values, drafts: profile.drafts },
    profileHistory: history.map((h) => ({ step: h.step, at: h.at, data: openSealed(deps.identity, h.data) })),
    inbox: record.inbox,
    messagesSent: record.sent,
    verificationCodesSent: record.codes,
    activeSessions: record.sessions,
    identityChecks: checks,
    correctionRequests: corrections,
  }
}

export async function requestCorrection(
  deps: PrivacyDeps,
  accountId: string,
  input: { field: string; requestedValue: string; reason: string },
): Promise<string> {
  const fields: FieldError[] = []
  if (!(CORRECTABLE as readonly string[]).includes(input.field)) fields.push({ field: 'field', id: 'Pilih data yang ingin dikoreksi.', en: 'Choose the data to correct.' })
  const value = input.requestedValue.trim()
  if (value.length < 1 || value.length > 500) fields.push({ field: 'requestedValue', id: 'Tulis data yang benar (paling banyak 500 huruf).', en: 'Write the correct data (at most 500 characters).' })
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  return repo.insertCorrectionRequest(deps.db, {
    accountId,
    field: input.field as CorrectableField,
    requestedValue: value,
    reason: input.reason.trim().slice(0, 1000) || null,
    at: deps.clock.now(),
  })
}

export { listCorrectionRequests } from './privacy.repository.ts'
