/**
 * The published draw algorithm, `karya-draw-v2` (pure; see docs/draw-verification.md and
 * decision 0008).
 *
 * 1. Before a wave opens, PMO publishes the commitment: sha256 of a secret 32-byte seed.
 * 2. After it closes, every eligible applicant gets a rank: sha256 of the text
 *    `<seed in lowercase hex>:<pseudonym>`, as lowercase hex.
 * 3. Applicants are taken in one order: priority group first, then rank (as text, ascending),
 *    then pseudonym (never needed: the rank includes the pseudonym, unique in a wave).
 * 4. One pass: an applicant is selected when their draw area still has places and their KK
 *    (the per-wave KK pseudonym) has had fewer than maxPerKk turns, counting cards from
 *    earlier waves (`kp`) plus the members of that KK who came before in this order, selected
 *    or not. Equivalently, as window ranks (how runDraw computes it in SQL): a KK's first
 *    `maxPerKk - kp` members in the order take part; an area selects the first `quota` of the
 *    people taking part in it.
 *
 * v1 counted only the KK's members already *selected*; it differs from v2 only for a KK whose
 * members draw in different areas (a member passed over because their area was full used no
 * turn in v1, and uses one in v2). v2 is what makes the draw computable set-based (decision 0008).
 *
 * runDraw (draw.service.ts) computes it in the database; the verifier (scripts/draw-verify.ts)
 * runs this code over the export, and the tests check that both agree.
 */
import crypto from 'node:crypto'

export const DRAW_ALGORITHM = 'karya-draw-v2'

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

/**
 * The export's order of eligible applicants: by draw area (as text), then draw order. Each
 * area's lines are its draw order, so a line's place among its area's lines is the person's
 * place in that area. Negative when a comes first.
 */
export function compareExportOrder(a: Pick<DrawCandidate, 'area' | 'priority' | 'rank' | 'pseudonym'>, b: Pick<DrawCandidate, 'area' | 'priority' | 'rank' | 'pseudonym'>): number {
  if (a.area !== b.area) return a.area < b.area ? -1 : 1
  return compareDrawOrder(a, b)
}

export class DrawOrderError extends Error {}

/**
 * The one-pass selection, fed one candidate at a time in draw order (so a caller can stream
 * millions of rows in batches). Refuses input out of draw order or a repeated pseudonym: a
 * database that ordered differently from the published algorithm must not produce a draw.
 */
export class Selector {
  private readonly left: Map<string, number>
  /** Turns each KK has had in this pass (its members seen so far, selected or not). */
  private readonly turnsOfKk = new Map<string, number>()
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
    const turns = this.turnsOfKk.get(c.kk) ?? 0
    this.turnsOfKk.set(c.kk, turns + 1)
    if (left > 0 && c.kkPrior + turns < this.maxPerKk) {
      this.left.set(c.area, left - 1)
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
