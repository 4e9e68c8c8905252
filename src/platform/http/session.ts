/**
 * Cookie sessions stored in the database (hash of the id only), so any process behind
 * the same database recognises them and a leaked table holds no usable ids.
 */
import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/database.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../../config.ts'
import { findLiveSession, insertSession, touchSession, deleteSession, type SessionRow } from './session.repository.ts'

export const SESSION_COOKIE = 'karya_sid'
const TOUCH_EVERY_MS = 5 * 60_000

export type SessionAccount = NonNullable<SessionRow['account']>

declare module 'fastify' {
  interface FastifyRequest {
    /** Set only for a fully logged-in session. */
    account: SessionAccount | null
    sessionIdHash: string | null
    /** Password accepted, SMS code still owed: the account waiting for it. */
    partialLogin: SessionAccount | null
  }
}

export function hashSessionId(id: string): string {
  return crypto.createHash('sha256').update(id).digest('base64url')
}

interface SessionDeps {
  db: Db
  clock: Clock
  config: Config
}

function cookieOptions(config: Config, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.publicUrl.startsWith('https://'),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  }
}

export function registerSessions(app: FastifyInstance, deps: SessionDeps): void {
  app.decorateRequest('account', null)
  app.decorateRequest('sessionIdHash', null)
  app.decorateRequest('partialLogin', null)
  app.addHook('onRequest', async (req) => {
    const raw = req.cookies[SESSION_COOKIE]
    if (!raw || raw.length > 100) return
    const idHash = hashSessionId(raw)
    const now = deps.clock.now()
    const session = await findLiveSession(deps.db, idHash, now)
    if (!session) return
    req.sessionIdHash = idHash
    if (session.stage === 'full') req.account = session.account
    else req.partialLogin = session.account
    // Sliding expiry, written at most every few minutes so reads stay reads.
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await touchSession(deps.db, idHash, now, expiryFrom(now, deps.config))
    }
  })
}

function expiryFrom(now: Date, config: Config): Date {
  return new Date(now.getTime() + config.sessionTtlHours * 3_600_000)
}

/** Starts a fresh session for the account (a new id at every step of a login: no fixation). */
export async function startSession(
  req: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  deps: SessionDeps,
  stage: 'full' | 'password' = 'full',
): Promise<void> {
  if (req.sessionIdHash) await deleteSession(deps.db, req.sessionIdHash)
  const id = crypto.randomBytes(32).toString('base64url')
  const now = deps.clock.now()
  await insertSession(deps.db, {
    idHash: hashSessionId(id),
    accountId,
    expiresAt: expiryFrom(now, deps.config),
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    stage,
  })
  reply.setCookie(SESSION_COOKIE, id, cookieOptions(deps.config, deps.config.sessionTtlHours * 3600))
}

export async function endSession(req: FastifyRequest, reply: FastifyReply, deps: SessionDeps): Promise<void> {
  if (req.sessionIdHash) await deleteSession(deps.db, req.sessionIdHash)
  reply.clearCookie(SESSION_COOKIE, cookieOptions(deps.config))
}
