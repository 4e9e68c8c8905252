/**
 * The line itself, as pure arithmetic over a shared state row: who is admitted, in what
 * order, at what rate, and what to tell the person waiting. No I/O here.
 *
 * Every arrival draws `seq` from one database sequence. Its place in line (`line`) is its
 * seq, except for the opening block: the arrivals of the first minute after the line formed
 * (seqs S0..Send) are ranked by a keyed hash, so refreshing early wins nothing. Everyone with
 * line <= admittedThrough (the watermark) is admitted; the watermark grows at the admission
 * rate and never passes the seq last seen issued plus one second's burst, so idle time is not banked.
 */
import crypto from 'node:crypto'

export interface LineState {
  /** Watermark in line numbers (fractional: it grows by rate × elapsed time). */
  readonly admittedThrough: number
  readonly advancedAt: Date
  /** First seq of the current episode (the line formed); null while nobody waits. */
  readonly episodeStartSeq: number | null
  readonly episodeStartedAt: Date | null
  /** Last seq of the shuffled opening block; null while the block is still open. */
  readonly openingLastSeq: number | null
  /** The last issued seq when the watermark was last advanced: the burst is counted from it. */
  readonly issuedSeen: number
  /** When the last line drained; a line forming soon after is a bump, not an opening. */
  readonly drainedAt: Date | null
}

/** A line that forms this soon after the last one drained gets no opening draw. */
export const QUIET_BEFORE_OPENING_MS = 10 * 60_000

export interface LineSettings {
  readonly ratePerSecond: number
  readonly openingShuffleSeconds: number
}

/**
 * The state after time `now`, given the last issued seq. Pure: the repository applies the
 * result under a row lock, so any number of processes can call it in any order.
 */
export function advance(s: LineState, issued: number, now: Date, cfg: LineSettings): LineState {
  let from = s.advancedAt.getTime()
  // One second of burst beyond what had arrived at the last look, no more: arrivals since then
  // (a sudden crowd) cannot raise their own cap.
  let cap = s.issuedSeen + cfg.ratePerSecond
  let { episodeStartSeq, episodeStartedAt, openingLastSeq, drainedAt } = s
  if (episodeStartSeq !== null && openingLastSeq === null) {
    const closesAt = (episodeStartedAt?.getTime() ?? 0) + cfg.openingShuffleSeconds * 1000
    // Nobody from the block goes in before the draw: their order is not known yet. The time
    // before the draw is not banked either (it would let the whole minute in at once).
    if (now.getTime() >= closesAt) {
      openingLastSeq = issued
      from = Math.max(from, closesAt)
    } else cap = Math.min(cap, episodeStartSeq - 1)
  }
  const elapsed = Math.max(0, now.getTime() - from) / 1000
  const admittedThrough = Math.max(s.admittedThrough, Math.min(s.admittedThrough + elapsed * cfg.ratePerSecond, cap))
  if (episodeStartSeq !== null && openingLastSeq !== null && admittedThrough >= issued) {
    // Drained: the line is gone; the next surge starts a new episode with its own draw.
    episodeStartSeq = null
    episodeStartedAt = null
    openingLastSeq = null
    drainedAt = now
  }
  const advancedAt = now.getTime() > s.advancedAt.getTime() ? now : s.advancedAt
  return { admittedThrough, advancedAt, episodeStartSeq, episodeStartedAt, openingLastSeq, issuedSeen: Math.max(s.issuedSeen, issued), drainedAt }
}

/**
 * The line forms at `seq` (the first arrival beyond the watermark). After a quiet spell this is
 * an opening: the next `openingShuffleSeconds` of arrivals are drawn into order. Soon after the
 * last line drained it is only a bump: arrival order at once, so no minute of admissions is lost.
 */
export function formLine(s: LineState, seq: number, now: Date): LineState {
  const bump = s.drainedAt !== null && now.getTime() - s.drainedAt.getTime() < QUIET_BEFORE_OPENING_MS
  return { ...s, episodeStartSeq: seq, episodeStartedAt: now, openingLastSeq: bump ? seq - 1 : null }
}

/** The keyed order of the opening block: seq → line number. Computed once per block per process. */
export function shuffleBlock(key: Buffer, startSeq: number, lastSeq: number): Map<number, number> {
  const keyed: Array<{ seq: number; h: string }> = []
  for (let seq = startSeq; seq <= lastSeq; seq++) {
    keyed.push({ seq, h: crypto.createHmac('sha256', key).update(`${startSeq}:${seq}`).digest('hex') })
  }
  keyed.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
  const order = new Map<number, number>()
  keyed.forEach((k, i) => order.set(k.seq, startSeq + i))
  return order
}

/** The place in line of a seq, or null while its opening block has not been drawn yet. */
export function lineOf(seq: number, s: LineState, block: Map<number, number> | null): number | null {
  if (s.episodeStartSeq === null || seq < s.episodeStartSeq) return seq
  if (s.openingLastSeq === null) return null
  if (seq > s.openingLastSeq) return seq
  return block?.get(seq) ?? null
}

export type Standing =
  | { readonly kind: 'admitted' }
  | { readonly kind: 'draw'; readonly drawAt: Date; readonly retryAfterSeconds: number }
  | { readonly kind: 'waiting'; readonly position: number; readonly waitSeconds: number; readonly retryAfterSeconds: number }

/** What to tell the person holding `seq`: honest position, expected wait and when to look again. */
export function standing(seq: number, s: LineState, block: Map<number, number> | null, now: Date, cfg: LineSettings): Standing {
  const line = lineOf(seq, s, block)
  if (line === null) {
    const drawAt = new Date((s.episodeStartedAt?.getTime() ?? now.getTime()) + cfg.openingShuffleSeconds * 1000)
    const untilDraw = Math.ceil((drawAt.getTime() - now.getTime()) / 1000)
    return { kind: 'draw', drawAt, retryAfterSeconds: clamp(untilDraw + 2, 5, 60) }
  }
  if (line <= s.admittedThrough) return { kind: 'admitted' }
  const position = Math.ceil(line - s.admittedThrough)
  const waitSeconds = Math.ceil(position / cfg.ratePerSecond)
  // Look again after about a third of the wait: light on the server, and the number moves visibly.
  return { kind: 'waiting', position, waitSeconds, retryAfterSeconds: clamp(Math.ceil(waitSeconds / 3), 5, 60) }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n))
}
