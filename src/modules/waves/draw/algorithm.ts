/**
 * The published draw algorithm, `karya-draw-v1` (pure; see docs/draw-verification.md).
 *
 * 1. Before a wave opens, PMO publishes the commitment: sha256 of a secret 32-byte seed.
 * 2. After it closes, every eligible applicant gets a rank: sha256 of the text
 *    `<seed in lowercase hex>:<pseudonym>`, as lowercase hex.
 * 3. Applicants are taken in one order: priority group first, then rank (as text, ascending),
 *    then pseudonym (never needed: the rank includes the pseudonym, unique in a wave).
 * 4. One pass: an applicant is selected when their draw area still has places and their KK
 *    (the per-wave KK pseudonym) holds fewer than maxPerKk cards, counting cards from earlier
 *    waves (`kp`) plus the people of that KK already selected in this pass.
 *
 * runDraw (draw.service.ts) runs this over the database, ordered by the database; the
 * verifier (scripts/draw-verify.ts) runs the same code over the export.
 */
import crypto from 'node:crypto'

export const DRAW_ALGORITHM = 'karya-draw-v1'

const HEX_SEED = /^[0-9a-f]{64}$/

export function isSeedHex(seedHex: string): boolean {
  return HEX_SEED.test(seedHex)
}

/** A fresh secret seed: 32 random bytes as lowercase hex. */
export function newSeedHex(): string {
  return crypto.randomBytes(32).toString('hex')
}

/** The commitment published before the wave opens: sha256 of the 32 seed bytes, lowercase hex. */
export function seedCommitment(seedHex: string): string {
  if (!isSeedHex(seedHex)) throw new Error('a seed is 64 lowercase hex characters')
  return crypto.createHash('sha256').update(Buffer.from(seedHex, 'hex')).digest('hex')
}

/** An applicant's rank: sha256 hex of `${seedHex}:${pseudonym}` (UTF-8). */
export function rank(seedHex: string, pseudonym: string): string {
  return crypto.createHash('sha256').update(`${seedHex}:${pseudonym}`, 'utf8').digest('hex')
}

/**
 * The per-wave KK pseudonym printed in the export: the first 16 hex characters of
 * HMAC-SHA256 keyed by the 32 seed bytes over the KK lookup hash. It groups the members of
 * one KK without revealing the KK, and cannot be linked across waves (the key changes).
 */
export function kkPseudonym(seedHex: string, kkHash: string): string {
  return crypto.createHmac('sha256', Buffer.from(seedHex, 'hex')).update(kkHash, 'utf8').digest('hex').slice(0, 16)
}

/** The two HMAC pads for computing kkPseudonym inside SQL: k = sha256(outer || sha256(inner || kk_hash)). */
export function kkPseudonymPads(seedHex: string): { inner: Buffer; outer: Buffer } {
  const key = Buffer.alloc(64)
  Buffer.from(seedHex, 'hex').copy(key)
  const inner = Buffer.alloc(64)
  const outer = Buffer.alloc(64)
  for (let i = 0; i < 64; i++) {
    inner[i] = key[i]! ^ 0x36
    outer[i] = key[i]! ^ 0x5c
  }
  return { inner, outer }
}

/** One eligible applicant as the draw sees it. */
export interface DrawCandidate {
  readonly pseudonym: string
  /** The draw area (quotas.ts drawAreaOf). */
  readonly area: string
  readonly priority: boolean
  /** sha256 hex rank (rank()). */
  readonly rank: string
  /** The KK's identity in this draw (kkPseudonym()). */
  readonly kk: string
  /** Cards already issued to this KK in earlier waves. */
  readonly kkPrior: number
}

export interface DrawDecision {
  readonly selected: boolean
  /** 1-based place of the applicant in their area's draw order. */
  readonly position: number
}

/** Draw order: priority first, then rank, then pseudonym. Negative when a comes first. */
export function compareDrawOrder(a: Pick<DrawCandidate, 'priority' | 'rank' | 'pseudonym'>, b: Pick<DrawCandidate, 'priority' | 'rank' | 'pseudonym'>): number {
  if (a.priority !== b.priority) return a.priority ? -1 : 1
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1
  if (a.pseudonym !== b.pseudonym) return a.pseudonym < b.pseudonym ? -1 : 1
  return 0
}

export class DrawOrderError extends Error {}

/**
 * The one-pass selection, fed one candidate at a time in draw order (so a caller can stream
 * millions of rows in batches). Refuses input out of draw order or a repeated pseudonym: a
 * database that ordered differently from the published algorithm must not produce a draw.
 */
export class Selector {
  private readonly left: Map<string, number>
  private readonly takenInKk = new Map<string, number>()
  private readonly positions = new Map<string, number>()
  private last: DrawCandidate | null = null
  selected = 0
  seen = 0

  constructor(
    quotas: ReadonlyMap<string, number>,
    private readonly maxPerKk: number,
  ) {
    this.left = new Map(quotas)
  }

  next(c: DrawCandidate): DrawDecision {
    if (this.last && compareDrawOrder(this.last, c) >= 0) {
      throw new DrawOrderError(`draw input out of order at ${c.pseudonym} (after ${this.last.pseudonym})`)
    }
    this.last = c
    this.seen++
    const position = (this.positions.get(c.area) ?? 0) + 1
    this.positions.set(c.area, position)
    const left = this.left.get(c.area) ?? 0
    const taken = this.takenInKk.get(c.kk) ?? 0
    if (left > 0 && c.kkPrior + taken < this.maxPerKk) {
      this.left.set(c.area, left - 1)
      this.takenInKk.set(c.kk, taken + 1)
      this.selected++
      return { selected: true, position }
    }
    return { selected: false, position }
  }

  /** Places left per area after the candidates seen so far. */
  remaining(): ReadonlyMap<string, number> {
    return this.left
  }
}

/** The whole draw over candidates already in draw order. */
export function* selectWinners<T extends DrawCandidate>(
  sorted: Iterable<T>,
  quotas: ReadonlyMap<string, number>,
  maxPerKk: number,
): Generator<{ candidate: T } & DrawDecision> {
  const selector = new Selector(quotas, maxPerKk)
  for (const candidate of sorted) yield { candidate, ...selector.next(candidate) }
}
