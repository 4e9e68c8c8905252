/**
 * Partners and their API credentials: onboarding by PMO, rotation from the partner's own
 * console, and the check every partner call passes (signature, window, nonce).
 */
import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../platform/clock.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError, isUniqueViolation } from '../../platform/errors.ts'
import { record } from '../../platform/audit/audit.service.ts'
import { readClaim, REPLAY_WINDOW_SECONDS, signatureMatches, withinWindow, type SignedRequest, type Scheme } from './signature.ts'
import type { PartnerKind } from './partners.tables.ts'

export interface PartnersDeps {
  db: Db
  clock: Clock
  identity: IdentityCipher
}

/** How long a rotated-out secret keeps working, so a partner can deploy the new one. */
export const ROTATION_GRACE_MS = 24 * 3_600_000

export interface Actor {
  readonly id: string | null
  readonly role: string | null
  readonly requestId?: string | null
  readonly ip?: string | null
}

export interface Partner {
  readonly code: string
  readonly kind: PartnerKind
  readonly name: string
  readonly status: 'active' | 'suspended'
  readonly legacyAllowed: boolean
}

export interface IssuedCredential {
  readonly clientCode: string
  /** Shown once; Karya keeps it sealed and never shows it again. */
  readonly secret: string
  readonly retiringClientCode: string | null
  readonly retiresAt: Date | null
}

export interface AuthenticatedPartner extends Partner {
  readonly clientCode: string
  readonly scheme: Scheme
}

const CODE = /^[a-z0-9][a-z0-9-]{1,39}$/

function newClientCode(partnerCode: string): string {
  return `${partnerCode}-${crypto.randomBytes(6).toString('hex')}`
}

function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export async function createPartner(
  deps: PartnersDeps,
  actor: Actor,
  input: { code: string; kind: PartnerKind | string; name: string; legacyAllowed?: boolean; contactEmail?: string | null; courseUrlTemplate?: string | null },
): Promise<IssuedCredential> {
  const fields = []
  if (!CODE.test(input.code)) fields.push({ field: 'code', id: 'Kode: 2–40 huruf kecil, angka atau tanda minus.', en: 'Code: 2–40 lower-case letters, digits or hyphens.' })
  if (input.name.trim().length < 2) fields.push({ field: 'name', id: 'Isi nama mitra.', en: 'Give the partner’s name.' })
  if (input.kind !== 'platform' && input.kind !== 'provider') fields.push({ field: 'kind', id: 'Pilih platform atau lembaga pelatihan.', en: 'Choose platform or training provider.' })
  const template = input.courseUrlTemplate?.trim() || null
  if (template && !/^https:\/\/[^\s]+\{id\}[^\s]*$/.test(template)) {
    fields.push({ field: 'courseUrlTemplate', id: 'Alamat halaman kursus harus diawali https:// dan memuat {id}, mis. https://platform.id/prakerja/{id}.', en: 'The course page address must start with https:// and contain {id}, e.g. https://platform.id/prakerja/{id}.' })
  }
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
  const kind = input.kind as PartnerKind
  try {
    try {
      return await transaction(deps.db, async (trx) => {
        const now = deps.clock.now()
        await trx
          .insertInto('partners')
          .values({
            code: input.code,
            kind,
            name: input.name.trim(),
            legacy_allowed: input.legacyAllowed ?? false,
            contact_email: input.contactEmail ?? null,
            course_url_template: kind === 'platform' ? template : null,
            created_by: actor.id,
            created_at: now,
          })
          .execute()
        const issued = await insertCredential(trx, deps, input.code, actor.id)
        await record(
          trx,
          { actorId: actor.id, actorRole: actor.role, action: 'partner.created', subjectType: 'partner', subjectId: input.code, details: { kind, legacyAllowed: input.legacyAllowed ?? false, clientCode: issued.clientCode }, requestId: actor.requestId ?? null, ip: actor.ip ?? null },
          deps.clock,
        )
        return { clientCode: issued.clientCode, secret: issued.secret, retiringClientCode: null, retiresAt: null }
      })
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'code', id: 'Kode mitra ini sudah dipakai.', en: 'This partner code is taken.' }] })
      throw err
    }
  } finally {
    // Cleared after the change is committed (or refused), so no call re-caches the old state.
    forgetCredentials(deps.db)
  }
}

async function insertCredential(ex: Executor, deps: PartnersDeps, partnerCode: string, actorId: string | null, secret = newSecret()) {
  const clientCode = newClientCode(partnerCode)
  await ex
    .insertInto('partner_credentials')
    .values({ partner_code: partnerCode, client_code: clientCode, secret_sealed: deps.identity.encrypt(secret), created_at: deps.clock.now(), created_by: actorId })
    .execute()
  return { clientCode, secret }
}

/**
 * A new secret for the partner. The newest older one keeps working for the grace period so
 * the partner can switch without a failed call; anything older stops now.
 */
export async function rotateCredential(deps: PartnersDeps, actor: Actor, partnerCode: string): Promise<IssuedCredential> {
  try {
    return transaction(deps.db, async (trx) => {
      const partner = await trx.selectFrom('partners').select(['code']).where('code', '=', partnerCode).forUpdate().executeTakeFirst()
      if (!partner) throw new AppError('NOT_FOUND')
      const now = deps.clock.now()
      const live = await liveCredentials(trx, partnerCode, now)
      const retiresAt = new Date(now.getTime() + ROTATION_GRACE_MS)
      const [newest, ...older] = live
      if (newest) await trx.updateTable('partner_credentials').set({ retires_at: retiresAt }).where('id', '=', newest.id).execute()
      for (const c of older) await trx.updateTable('partner_credentials').set({ revoked_at: now }).where('id', '=', c.id).execute()
      const issued = await insertCredential(trx, deps, partnerCode, actor.id)
      await record(
        trx,
        { actorId: actor.id, actorRole: actor.role, action: 'partner.credential-rotated', subjectType: 'partner', subjectId: partnerCode, details: { clientCode: issued.clientCode, retiring: newest?.client_code ?? null, revoked: older.map((c) => c.client_code) }, requestId: actor.requestId ?? null, ip: actor.ip ?? null },
        deps.clock,
      )
      return { clientCode: issued.clientCode, secret: issued.secret, retiringClientCode: newest?.client_code ?? null, retiresAt: newest ? retiresAt : null }
    })
  } finally {
    // Cleared after the change is committed (or refused), so no call re-caches the old state.
    forgetCredentials(deps.db)
  }
}

/** Ends a credential at once (a leaked key). */
export async function revokeCredential(deps: PartnersDeps, actor: Actor, partnerCode: string, clientCode: string): Promise<void> {
  try {
    await transaction(deps.db, async (trx) => {
      const r = await trx
        .updateTable('partner_credentials')
        .set({ revoked_at: deps.clock.now() })
        .where('partner_code', '=', partnerCode)
        .where('client_code', '=', clientCode)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0) throw new AppError('NOT_FOUND')
      await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'partner.credential-revoked', subjectType: 'partner', subjectId: partnerCode, details: { clientCode }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
    })
  } finally {
    // Cleared after the change is committed (or refused), so no call re-caches the old state.
    forgetCredentials(deps.db)
  }
}

function liveCredentials(ex: Executor, partnerCode: string, now: Date) {
  return ex
    .selectFrom('partner_credentials')
    .select(['id', 'client_code', 'created_at', 'retires_at'])
    .where('partner_code', '=', partnerCode)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
    // The current credential is the one not yet retiring; then the newest.
    .orderBy(sql`retires_at is null`, 'desc')
    .orderBy('created_at', 'desc')
    .execute()
}

export interface CredentialView {
  readonly clientCode: string
  readonly createdAt: Date
  readonly retiresAt: Date | null
  readonly revokedAt: Date | null
  readonly live: boolean
}

export async function listCredentials(deps: Pick<PartnersDeps, 'db' | 'clock'>, partnerCode: string): Promise<CredentialView[]> {
  const now = deps.clock.now()
  const rows = await deps.db
    .selectFrom('partner_credentials')
    .select(['client_code', 'created_at', 'retires_at', 'revoked_at'])
    .where('partner_code', '=', partnerCode)
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    clientCode: r.client_code,
    createdAt: r.created_at,
    retiresAt: r.retires_at,
    revokedAt: r.revoked_at,
    live: r.revoked_at === null && (r.retires_at === null || r.retires_at > now),
  }))
}

export async function findPartner(ex: Executor, code: string): Promise<Partner | null> {
  const r = await ex.selectFrom('partners').select(['code', 'kind', 'name', 'status', 'legacy_allowed']).where('code', '=', code).executeTakeFirst()
  return r ? { code: r.code, kind: r.kind, name: r.name, status: r.status, legacyAllowed: r.legacy_allowed } : null
}

export async function listPartners(ex: Executor): Promise<Partner[]> {
  const rows = await ex.selectFrom('partners').select(['code', 'kind', 'name', 'status', 'legacy_allowed']).orderBy('kind').orderBy('code').execute()
  return rows.map((r) => ({ code: r.code, kind: r.kind, name: r.name, status: r.status, legacyAllowed: r.legacy_allowed }))
}

/**
 * Sets a partner's status inside the caller's transaction and returns the one it had (null:
 * no such partner). A suspended partner's signed calls are refused (PARTNER_SUSPENDED); the
 * caller forgets the cached credentials after its commit (forgetCredentials).
 */
export async function updatePartnerStatus(ex: Executor, code: string, status: 'active' | 'suspended'): Promise<'active' | 'suspended' | null> {
  const before = await ex.selectFrom('partners').select('status').where('code', '=', code).forUpdate().executeTakeFirst()
  if (!before) return null
  await ex.updateTable('partners').set({ status }).where('code', '=', code).execute()
  return before.status
}

export async function setPartnerStatus(deps: PartnersDeps, actor: Actor, code: string, status: 'active' | 'suspended'): Promise<void> {
  try {
    await transaction(deps.db, async (trx) => {
      if ((await updatePartnerStatus(trx, code, status)) === null) throw new AppError('NOT_FOUND')
      await record(trx, { actorId: actor.id, actorRole: actor.role, action: `partner.${status === 'active' ? 'reinstated' : 'suspended'}`, subjectType: 'partner', subjectId: code, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
    })
  } finally {
    // Cleared after the change is committed (or refused), so no call re-caches the old state.
    forgetCredentials(deps.db)
  }
}

interface CachedCredential {
  readonly secret: string
  /** The secret unsealed, once per cache entry rather than on every call. */
  plain: string | null
  readonly code: string
  readonly kind: PartnerKind
  readonly name: string
  readonly status: 'active' | 'suspended'
  readonly legacy_allowed: boolean
  readonly retires_at: Date | null
  readonly revoked_at: Date | null
  readonly fetchedAt: number
}

/**
 * Credentials read in the last few seconds, per database: every partner call needs one, and
 * a purchase is three calls. A change made through this module clears the cache at once; a
 * change made by another process (a revocation, a suspension) reaches this one within
 * CREDENTIAL_CACHE_MS.
 */
export const CREDENTIAL_CACHE_MS = 10_000
const credentialCaches = new WeakMap<object, Map<string, CachedCredential>>()

function credentialCache(db: Db): Map<string, CachedCredential> {
  let cache = credentialCaches.get(db)
  if (!cache) credentialCaches.set(db, (cache = new Map()))
  return cache
}

/** Forgets every cached credential of this database (after any change to partners or keys). */
export function forgetCredentials(db: Db): void {
  credentialCaches.get(db)?.clear()
}

async function credential(db: Db, clientCode: string): Promise<CachedCredential | null> {
  const cache = credentialCache(db)
  const hit = cache.get(clientCode)
  if (hit && Date.now() - hit.fetchedAt < CREDENTIAL_CACHE_MS) return hit
  const row = await db
    .selectFrom('partner_credentials as c')
    .innerJoin('partners as p', 'p.code', 'c.partner_code')
    .select(['c.secret_sealed', 'c.retires_at', 'c.revoked_at', 'p.code', 'p.kind', 'p.name', 'p.status', 'p.legacy_allowed'])
    .where('c.client_code', '=', clientCode)
    .executeTakeFirst()
  if (!row) return null
  const entry: CachedCredential = { ...row, secret: row.secret_sealed, plain: null, fetchedAt: Date.now() }
  if (cache.size > 10_000) cache.clear()
  cache.set(clientCode, entry)
  return entry
}

interface WaitingNonce {
  readonly client: string
  readonly nonce: string
  readonly at: Date
  readonly done: (fresh: boolean) => void
  readonly fail: (err: unknown) => void
}
interface NonceQueue {
  waiting: WaitingNonce[]
  busy: boolean
}
const nonceQueues = new WeakMap<object, NonceQueue>()

/**
 * Records a call's nonce; false when it was seen before (a replay). The nonces of the calls
 * arriving while one statement is out are written together by the next, one statement for
 * all of them (decision 0009): a purchase is three signed calls, and each cost a statement.
 * The primary key in PostgreSQL still refuses a nonce used before, by this process or
 * another; the same nonce twice in one batch is refused here, all but the first.
 *
 * The statement commits without waiting for the disk (synchronous_commit off for its own
 * transaction only). Safe: WAL is written in order, so the next durable commit — the call's
 * own writes, if it makes any — carries these nonces to disk with it. A crash can lose only
 * nonces of calls that changed nothing durable, and replaying such a call is the same as
 * retrying it.
 */
function recordNonce(db: Db, client: string, nonce: string, at: Date): Promise<boolean> {
  let q = nonceQueues.get(db)
  if (!q) nonceQueues.set(db, (q = { waiting: [], busy: false }))
  const queue = q
  return new Promise<boolean>((done, fail) => {
    queue.waiting.push({ client, nonce, at, done, fail })
    if (!queue.busy) void writeNonces(db, queue)
  })
}

async function writeNonces(db: Db, q: NonceQueue): Promise<void> {
  q.busy = true
  try {
    while (q.waiting.length > 0) {
      const batch = q.waiting.splice(0, 1000)
      const key = (n: { client: string; nonce: string }) => `${n.client}\n${n.nonce}`
      const seen = new Set<string>()
      const unique: WaitingNonce[] = []
      for (const n of batch) {
        if (seen.has(key(n))) n.done(false)
        else {
          seen.add(key(n))
          unique.push(n)
        }
      }
      try {
        const r = await sql<{ client: string; nonce: string }>`
          with quick as (select set_config('synchronous_commit', 'off', true))
          insert into partner_nonces (client_code, nonce, seen_at)
          select u.c, u.n, u.s from quick, unnest(${unique.map((n) => n.client)}::text[], ${unique.map((n) => n.nonce)}::text[], ${unique.map((n) => n.at.toISOString())}::timestamptz[]) as u(c, n, s)
          on conflict do nothing
          returning client_code as client, nonce`.execute(db)
        const fresh = new Set(r.rows.map(key))
        for (const n of unique) n.done(fresh.has(key(n)))
      } catch (err) {
        for (const n of unique) n.fail(err)
      }
    }
  } finally {
    q.busy = false
  }
}

/**
 * The check every partner call passes: a readable claim, inside the window, a live
 * credential of an active partner of the right kind, a matching signature, and a nonce not
 * seen before. The nonce is recorded only after the signature matched, so a stranger
 * cannot burn a partner's nonces.
 */
export async function authenticate(
  deps: PartnersDeps,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  req: SignedRequest,
  kind: PartnerKind | 'any',
): Promise<AuthenticatedPartner> {
  const claim = readClaim(headers)
  if (claim === 'missing') throw new AppError('PARTNER_SIGNATURE_MISSING')
  if (claim === 'malformed') throw new AppError('PARTNER_SIGNATURE_INVALID', { detail: 'malformed signature headers' })
  const now = deps.clock.now()
  if (!withinWindow(claim.timestamp, now)) throw new AppError('PARTNER_TIMESTAMP_OUT_OF_WINDOW')
  const cred = await credential(deps.db, claim.clientCode)
  const live = cred && cred.revoked_at === null && (cred.retires_at === null || cred.retires_at > now)
  // An unknown or retired client fails like a wrong signature: nothing tells a prober which.
  if (!cred || !live || !signatureMatches(claim, (cred.plain ??= deps.identity.decrypt(cred.secret)), req)) {
    throw new AppError('PARTNER_SIGNATURE_INVALID')
  }
  if (claim.scheme === 'legacy' && !cred.legacy_allowed) throw new AppError('PARTNER_LEGACY_NOT_ALLOWED')
  if (cred.status !== 'active') throw new AppError('PARTNER_SUSPENDED')
  if (kind !== 'any' && cred.kind !== kind) throw new AppError('FORBIDDEN')
  if (!(await recordNonce(deps.db, claim.clientCode, claim.nonce, now))) throw new AppError('PARTNER_NONCE_REUSED')
  // A cheap, bounded sweep instead of a scheduler: about one call in 500 clears old nonces.
  if (Math.random() < 0.002) await purgeNonces(deps)
  return { code: cred.code, kind: cred.kind, name: cred.name, status: cred.status, legacyAllowed: cred.legacy_allowed, clientCode: claim.clientCode, scheme: claim.scheme }
}

/** Nonces older than twice the window can never be replayed (the timestamp check refuses them first). */
export async function purgeNonces(deps: Pick<PartnersDeps, 'db' | 'clock'>): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - 2 * REPLAY_WINDOW_SECONDS * 1000)
  const r = await deps.db.deleteFrom('partner_nonces').where('seen_at', '<', cutoff).executeTakeFirst()
  return Number(r.numDeletedRows)
}

export interface Affiliation {
  readonly platformCode: string
  readonly providerCode: string
  readonly note: string
  readonly createdAt: Date
}

export async function listAffiliations(ex: Executor): Promise<Affiliation[]> {
  const rows = await ex.selectFrom('partner_affiliations').selectAll().orderBy('created_at', 'desc').execute()
  return rows.map((r) => ({ platformCode: r.platform_code, providerCode: r.provider_code, note: r.note, createdAt: r.created_at }))
}

/**
 * PMO records that a platform and a provider are owned or run by the same people; their
 * courses are then flagged as a conflict of interest when curated.
 */
export async function recordAffiliation(deps: PartnersDeps, actor: Actor, input: { platformCode: string; providerCode: string; note: string }): Promise<void> {
  const note = input.note.trim()
  await transaction(deps.db, async (trx) => {
    const platform = await findPartner(trx, input.platformCode)
    const provider = await findPartner(trx, input.providerCode)
    const fields = []
    if (!platform || platform.kind !== 'platform') fields.push({ field: 'platformCode', id: 'Pilih platform yang terdaftar.', en: 'Choose a registered platform.' })
    if (!provider || provider.kind !== 'provider') fields.push({ field: 'providerCode', id: 'Pilih lembaga pelatihan yang terdaftar.', en: 'Choose a registered training provider.' })
    if (note.length < 5) fields.push({ field: 'note', id: 'Jelaskan hubungannya (minimal 5 karakter), mis. "pemilik yang sama".', en: 'Describe the link (at least 5 characters), e.g. "same owner".' })
    if (fields.length > 0) throw new AppError('VALIDATION_FAILED', { fields })
    await trx
      .insertInto('partner_affiliations')
      .values({ platform_code: input.platformCode, provider_code: input.providerCode, note, created_at: deps.clock.now() })
      .onConflict((oc) => oc.columns(['platform_code', 'provider_code']).doUpdateSet({ note }))
      .execute()
    await record(trx, { actorId: actor.id, actorRole: actor.role, action: 'partner.affiliation-recorded', subjectType: 'partner', subjectId: input.providerCode, details: { platform: input.platformCode, note }, requestId: actor.requestId ?? null, ip: actor.ip ?? null }, deps.clock)
  })
}

/** For the demo seed: a partner with a known secret, so the sandbox platform can call the API. */
export async function ensurePartnerWithSecret(
  deps: PartnersDeps,
  input: { code: string; kind: PartnerKind; name: string; clientCode: string; secret: string; legacyAllowed?: boolean; courseUrlTemplate?: string },
): Promise<void> {
  await transaction(deps.db, async (trx) => {
    await trx
      .insertInto('partners')
      .values({ code: input.code, kind: input.kind, name: input.name, legacy_allowed: input.legacyAllowed ?? false, contact_email: null, course_url_template: input.courseUrlTemplate ?? null, created_by: null, created_at: deps.clock.now() })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
    await trx
      .insertInto('partner_credentials')
      .values({ partner_code: input.code, client_code: input.clientCode, secret_sealed: deps.identity.encrypt(input.secret), created_at: deps.clock.now(), created_by: null })
      .onConflict((oc) => oc.column('client_code').doNothing())
      .execute()
  })
  forgetCredentials(deps.db)
}
