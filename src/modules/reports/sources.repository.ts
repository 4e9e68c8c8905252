/**
 * Where the daily facts come from. Reporting reads the other modules' tables directly in
 * SQL, here and only here: aggregating millions of rows through their public functions
 * would mean loading them into the process, and nothing here writes to those tables.
 *
 * Each source is one `FactSource`: a name and a function that writes its facts for the
 * days from `from` (WIB; null = all days) into `report_daily_facts`. A new domain adds
 * itself with one more function and one line in BUILT_IN_SOURCES.
 */
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import { wibStart } from './filters.ts'

export interface FactSource {
  readonly name: string
  /** Writes this source's facts for the days from `from` on (null: every day); returns rows written. */
  write(ex: Executor, from: string | null): Promise<number>
}

/** `ts` as its WIB day. Asia/Jakarta has had no daylight saving since 1964. */
const wib = (ts: RawBuilder<unknown>) => sql`(${ts} at time zone 'Asia/Jakarta')::date`
const since = (ts: RawBuilder<unknown>, from: string | null) => (from === null ? sql`true` : sql`${ts} >= ${wibStart(from)}`)

/** Runs `insert into report_daily_facts (…) <select>`; the select yields the columns in this order. */
async function insertFacts(ex: Executor, select: RawBuilder<unknown>): Promise<number> {
  const res = await sql`insert into report_daily_facts (day, metric, wave_id, province_code, regency_code, reason, value) ${select}`.execute(ex)
  return Number(res.numAffectedRows ?? 0n)
}

/** New participant accounts, in the domicile their profile gives (blank until it does). */
export const registrations: FactSource = {
  name: 'registrations',
  write: (ex, from) =>
    insertFacts(
      ex,
      sql`select ${wib(sql.ref('a.created_at'))}, 'registered', '', coalesce(p.province_code, ''), coalesce(p.regency_code, ''), '', count(*)
            from accounts a left join registration_profiles p on p.account_id = a.id
           where a.role = 'participant' and ${since(sql.ref('a.created_at'), from)}
           group by 1, 4, 5`,
    ),
}

/** Settled identity checks by kind, and for a failure its first reason. */
export const checks: FactSource = {
  name: 'checks',
  write: (ex, from) =>
    insertFacts(
      ex,
      sql`select ${wib(sql.ref('c.at'))}, 'check_' || c.outcome, '', coalesce(p.province_code, ''), coalesce(p.regency_code, ''),
                 c.kind || case when c.outcome = 'failed' then ':' || coalesce(c.details -> 'reasons' -> 0 ->> 'code', 'unknown') else '' end,
                 count(*)
            from registration_checks c left join registration_profiles p on p.account_id = c.account_id
           where c.outcome in ('passed', 'failed', 'gave_up') and ${since(sql.ref('c.at'), from)}
           group by 1, 2, 4, 5, 6`,
    ),
}

/** Joining a wave, then the draw's outcome for each application (ineligible by reason). */
export const waveApplications: FactSource = {
  name: 'wave_applications',
  async write(ex, from) {
    const applied = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('joined_at'))}, 'applied', wave_id::text, province_code, regency_code, '', count(*)
            from wave_applications where ${since(sql.ref('joined_at'), from)}
           group by 1, 3, 4, 5`,
    )
    const decided = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('o.decided_at'))}, o.outcome, a.wave_id::text, a.province_code, a.regency_code, coalesce(o.ineligible_reason, ''), count(*)
            from wave_outcomes o join wave_applications a on a.id = o.application_id where ${since(sql.ref('o.decided_at'), from)}
           group by 1, 2, 3, 4, 5, 6`,
    )
    return applied + decided
  },
}

/** Cards issued and revoked (by reason), in the area the person applied from. */
export const cards: FactSource = {
  name: 'cards',
  async write(ex, from) {
    const issued = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('c.issued_at'))}, 'card_issued', c.wave_id::text, coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), '', count(*)
            from cards c left join wave_applications wa on wa.wave_id = c.wave_id and wa.account_id = c.account_id
           where ${since(sql.ref('c.issued_at'), from)}
           group by 1, 3, 4, 5`,
    )
    const revoked = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('c.revoked_at'))}, 'revoked', c.wave_id::text, coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), coalesce(c.revoke_reason, ''), count(*)
            from cards c left join wave_applications wa on wa.wave_id = c.wave_id and wa.account_id = c.account_id
           where c.revoked_at is not null and ${since(sql.ref('c.revoked_at'), from)}
           group by 1, 3, 4, 5, 6`,
    )
    return issued + revoked
  },
}

/** Courses bought (paid), completed and certified, by the buyer's wave and area. */
export const learning: FactSource = {
  name: 'learning',
  async write(ex, from) {
    const byCard = sql`from purchases p join cards c on c.id = p.card_id
                       left join wave_applications wa on wa.wave_id = c.wave_id and wa.account_id = c.account_id`
    const bought = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('p.paid_at'))}, 'bought', c.wave_id::text, coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), '', count(*)
            ${byCard} where p.paid_at is not null and ${since(sql.ref('p.paid_at'), from)}
           group by 1, 3, 4, 5`,
    )
    const completed = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('p.completed_at'))}, 'completed', c.wave_id::text, coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), '', count(*)
            ${byCard} where p.completed_at is not null and ${since(sql.ref('p.completed_at'), from)}
           group by 1, 3, 4, 5`,
    )
    const certified = await insertFacts(
      ex,
      sql`select ${wib(sql.ref('ce.issued_at'))}, 'certified', c.wave_id::text, coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), '', count(*)
            from certificates ce join purchases p on p.id = ce.purchase_id join cards c on c.id = p.card_id
            left join wave_applications wa on wa.wave_id = c.wave_id and wa.account_id = c.account_id
           where ${since(sql.ref('ce.issued_at'), from)}
           group by 1, 3, 4, 5`,
    )
    return bought + completed + certified
  },
}

/**
 * Rupiah credited to training balances, forfeited and returned to the programme fund, from
 * the ledger's own transfer rows (the ledger stays the only writer; this only reads), with
 * the card's wave and area when the transfer refers to a card.
 */
export const balances: FactSource = {
  name: 'balances',
  write: (ex, from) =>
    insertFacts(
      ex,
      sql`select ${wib(sql.ref('t.created_at'))},
                 case t.code when 'credit_balance' then 'credited_rp' when 'forfeit' then 'forfeited_rp' else 'returned_rp' end,
                 coalesce(c.wave_id::text, ''), coalesce(wa.province_code, ''), coalesce(wa.regency_code, ''), '', sum(t.amount)
            from ledger_transfers t
            left join cards c on t.reference_type = 'wave_card' and c.id::text = t.reference_id
            left join wave_applications wa on wa.wave_id = c.wave_id and wa.account_id = c.account_id
           where t.code in ('credit_balance', 'forfeit', 'recover') and t.kind in ('single', 'post') and ${since(sql.ref('t.created_at'), from)}
           group by 1, 2, 3, 4, 5`,
    ),
}

/**
 * Incentive payouts (#8): counts scheduled, sent, paid and failed (each failed attempt,
 * from the payout's events, by its failure reason), and rupiah scheduled, paid and
 * cancelled. What is still owed at the end of a day is scheduled − paid − cancelled summed
 * up to it (see overview.service.ts): a stock read from flows, so a recent refresh never
 * has to rewrite old days. Wave for course incentives; area where the person applied from,
 * else the profile's domicile.
 */
export const incentives: FactSource = {
  name: 'incentives',
  async write(ex, from) {
    const cell = sql`case when i.kind = 'course' then i.source_ref else '' end, coalesce(wa.province_code, rp.province_code, ''), coalesce(wa.regency_code, rp.regency_code, '')`
    const joins = sql`left join wave_applications wa on i.kind = 'course' and wa.wave_id::text = i.source_ref and wa.account_id = i.account_id
                      left join registration_profiles rp on rp.account_id = i.account_id`
    let rows = 0
    for (const [metric, ts, value] of [
      ['payout_scheduled', 'created_at', 'count(*)'],
      ['scheduled_rp', 'created_at', 'sum(i.amount)'],
      ['payout_sent', 'sent_at', 'count(*)'],
      ['payout_paid', 'paid_at', 'count(*)'],
      ['paid_rp', 'paid_at', 'sum(i.amount)'],
    ] as const) {
      const at = sql.ref(`i.${ts}`)
      rows += await insertFacts(
        ex,
        sql`select ${wib(at)}, ${metric}::text, ${cell}, '', ${sql.raw(value)}
              from incentive_payouts i ${joins}
             where ${at} is not null and ${since(at, from)}
             group by 1, 3, 4, 5`,
      )
    }
    // The kind as a literal: the index on failed and cancelled events only (migration
    // 202612012220) is then usable whatever plan the driver asks for.
    for (const [metric, kind, value, reason] of [
      ['payout_failed', 'failed', 'count(*)', sql`coalesce(e.details ->> 'reason', '')`],
      ['cancelled_rp', 'cancelled', 'sum(i.amount)', sql`''`],
    ] as const) {
      rows += await insertFacts(
        ex,
        sql`select ${wib(sql.ref('e.at'))}, ${metric}::text, ${cell}, ${reason}, ${sql.raw(value)}
              from payout_events e join incentive_payouts i on i.id = e.payout_id ${joins}
             where e.kind = ${sql.lit(kind)} and ${since(sql.ref('e.at'), from)}
             group by 1, 3, 4, 5, 6`,
      )
    }
    return rows
  },
}

/**
 * Helpdesk complaints (#9) by channel (kept in `reason`): opened, closed (merged duplicates
 * not counted), and for the time to first response, to resolution and the CSAT score a sum
 * and a count, so any range's average is sum ÷ count. Times in whole minutes, wall-clock
 * (the SLA's business time is the helpdesk board's concern). Area: the person's domicile.
 */
export const complaints: FactSource = {
  name: 'complaints',
  async write(ex, from) {
    const area = sql`coalesce(rp.province_code, ''), coalesce(rp.regency_code, '')`
    const joins = sql`left join registration_profiles rp on rp.account_id = t.account_id`
    const minutes = (a: string, b: string) => sql.raw(`round(extract(epoch from (t.${b} - t.${a})) / 60)`)
    let rows = 0
    for (const [metric, ts, value, extra] of [
      ['complaint_opened', 'created_at', sql`count(*)`, sql`true`],
      ['complaint_closed', 'closed_at', sql`count(*)`, sql`t.state <> 'merged'`],
      ['first_response_min', 'first_responded_at', sql`sum(${minutes('created_at', 'first_responded_at')})`, sql`true`],
      ['first_response_n', 'first_responded_at', sql`count(*)`, sql`true`],
      ['resolution_min', 'resolved_at', sql`sum(${minutes('created_at', 'resolved_at')})`, sql`true`],
      ['resolution_n', 'resolved_at', sql`count(*)`, sql`true`],
    ] as const) {
      const at = sql.ref(`t.${ts}`)
      rows += await insertFacts(
        ex,
        sql`select ${wib(at)}, ${metric}::text, '', ${area}, t.channel, ${value}
              from helpdesk_tickets t ${joins}
             where ${at} is not null and ${extra} and ${since(at, from)}
             group by 1, 4, 5, 6`,
      )
    }
    for (const [metric, value] of [
      ['csat_sum', sql`sum(c.score)`],
      ['csat_n', sql`count(*)`],
    ] as const) {
      rows += await insertFacts(
        ex,
        sql`select ${wib(sql.ref('c.created_at'))}, ${metric}::text, '', ${area}, c.channel, ${value}
              from helpdesk_csat c join helpdesk_tickets t on t.id = c.ticket_id ${joins}
             where ${since(sql.ref('c.created_at'), from)}
             group by 1, 4, 5, 6`,
      )
    }
    return rows
  },
}

/** Every source: registration to certificates, the ledger's balances, incentives and complaints. */
export const BUILT_IN_SOURCES: readonly FactSource[] = [registrations, checks, waveApplications, cards, learning, balances, incentives, complaints]
