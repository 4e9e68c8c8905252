/** All SQL of the ledger. Functions take an executor (the root db or a transaction) first. */
import { sql, type Selectable } from 'kysely'
import type { Executor, Trx } from '../../platform/db/database.ts'
import type { AccountType } from './codes.ts'
import type { LedgerAccountsTable, LedgerTransfersTable, LedgerChecksTable } from './ledger.tables.ts'

export type AccountRow = Selectable<LedgerAccountsTable>
export type TransferRow = Selectable<LedgerTransfersTable>
export type CheckRow = Selectable<LedgerChecksTable>
export type NewTransferRow = Omit<TransferRow, 'id' | 'currency'>

/** Creates the account if it is not there yet; either way returns it. */
export async function insertAccountIfAbsent(
  ex: Executor,
  a: { type: AccountType; ownerRef: string | null; mayGoNegative: boolean; shard?: number },
): Promise<AccountRow> {
  const shard = a.shard ?? 0
  await sql`
    insert into ledger_accounts (type, owner_ref, may_go_negative, shard)
    values (${a.type}, ${a.ownerRef}, ${a.mayGoNegative}, ${shard})
    on conflict (type, coalesce(owner_ref, ''), shard) do nothing`.execute(ex)
  const row = await findAccountByOwner(ex, a.type, a.ownerRef, shard)
  if (!row) throw new Error(`ledger account ${a.type}/${a.ownerRef ?? '-'} vanished after insert`)
  return row
}

export function findAccountByOwner(ex: Executor, type: AccountType, ownerRef: string | null, shard = 0): Promise<AccountRow | undefined> {
  return ex
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('type', '=', type)
    .where(sql<string>`coalesce(owner_ref, '')`, '=', ownerRef ?? '')
    .where('shard', '=', shard)
    .executeTakeFirst()
}

/** Every shard of an owner's account of this type (one row unless the type is sharded). */
export function findAccountShards(ex: Executor, type: AccountType, ownerRef: string | null): Promise<AccountRow[]> {
  return ex
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('type', '=', type)
    .where(sql<string>`coalesce(owner_ref, '')`, '=', ownerRef ?? '')
    .orderBy('shard')
    .execute()
}

export function findAccount(ex: Executor, id: number): Promise<AccountRow | undefined> {
  return ex.selectFrom('ledger_accounts').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findAccounts(ex: Executor, ids: number[]): Promise<AccountRow[]> {
  if (ids.length === 0) return Promise.resolve([])
  return ex.selectFrom('ledger_accounts').selectAll().where('id', 'in', ids).orderBy('id').execute()
}

/**
 * Row locks on the accounts, taken in id order (ORDER BY is applied before the lock), so
 * two transfers touching the same accounts in opposite directions cannot deadlock.
 */
export function lockAccounts(trx: Trx, ids: number[]): Promise<AccountRow[]> {
  return trx.selectFrom('ledger_accounts').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute()
}

export interface BalanceChange {
  accountId: number
  debitsPosted: number
  creditsPosted: number
  debitsPending: number
  creditsPending: number
}

/** One statement for all accounts of a transfer; their rows are already locked by the caller. */
export async function applyBalanceChanges(trx: Trx, changes: BalanceChange[]): Promise<void> {
  const values = sql.join(
    changes.map(
      (c) =>
        sql`(${c.accountId}::bigint, ${c.debitsPosted}::bigint, ${c.creditsPosted}::bigint, ${c.debitsPending}::bigint, ${c.creditsPending}::bigint)`,
    ),
  )
  await sql`
    update ledger_accounts a set
      debits_posted = a.debits_posted + v.dp,
      credits_posted = a.credits_posted + v.cp,
      debits_pending = a.debits_pending + v.dq,
      credits_pending = a.credits_pending + v.cq
    from (values ${values}) as v(id, dp, cp, dq, cq)
    where a.id = v.id`.execute(trx)
}

export type MoveStatus = 'created' | 'exists' | 'unknown_account' | 'route_not_allowed' | 'insufficient_funds'

export interface MoveParams {
  kind: 'single' | 'pending'
  debitAccountId: number
  creditAccountId: number
  amount: number
  code: string
  /** Allowed "debitType>creditType" routes; null: any. */
  routes: string[] | null
  referenceType: string
  referenceId: string
  key: string
  timeoutSeconds: number | null
  expiresAt: Date | null
  memo: string | null
  createdAt: Date
}

function transferFromJson(j: Record<string, unknown>): TransferRow {
  const row = j as unknown as TransferRow
  return { ...row, created_at: new Date(row.created_at), expires_at: row.expires_at ? new Date(row.expires_at) : null }
}

/** One statement: ledger_move (see the migration) locks, checks, appends and updates. */
export async function moveMoney(ex: Executor, p: MoveParams): Promise<{ status: MoveStatus; transfer: TransferRow | null }> {
  const routes = p.routes === null ? null : sql`${p.routes}::text[]`
  const res = await sql<{ r: { status: MoveStatus; transfer?: Record<string, unknown> } }>`
    select ledger_move(${p.kind}, ${p.debitAccountId}::bigint, ${p.creditAccountId}::bigint, ${p.amount}::bigint, ${p.code},
      ${routes ?? sql`null::text[]`}, ${p.referenceType}, ${p.referenceId}, ${p.key}, ${p.timeoutSeconds}::integer,
      ${p.expiresAt}::timestamptz, ${p.memo}::text, ${p.createdAt}::timestamptz) as r`.execute(ex)
  const r = res.rows[0]!.r
  return { status: r.status, transfer: r.transfer ? transferFromJson(r.transfer) : null }
}

export type ResolveStatus = 'unknown_hold' | 'resolved' | 'key_taken' | 'not_due' | 'expired' | 'exceeds' | 'conflict' | 'created'

/**
 * One statement: ledger_resolve (see its migration) reads the hold, locks both accounts,
 * looks for an earlier resolution and for the key, checks the deadline and the amount,
 * appends the resolution and changes the balances. `transfer` is the row found or made.
 */
export async function resolveHold(
  ex: Executor,
  p: { holdId: number; kind: 'post' | 'void' | 'expire'; amount: number | null; key: string; now: Date },
): Promise<{ status: ResolveStatus; hold: TransferRow | null; transfer: TransferRow | null }> {
  const res = await sql<{ r: { status: ResolveStatus; hold?: Record<string, unknown>; transfer?: Record<string, unknown> } }>`
    select ledger_resolve(${p.holdId}::bigint, ${p.kind}, ${p.amount}::bigint, ${p.key}, ${p.now}::timestamptz) as r`.execute(ex)
  const r = res.rows[0]!.r
  return { status: r.status, hold: r.hold ? transferFromJson(r.hold) : null, transfer: r.transfer ? transferFromJson(r.transfer) : null }
}

/** undefined when the idempotency key (or the hold's one resolution) is already taken. */
export async function insertTransfer(trx: Trx, t: NewTransferRow): Promise<TransferRow | undefined> {
  return trx
    .insertInto('ledger_transfers')
    .values(t)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst()
}

export function findTransfer(ex: Executor, id: number): Promise<TransferRow | undefined> {
  return ex.selectFrom('ledger_transfers').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findTransferByKey(ex: Executor, key: string): Promise<TransferRow | undefined> {
  return ex.selectFrom('ledger_transfers').selectAll().where('idempotency_key', '=', key).executeTakeFirst()
}

export function findResolution(ex: Executor, holdId: number): Promise<TransferRow | undefined> {
  return ex.selectFrom('ledger_transfers').selectAll().where('pending_id', '=', holdId).executeTakeFirst()
}

/** Holds past their deadline with no resolution yet, oldest deadline first. */
export async function findDueHolds(ex: Executor, now: Date, limit: number): Promise<number[]> {
  const rows = await ex
    .selectFrom('ledger_transfers as h')
    .select('h.id')
    .where('h.kind', '=', 'pending')
    .where('h.expires_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('ledger_transfers as r').select('r.id').whereRef('r.pending_id', '=', 'h.id'))),
    )
    .orderBy('h.expires_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

export interface MovementRow extends TransferRow {
  /** The account on this side of the transfer. */
  account_id: number
  /** For a resolution: the amount the hold had reserved. */
  hold_amount: number | null
  counterparty_type: AccountType
}

/** Every transfer touching the accounts, newest first; `beforeId` is the keyset cursor. */
export async function listMovements(
  ex: Executor,
  accountIds: number[],
  page: { beforeId: number | null; limit: number },
): Promise<MovementRow[]> {
  if (accountIds.length === 0) return []
  const before = page.beforeId ?? Number.MAX_SAFE_INTEGER
  const ids = sql.join(accountIds.map((id) => sql`${id}::bigint`))
  const res = await sql<MovementRow>`
    select t.*, s.account_id, h.amount as hold_amount, o.type as counterparty_type
    from (
      select id, debit_account_id as account_id, credit_account_id as other_id from ledger_transfers
        where debit_account_id in (${ids}) and id < ${before}
      union all
      select id, credit_account_id, debit_account_id from ledger_transfers
        where credit_account_id in (${ids}) and id < ${before}
    ) s
    join ledger_transfers t on t.id = s.id
    join ledger_accounts o on o.id = s.other_id
    left join ledger_transfers h on h.id = t.pending_id
    order by t.id desc, s.account_id
    limit ${page.limit}`.execute(ex)
  return res.rows.map((r) => ({ ...r, created_at: new Date(r.created_at), expires_at: r.expires_at ? new Date(r.expires_at) : null }))
}

/** Sets the transaction's snapshot so every query of a check sees the same moment. */
export async function useOneSnapshot(trx: Trx): Promise<void> {
  await sql`set transaction isolation level repeatable read, read only`.execute(trx)
}

/** Per-row contributions of a transfer to its two accounts' four balance columns. */
const CONTRIBUTIONS = sql`
  with t as (
    select t.*, h.amount as hold_amount
    from ledger_transfers t left join ledger_transfers h on h.id = t.pending_id
  ), parts as (
    select debit_account_id as account_id,
      case when kind in ('single','post') then amount else 0 end as dp, 0 as cp,
      case when kind = 'pending' then amount when kind in ('post','void','expire') then -hold_amount else 0 end as dq, 0 as cq
    from t
    union all
    select credit_account_id, 0, case when kind in ('single','post') then amount else 0 end,
      0, case when kind = 'pending' then amount when kind in ('post','void','expire') then -hold_amount else 0 end
    from t
  ), sums as (
    select account_id, sum(dp)::bigint as dp, sum(cp)::bigint as cp, sum(dq)::bigint as dq, sum(cq)::bigint as cq
    from parts group by account_id
  )`

export interface AccountMismatch {
  id: number
  type: AccountType
  may_go_negative: boolean
  cached: [number, number, number, number]
  derived: [number, number, number, number]
}

/** Accounts whose cached balances differ from the sums of their transfers, or that break the sign rule. */
export async function findAccountProblems(ex: Executor, limit: number): Promise<{ rows: AccountMismatch[]; count: number }> {
  const res = await sql<{
    id: number
    type: AccountType
    may_go_negative: boolean
    debits_posted: number
    credits_posted: number
    debits_pending: number
    credits_pending: number
    dp: number
    cp: number
    dq: number
    cq: number
    total: number
  }>`
    ${CONTRIBUTIONS}
    select a.id, a.type, a.may_go_negative, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
      coalesce(s.dp, 0) as dp, coalesce(s.cp, 0) as cp, coalesce(s.dq, 0) as dq, coalesce(s.cq, 0) as cq,
      count(*) over () as total
    from ledger_accounts a left join sums s on s.account_id = a.id
    where a.debits_posted <> coalesce(s.dp, 0) or a.credits_posted <> coalesce(s.cp, 0)
       or a.debits_pending <> coalesce(s.dq, 0) or a.credits_pending <> coalesce(s.cq, 0)
       or (not a.may_go_negative and coalesce(s.cp, 0) - coalesce(s.dp, 0) - coalesce(s.dq, 0) < 0)
       or s.dq < 0 or s.cq < 0
    order by a.id
    limit ${limit}`.execute(ex)
  return {
    count: Number(res.rows[0]?.total ?? 0),
    rows: res.rows.map((r) => ({
      id: r.id,
      type: r.type,
      may_go_negative: r.may_go_negative,
      cached: [r.debits_posted, r.credits_posted, r.debits_pending, r.credits_pending],
      derived: [Number(r.dp), Number(r.cp), Number(r.dq), Number(r.cq)],
    })),
  }
}

export interface LedgerTotals {
  accounts: number
  transfers: number
  /** Sums of the cached columns over all accounts. */
  cached: { dp: number; cp: number; dq: number; cq: number }
  /** The same sums derived from the transfers. */
  derived: { dp: number; cp: number; dq: number; cq: number }
}

export async function ledgerTotals(ex: Executor): Promise<LedgerTotals> {
  const cached = await sql<{ n: number; dp: number; cp: number; dq: number; cq: number }>`
    select count(*) as n, coalesce(sum(debits_posted), 0)::bigint as dp, coalesce(sum(credits_posted), 0)::bigint as cp,
      coalesce(sum(debits_pending), 0)::bigint as dq, coalesce(sum(credits_pending), 0)::bigint as cq
    from ledger_accounts`.execute(ex)
  const derived = await sql<{ n: number; dp: number; cp: number; dq: number; cq: number }>`
    ${CONTRIBUTIONS}
    select (select count(*) from ledger_transfers) as n,
      coalesce(sum(dp), 0)::bigint as dp, coalesce(sum(cp), 0)::bigint as cp,
      coalesce(sum(dq), 0)::bigint as dq, coalesce(sum(cq), 0)::bigint as cq
    from sums`.execute(ex)
  const c = cached.rows[0]!
  const d = derived.rows[0]!
  const n = (x: { dp: number; cp: number; dq: number; cq: number }) => ({ dp: Number(x.dp), cp: Number(x.cp), dq: Number(x.dq), cq: Number(x.cq) })
  return { accounts: Number(c.n), transfers: Number(d.n), cached: n(c), derived: n(d) }
}

export interface HoldStates {
  open: number
  posted: number
  voided: number
  expired: number
  /** Open holds whose deadline has passed: the expiry job is behind. */
  overdue: number
}

export async function holdStates(ex: Executor, now: Date): Promise<HoldStates> {
  const res = await sql<{ state: string; n: number }>`
    select coalesce(r.kind, case when h.expires_at <= ${now} then 'overdue' else 'open' end) as state, count(*) as n
    from ledger_transfers h left join ledger_transfers r on r.pending_id = h.id
    where h.kind = 'pending'
    group by 1`.execute(ex)
  const by = new Map(res.rows.map((r) => [r.state, Number(r.n)]))
  const overdue = by.get('overdue') ?? 0
  return { open: (by.get('open') ?? 0) + overdue, posted: by.get('post') ?? 0, voided: by.get('void') ?? 0, expired: by.get('expire') ?? 0, overdue }
}

export interface TransferProblemRow {
  id: number
  problem: 'not_a_hold' | 'accounts_differ' | 'post_exceeds_hold' | 'release_differs' | 'expired_early' | 'two_resolutions' | 'bad_row'
}

/** Resolutions that do not match their hold, and rows that break the transfer rules. */
export async function findTransferProblems(ex: Executor, limit: number): Promise<TransferProblemRow[]> {
  const res = await sql<TransferProblemRow>`
    select r.id, case
        when h.kind <> 'pending' then 'not_a_hold'
        when r.debit_account_id <> h.debit_account_id or r.credit_account_id <> h.credit_account_id then 'accounts_differ'
        when r.kind = 'post' and r.amount > h.amount then 'post_exceeds_hold'
        when r.kind in ('void','expire') and r.amount <> h.amount then 'release_differs'
        else 'expired_early' end as problem
    from ledger_transfers r join ledger_transfers h on h.id = r.pending_id
    where h.kind <> 'pending'
       or r.debit_account_id <> h.debit_account_id or r.credit_account_id <> h.credit_account_id
       or (r.kind = 'post' and r.amount > h.amount)
       or (r.kind in ('void','expire') and r.amount <> h.amount)
       or (r.kind = 'expire' and r.created_at < h.expires_at)
    union all
    select pending_id, 'two_resolutions' from ledger_transfers
      where pending_id is not null group by pending_id having count(*) > 1
    union all
    select id, 'bad_row' from ledger_transfers
      where amount <= 0 or currency <> 'IDR' or debit_account_id = credit_account_id
    order by 1
    limit ${limit}`.execute(ex)
  return res.rows.map((r) => ({ id: Number(r.id), problem: r.problem }))
}

export async function insertCheck(
  ex: Executor,
  c: { at: Date; ok: boolean; source: string; requestedBy: string | null; report: Record<string, unknown> },
): Promise<void> {
  await ex
    .insertInto('ledger_checks')
    .values({ at: c.at, ok: c.ok, source: c.source, requested_by: c.requestedBy, report: JSON.stringify(c.report) })
    .execute()
}

export function latestCheck(ex: Executor): Promise<CheckRow | undefined> {
  return ex.selectFrom('ledger_checks').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst()
}
