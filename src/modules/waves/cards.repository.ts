/** All SQL of cards, the blacklist, and the funnel PMO reads per region. */
import { sql } from 'kysely'
import type { Executor, Trx } from '../../platform/db/database.ts'

export async function cardNumberTaken(ex: Executor, n: string): Promise<boolean> {
  return (await ex.selectFrom('cards').select('id').where('card_number', '=', n).executeTakeFirst()) !== undefined
}

export interface NewCard {
  cardNumber: string
  accountId: string
  nikHash: string
  kkHash: string
  waveId: string
  issuedAt: Date
  firstPurchaseDeadline: Date
  balanceExpiresOn: string | null
}

/** null when this person already has a card (account or NIK). */
export async function insertCard(trx: Trx, c: NewCard) {
  return trx
    .insertInto('cards')
    .values({
      card_number: c.cardNumber,
      account_id: c.accountId,
      nik_hash: c.nikHash,
      kk_hash: c.kkHash,
      wave_id: c.waveId,
      status: 'active',
      issued_at: c.issuedAt,
      first_purchase_deadline: c.firstPurchaseDeadline,
      balance_expires_on: c.balanceExpiresOn,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'card_number', 'first_purchase_deadline'])
    .executeTakeFirst()
}

const CARD_COLUMNS = [
  'id', 'card_number', 'account_id', 'nik_hash', 'wave_id', 'status', 'issued_at', 'first_purchase_deadline', 'balance_expires_on',
  'first_purchase_at', 'revoked_at', 'revoke_reason', 'recovered_amount',
] as const

export async function cardOfAccount(ex: Executor, accountId: string) {
  return ex.selectFrom('cards').select(CARD_COLUMNS).where('account_id', '=', accountId).executeTakeFirst()
}

export async function findCard(ex: Executor, id: string) {
  return ex.selectFrom('cards').select(CARD_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function overdueCardIds(ex: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await ex
    .selectFrom('cards')
    .select('id')
    .where('status', '=', 'active')
    .where('first_purchase_at', 'is', null)
    .where('first_purchase_deadline', '<=', now)
    .orderBy('first_purchase_deadline')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** Revokes an active card that has no purchase and is past its deadline; undefined when it is not (any more). */
export async function revokeIfOverdue(trx: Trx, id: string, now: Date, reason: string) {
  return trx
    .updateTable('cards')
    .set({ status: 'revoked', revoked_at: now, revoke_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('first_purchase_at', 'is', null)
    .where('first_purchase_deadline', '<=', now)
    .returning(['id', 'account_id', 'nik_hash', 'card_number', 'wave_id', 'first_purchase_deadline'])
    .executeTakeFirst()
}

export async function setRecovered(trx: Trx, id: string, amount: number): Promise<void> {
  await trx.updateTable('cards').set({ recovered_amount: amount }).where('id', '=', id).execute()
}

export async function blacklist(trx: Trx, nikHash: string, reason: string, cardId: string, since: Date): Promise<void> {
  await trx.insertInto('blacklist').values({ nik_hash: nikHash, reason, card_id: cardId, since }).onConflict((oc) => oc.column('nik_hash').doNothing()).execute()
}

export async function isBlacklisted(ex: Executor, nikHash: string): Promise<boolean> {
  return (await ex.selectFrom('blacklist').select('nik_hash').where('nik_hash', '=', nikHash).executeTakeFirst()) !== undefined
}

export async function setFirstPurchase(ex: Executor, accountId: string, at: Date): Promise<boolean> {
  const r = await ex
    .updateTable('cards')
    .set({ first_purchase_at: at })
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .where('first_purchase_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return r !== undefined
}

export interface FunnelRow {
  province_code: string
  applicants: number
  eligible: number
  selected: number
  not_selected: number
  undecided: number
  ineligible: Record<string, number>
  cards_active: number
  cards_revoked: number
  cards_finished: number
  recovered: number
}

export async function funnel(ex: Executor, waveId: string): Promise<FunnelRow[]> {
  const apps = await ex
    .selectFrom('wave_applications as a')
    .leftJoin('wave_outcomes as o', 'o.application_id', 'a.id')
    .select([
      'a.province_code',
      'o.outcome',
      'o.ineligible_reason',
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .where('a.wave_id', '=', waveId)
    .groupBy(['a.province_code', 'o.outcome', 'o.ineligible_reason'])
    .execute()
  const cards = await ex
    .selectFrom('cards as c')
    .innerJoin('wave_applications as a', (j) => j.onRef('a.wave_id', '=', 'c.wave_id').onRef('a.account_id', '=', 'c.account_id'))
    .select(['a.province_code', 'c.status', (eb) => eb.fn.countAll<string>().as('n'), sql<string>`coalesce(sum(c.recovered_amount), 0)`.as('recovered')])
    .where('c.wave_id', '=', waveId)
    .groupBy(['a.province_code', 'c.status'])
    .execute()
  const by = new Map<string, FunnelRow>()
  const row = (p: string): FunnelRow => {
    let r = by.get(p)
    if (!r) {
      r = { province_code: p, applicants: 0, eligible: 0, selected: 0, not_selected: 0, undecided: 0, ineligible: {}, cards_active: 0, cards_revoked: 0, cards_finished: 0, recovered: 0 }
      by.set(p, r)
    }
    return r
  }
  for (const a of apps) {
    const r = row(a.province_code)
    const n = Number(a.n)
    r.applicants += n
    if (a.outcome === 'selected') r.selected += n
    else if (a.outcome === 'not_selected') r.not_selected += n
    else if (a.outcome === 'ineligible') r.ineligible[a.ineligible_reason ?? 'other'] = (r.ineligible[a.ineligible_reason ?? 'other'] ?? 0) + n
    else r.undecided += n
    if (a.outcome === 'selected' || a.outcome === 'not_selected') r.eligible += n
  }
  for (const c of cards) {
    const r = row(c.province_code)
    const n = Number(c.n)
    if (c.status === 'active') r.cards_active += n
    else if (c.status === 'revoked') r.cards_revoked += n
    else r.cards_finished += n
    r.recovered += Number(c.recovered)
  }
  return [...by.values()].sort((a, b) => a.province_code.localeCompare(b.province_code))
}
