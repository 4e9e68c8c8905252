/**
 * Integrity signals computed from data the other modules already keep, read directly in
 * SQL for reporting (nothing here writes their tables), and PMO's decisions on them.
 * Each signal kind is one `IntegritySignal`: a list query, a drill-down query, and what a
 * freeze acts on (an account, a partner, a payout account).
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { Text } from '../../platform/i18n/index.ts'
import type { FreezeTargetType, IntegrityAction } from './reports.tables.ts'

/** What a freeze on a signal acts on. */
export interface FreezeTarget {
  readonly type: FreezeTargetType
  readonly id: string
}

export interface SignalRow {
  readonly subject: string
  readonly summary: string
  readonly count: number
}

export interface IntegritySignal {
  readonly kind: string
  readonly title: Text
  readonly why: Text
  list(ex: Executor, limit: number): Promise<SignalRow[]>
  /** The rows behind one signal, as a small table. */
  detail(ex: Executor, subject: string): Promise<{ head: string[]; rows: Array<Array<string | number | null>> }>
  /** What "freeze" acts on; a signal without any (an IP range: a café, a carrier) can be cleared or referred only. */
  targets(ex: Executor, subject: string): Promise<FreezeTarget[]>
}

/** Accounts, partners and payout accounts that exist and can be frozen, out of those named. */
const existing = async (ex: Executor, type: FreezeTargetType, ids: readonly string[]): Promise<FreezeTarget[]> => {
  if (ids.length === 0) return []
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
  const found =
    type === 'partner'
      ? await ex.selectFrom('partners').select('code as id').where('code', 'in', [...ids]).execute()
      : uuids.length === 0
        ? []
        : type === 'account'
          ? await ex.selectFrom('accounts').select('id').where('id', 'in', uuids).where('status', '!=', 'closed').execute()
          : await ex.selectFrom('payout_accounts').select('id').where('id', 'in', uuids).execute()
  return found.map((r) => ({ type, id: r.id }))
}

/** Payouts that went (or are due to go) to a new payout account within this many days of the change. */
export const PAYOUT_CHANGE_DAYS = 14

/** Accounts sharing one IPv4 /24 (or IPv6 /48) before the range is shown. */
export const IP_RANGE_MIN_ACCOUNTS = 10
/** Providers with fewer paid purchases are too small to judge. */
export const PROVIDER_MIN_PURCHASES = 10

const ipRange = sql<string>`case when s.ip ~ '^\\d+\\.\\d+\\.\\d+\\.\\d+$' then regexp_replace(s.ip, '\\.\\d+$', '.0/24')
                                  else array_to_string((string_to_array(s.ip, ':'))[1:3], ':') || '::/48' end`

const rowsOf = <T,>(r: { rows: T[] }): T[] => r.rows

export const SIGNALS: readonly IntegritySignal[] = [
  {
    kind: 'not_me',
    title: { id: 'E-mail dilaporkan "bukan saya"', en: 'E-mails reported "not me"' },
    why: { id: 'Seseorang mendaftar dengan e-mail orang lain; pemiliknya menekan "ini bukan saya".', en: 'Someone signed up with another person\'s e-mail; its owner pressed "this was not me".' },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`select details ->> 'email' as subject, string_agg(distinct coalesce(details ->> 'outcome', ''), ', ') as summary, count(*)::int as count
                              from fraud_signals where kind = 'email_not_me' and details ->> 'email' is not null
                              group by 1 order by 3 desc, 1 limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['created_at', 'account_id', 'ip', 'outcome', 'status'],
      rows: rowsOf(
        await sql<{ at: string; account_id: string | null; ip: string | null; outcome: string | null; status: string }>`
          select to_char(created_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI') as at, account_id::text, ip, details ->> 'outcome' as outcome, status
            from fraud_signals where kind = 'email_not_me' and details ->> 'email' = ${subject} order by created_at desc limit 200`.execute(ex),
      ).map((r) => [r.at, r.account_id, r.ip, r.outcome, r.status]),
    }),
    // The accounts that signed up with the address and were not cancelled (a cancelled sign-up is closed).
    targets: async (ex, subject) =>
      existing(ex, 'account', rowsOf(await sql<{ id: string }>`select distinct account_id::text as id from fraud_signals where kind = 'email_not_me' and details ->> 'email' = ${subject} and account_id is not null`.execute(ex)).map((r) => r.id)),
  },
  {
    kind: 'ip_range',
    title: { id: 'Banyak akun dari satu rentang IP', en: 'Many accounts from one IP range' },
    why: { id: `Sesi masuk ${IP_RANGE_MIN_ACCOUNTS} akun peserta atau lebih dari satu rentang /24 (IPv6 /48). Bisa warnet atau operator seluler; bisa juga pendaftaran massal.`, en: `Logins of ${IP_RANGE_MIN_ACCOUNTS} or more participant accounts from one /24 (IPv6 /48). Could be an internet café or a mobile carrier; could be bulk registration.` },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`select ${ipRange} as subject, min(s.created_at)::date::text || ' – ' || max(s.created_at)::date::text as summary, count(distinct s.account_id)::int as count
                              from sessions s join accounts a on a.id = s.account_id
                             where a.role = 'participant' and s.ip is not null
                             group by 1 having count(distinct s.account_id) >= ${IP_RANGE_MIN_ACCOUNTS} order by 3 desc limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['account_id', 'status', 'account_created', 'sessions', 'ips'],
      rows: rowsOf(
        await sql<{ id: string; status: string; created: string; n: number; ips: string }>`
          select a.id::text as id, a.status, a.created_at::date::text as created, count(*)::int as n, string_agg(distinct s.ip, ' ') as ips
            from sessions s join accounts a on a.id = s.account_id
           where a.role = 'participant' and ${ipRange} = ${subject} group by a.id order by a.created_at limit 500`.execute(ex),
      ).map((r) => [r.id, r.status, r.created, r.n, r.ips]),
    }),
    targets: async () => [],
  },
  {
    kind: 'nik_registry',
    title: { id: 'NIK gagal di Dukcapil', en: 'NIKs failing the civil registry' },
    why: { id: 'Pemeriksaan Dukcapil gagal (NIK tidak ditemukan atau data tidak cocok), terutama berulang kali.', en: 'Civil registry checks failed (NIK not found or data not matching), especially repeatedly.' },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`select account_id::text as subject, string_agg(distinct coalesce(details -> 'reasons' -> 0 ->> 'code', '?'), ', ') as summary, count(*)::int as count
                              from registration_checks where kind = 'civil_registry' and outcome = 'failed'
                              group by account_id order by 3 desc, max(at) desc limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['at', 'round', 'attempt', 'outcome', 'reasons'],
      rows: rowsOf(
        await sql<{ at: string; round: number; attempt: number; outcome: string; reasons: string | null }>`
          select to_char(at at time zone 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI') as at, round, attempt, outcome, (details -> 'reasons')::text as reasons
            from registration_checks where kind = 'civil_registry' and account_id::text = ${subject} order by at desc limit 200`.execute(ex),
      ).map((r) => [r.at, r.round, r.attempt, r.outcome, r.reasons]),
    }),
    targets: (ex, subject) => existing(ex, 'account', [subject]),
  },
  {
    kind: 'provider_outlier',
    title: { id: 'LP dengan tingkat kelulusan atau nilai tidak wajar', en: 'Providers with completion rates or grades out of line' },
    why: { id: `LP dengan ${PROVIDER_MIN_PURCHASES}+ pembelian yang tingkat penyelesaiannya berbeda lebih dari 30 poin dari rata-rata semua LP, atau nilai rata-ratanya 95 ke atas.`, en: `Providers with ${PROVIDER_MIN_PURCHASES}+ purchases whose completion rate is over 30 points from the all-provider rate, or whose average grade is 95 or more.` },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`
          with p as (select provider_code, count(*) filter (where paid_at is not null) as paid, count(*) filter (where completed_at is not null) as done from purchases group by provider_code),
               g as (select provider_code, avg(grade) as grade from certificates group by provider_code),
               overall as (select sum(done)::float / nullif(sum(paid), 0) as rate from p)
          select p.provider_code as subject,
                 round(100.0 * p.done / p.paid, 1) || '% selesai (semua LP ' || round(100 * (select rate from overall)::numeric, 1) || '%), nilai rata-rata ' || coalesce(round(g.grade, 1)::text, '–') as summary,
                 p.paid::int as count
            from p left join g using (provider_code)
           where p.paid >= ${PROVIDER_MIN_PURCHASES}
             and (abs(p.done::float / p.paid - (select rate from overall)) > 0.3 or g.grade >= 95)
           order by 3 desc limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['course_id', 'paid', 'completed', 'avg_grade'],
      rows: rowsOf(
        await sql<{ course_id: string; paid: number; done: number; grade: string | null }>`
          select p.course_id::text, count(*) filter (where p.paid_at is not null)::int as paid, count(*) filter (where p.completed_at is not null)::int as done,
                 round(avg(c.grade), 1)::text as grade
            from purchases p left join certificates c on c.purchase_id = p.id
           where p.provider_code = ${subject} group by p.course_id order by 2 desc limit 200`.execute(ex),
      ).map((r) => [r.course_id, r.paid, r.done, r.grade]),
    }),
    targets: (ex, subject) => existing(ex, 'partner', [subject]),
  },
  {
    kind: 'conflict',
    title: { id: 'Konflik kepentingan platform–LP', en: 'Platform–provider conflicts of interest' },
    why: { id: 'Platform dan LP yang terafiliasi (dicatat saat orientasi mitra) dan menjual kursus bersama.', en: 'Affiliated platforms and providers (recorded at partner onboarding) selling courses together.' },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`select a.platform_code || ' / ' || a.provider_code as subject, a.note as summary, count(c.id)::int as count
                              from partner_affiliations a left join courses c on c.platform_code = a.platform_code and c.provider_code = a.provider_code
                             group by a.platform_code, a.provider_code, a.note order by 3 desc limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['course_id', 'title', 'status', 'price', 'purchases'],
      rows: rowsOf(
        await sql<{ id: string; title: string; status: string; price: number; n: number }>`
          select c.id::text, c.title, c.status, c.price, (select count(*)::int from purchases p where p.course_id = c.id) as n
            from courses c where c.platform_code || ' / ' || c.provider_code = ${subject} order by n desc limit 200`.execute(ex),
      ).map((r) => [r.id, r.title, r.status, r.price, r.n]),
    }),
    targets: (ex, subject) => existing(ex, 'partner', subject.split(' / ')),
  },
  {
    kind: 'payout_changed',
    title: { id: 'Rekening insentif diganti menjelang pembayaran', en: 'Payout accounts changed shortly before a payout' },
    why: { id: `Rekening baru yang menerima (atau akan menerima) insentif dalam ${PAYOUT_CHANGE_DAYS} hari setelah rekening lama diganti: pola pengambilalihan akun.`, en: `A new payout account that receives (or is due to receive) an incentive within ${PAYOUT_CHANGE_DAYS} days of the old one being replaced: the pattern of an account takeover.` },
    list: async (ex, limit) =>
      rowsOf(
        await sql<SignalRow>`select pa.id::text as subject, pa.partner || ' …' || right(pa.account_number, 4) || ', ' || to_char(pa.confirmed_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD') as summary, count(i.id)::int as count
                              from payout_accounts pa
                              join incentive_payouts i on i.account_id = pa.account_id and i.status <> 'cancelled'
                                   and coalesce(i.sent_at, i.due_at) between pa.confirmed_at and pa.confirmed_at + make_interval(days => ${PAYOUT_CHANGE_DAYS})
                             where pa.confirmed_at is not null and pa.status in ('active', 'replaced')
                               and exists (select 1 from payout_accounts old where old.account_id = pa.account_id and old.id <> pa.id and old.confirmed_at < pa.confirmed_at)
                             group by pa.id order by max(pa.confirmed_at) desc limit ${limit}`.execute(ex),
      ),
    detail: async (ex, subject) => ({
      head: ['payout_id', 'account_id', 'status', 'amount', 'due', 'sent', 'payout_account'],
      rows: rowsOf(
        await sql<{ id: string; account_id: string; status: string; amount: number; due: string; sent: string | null; to_here: boolean }>`
          select i.id::text, i.account_id::text, i.status, i.amount, to_char(i.due_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD') as due,
                 to_char(i.sent_at at time zone 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI') as sent, i.payout_account_id::text = ${subject} as to_here
            from incentive_payouts i join payout_accounts pa on pa.account_id = i.account_id
           where pa.id::text = ${subject} order by i.due_at limit 200`.execute(ex),
      ).map((r) => [r.id, r.account_id, r.status, Number(r.amount), r.due, r.sent, r.to_here ? subject : '']),
    }),
    targets: (ex, subject) => existing(ex, 'payout_account', [subject]),
  },
]

export async function insertAction(ex: Executor, row: { kind: string; subject: string; action: IntegrityAction; note: string; actorId: string; at: Date }): Promise<void> {
  await ex.insertInto('integrity_actions').values({ signal_kind: row.kind, subject: row.subject, action: row.action, note: row.note, actor_id: row.actorId, at: row.at }).execute()
}

/** Every decision on one kind of signal, newest first; the first per subject is its state. */
export async function actionsOf(ex: Executor, kind: string, subject?: string) {
  let q = ex
    .selectFrom('integrity_actions as i')
    .leftJoin('accounts as a', 'a.id', 'i.actor_id')
    .select(['i.subject', 'i.action', 'i.note', 'i.at', 'a.display_name as actor'])
    .where('i.signal_kind', '=', kind)
  if (subject !== undefined) q = q.where('i.subject', '=', subject)
  return q.orderBy('i.id', 'desc').limit(500).execute()
}

/** The freezes in force that this signal's decisions made. */
export async function activeFreezes(ex: Executor, kind: string, subject: string) {
  return ex.selectFrom('integrity_freezes').selectAll().where('signal_kind', '=', kind).where('subject', '=', subject).where('cleared_at', 'is', null).orderBy('id').execute()
}

/** The oldest freeze in force on a target (any signal): it holds the status from before any freeze. */
export async function firstFreezeOn(ex: Executor, target: FreezeTarget) {
  return ex.selectFrom('integrity_freezes').selectAll().where('target_type', '=', target.type).where('target_id', '=', target.id).where('cleared_at', 'is', null).orderBy('id').limit(1).executeTakeFirst()
}

export async function insertFreeze(ex: Executor, row: { target: FreezeTarget; kind: string; subject: string; previousStatus: string; actorId: string; at: Date }): Promise<void> {
  await ex
    .insertInto('integrity_freezes')
    .values({ target_type: row.target.type, target_id: row.target.id, signal_kind: row.kind, subject: row.subject, previous_status: row.previousStatus, frozen_by: row.actorId, frozen_at: row.at })
    .execute()
}

export async function clearFreeze(ex: Executor, id: string, actorId: string, at: Date): Promise<void> {
  await ex.updateTable('integrity_freezes').set({ cleared_by: actorId, cleared_at: at }).where('id', '=', id).execute()
}
