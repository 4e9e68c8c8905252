/**
 * The in-process side of the waiting room: a cached copy of the shared line state, refreshed
 * at most every `refreshMs`, so a person who already holds a place is answered from memory
 * (no database round trip on the refusal path). Only a new arrival draws a seq from the database.
 */
import type { Db } from '../../platform/db/database.ts'
import type { Clock } from '../../platform/clock.ts'
import { advanceLine, countSignUpPost, drawSeq } from './waiting-room.repository.ts'
import { shuffleBlock, standing, type LineSettings, type LineState, type Standing } from './line.ts'
import { passKey, signPass, verifyPass, type Pass } from './token.ts'

export interface WaitingRoomSettings extends LineSettings {
  readonly enabled: boolean
  /** How long an admission lets the person through the sign-up form. */
  readonly admittedMinutes: number
  /** How stale the cached line may be before a request refreshes it. */
  readonly refreshMs: number
  /** Sign-up POSTs one admission may make (wrong input, retries) before it is used up. */
  readonly postsPerAdmission: number
}

export interface GateDeps {
  db: Db
  clock: Clock
  secret: string
  settings: WaitingRoomSettings
}

/** What to do with a request: let it through (maybe with a new cookie) or show/refuse with a standing. */
export type Decision =
  | { readonly through: true; readonly setPass: string | null }
  | { readonly through: false; readonly setPass: string | null; readonly standing: Exclude<Standing, { kind: 'admitted' }> }

const TICKET_LIFETIME_MS = 24 * 3_600_000

export interface Gate {
  /** GET /daftar: a place, an admission, or the standing of the place already held. */
  arrive(cookie: string | undefined): Promise<Decision>
  /** POST /daftar: only with an admission that is still valid and not used up. */
  submit(cookie: string | undefined): Promise<Decision>
  /** The cached state, refreshed now (tests, and the first request of a process). */
  refresh(): Promise<LineState>
}

export function createGate(deps: GateDeps): Gate {
  const key = passKey(deps.secret)
  const cfg = deps.settings
  let cached: LineState | null = null
  let cachedAt = 0
  let inFlight: Promise<LineState> | null = null
  let block: { start: number; last: number; order: Map<number, number> } | null = null

  function blockFor(s: LineState): Map<number, number> | null {
    if (s.episodeStartSeq === null || s.openingLastSeq === null) return null
    if (!block || block.start !== s.episodeStartSeq || block.last !== s.openingLastSeq) {
      block = { start: s.episodeStartSeq, last: s.openingLastSeq, order: shuffleBlock(key, s.episodeStartSeq, s.openingLastSeq) }
    }
    return block.order
  }

  function refresh(startEpisodeAt: number | null = null): Promise<LineState> {
    if (inFlight && startEpisodeAt === null) return inFlight
    const p = advanceLine(deps.db, deps.clock.now(), cfg, startEpisodeAt).then((s) => {
      cached = s
      cachedAt = performance.now()
      return s
    })
    const settled: Promise<LineState> = p.finally(() => {
      if (inFlight === settled) inFlight = null
    })
    inFlight = settled
    return settled
  }

  /** The cached state; a stale one is refreshed in the background and served meanwhile. */
  async function current(): Promise<LineState> {
    const age = performance.now() - cachedAt
    if (!cached || age > cfg.refreshMs * 4) return refresh()
    if (age > cfg.refreshMs) void refresh().catch(() => undefined)
    return cached
  }

  function admission(seq: number): string {
    return signPass(key, { kind: 'admission', seq, until: deps.clock.now().getTime() + cfg.admittedMinutes * 60_000 })
  }

  function validPass(cookie: string | undefined): Pass | null {
    const pass = verifyPass(key, cookie)
    const now = deps.clock.now().getTime()
    if (!pass) return null
    if (pass.kind === 'admission' && pass.until < now) return null
    if (pass.kind === 'ticket' && pass.issuedAt + TICKET_LIFETIME_MS < now) return null
    return pass
  }

  async function judge(seq: number, s: LineState): Promise<Decision> {
    const st = standing(seq, s, blockFor(s), deps.clock.now(), cfg)
    if (st.kind === 'admitted') return { through: true, setPass: admission(seq) }
    return { through: false, setPass: null, standing: st }
  }

  async function arrive(cookie: string | undefined): Promise<Decision> {
    const pass = validPass(cookie)
    if (pass?.kind === 'admission') return { through: true, setPass: null }
    if (pass?.kind === 'ticket') return judge(pass.seq, await current())
    // A new arrival: the one database round trip of the line (a sequence, no lock).
    const seq = await drawSeq(deps.db)
    let s = await current()
    if (seq > s.admittedThrough && s.episodeStartSeq === null) s = await refresh(seq)
    const ticket = signPass(key, { kind: 'ticket', seq, issuedAt: deps.clock.now().getTime() })
    const d = await judge(seq, s)
    return d.through ? d : { ...d, setPass: ticket }
  }

  async function submit(cookie: string | undefined): Promise<Decision> {
    const pass = validPass(cookie)
    // A ticket admitted since the form was shown is let through; anything else waits.
    const d: Decision = pass?.kind === 'admission' ? { through: true, setPass: null } : await arrive(cookie)
    if (!d.through) return d
    const seq = pass?.kind === 'admission' ? pass.seq : verifyPass(key, d.setPass ?? undefined)?.seq
    if (seq === undefined) return arrive(undefined)
    const posts = await countSignUpPost(deps.db, seq, deps.clock.now())
    if (posts <= cfg.postsPerAdmission) return d
    // Used up (shared with others, or many failed tries): back into the line.
    return arrive(undefined)
  }

  return { arrive, submit, refresh: () => refresh() }
}
