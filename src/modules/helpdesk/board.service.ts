/**
 * The supervisor's board: open work by channel and SLA state, breaches, agents' load, CSAT and
 * response times per channel and per agent, and the staffing the SLA needs (Erlang C) from
 * the last four weeks' arrivals, beside the real programme's volume.
 */
import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { Clock } from '../../platform/clock.ts'
import { agentsNeeded, type StaffingInput } from './erlang-c.ts'
import * as repo from './helpdesk.repository.ts'
import { businessMinutesBetween, slaState, type SlaState } from './sla.ts'
import { calendarOf, currentResolutionDue } from './tickets.service.ts'

const WINDOW_DAYS = 28
const BUSINESS_HOURS_A_DAY = 12
/** BRIEF P9: about 511 000 reports a month. */
export const PROGRAMME_MONTHLY_REPORTS = 511_000

export interface StaffingAssumptions {
  readonly handlingSeconds: number
  readonly targetSeconds: number
  readonly serviceLevel: number
  readonly availability: number
}

export const DEFAULT_ASSUMPTIONS: StaffingAssumptions = { handlingSeconds: 240, targetSeconds: 60, serviceLevel: 0.8, availability: 0.85 }

export async function board(deps: { db: Executor; clock: Clock }, a: StaffingAssumptions = DEFAULT_ASSUMPTIONS) {
  const now = deps.clock.now()
  const cal = await calendarOf(deps.db)
  const open = await repo.queue(deps.db, {}, 5000)
  const byChannel = new Map<string, Record<SlaState, number>>()
  const breaches: typeof open = []
  for (const t of open) {
    const s = slaState(cal, { startedAt: t.created_at, dueAt: t.first_responded_at ? currentResolutionDue(cal, t, now) : t.next_due_at, doneAt: null }, now)
    const row = byChannel.get(t.channel) ?? { ok: 0, at_risk: 0, breached: 0, met: 0 }
    row[s]++
    byChannel.set(t.channel, row)
    if (s === 'breached') breaches.push(t)
  }
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000)
  const [csat, agents, recent] = await Promise.all([
    repo.csatByChannel(deps.db),
    deps.db
      .selectFrom('helpdesk_agents as g')
      .innerJoin('accounts as a', 'a.id', 'g.account_id')
      .leftJoin('helpdesk_csat as c', 'c.owner_id', 'g.account_id')
      .select(['a.display_name', 'g.capacity', 'g.active', sql<string>`(select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner'))`.as('load'), sql<string | null>`avg(c.score)`.as('csat'), sql<string>`count(c.score)`.as('rated')])
      .groupBy(['a.display_name', 'g.capacity', 'g.active', 'g.account_id'])
      .orderBy('a.display_name')
      .execute(),
    deps.db.selectFrom('helpdesk_tickets').select(['channel', 'created_at', 'first_responded_at', 'resolved_at']).where('created_at', '>=', since).execute(),
  ])
  // Response times in business minutes: the clock the SLA runs on, not the wall clock.
  const times = new Map<string, { n: number; first: number[]; resolve: number[] }>()
  for (const t of recent) {
    const r = times.get(t.channel) ?? { n: 0, first: [], resolve: [] }
    r.n++
    if (t.first_responded_at) r.first.push(businessMinutesBetween(cal, t.created_at, t.first_responded_at))
    if (t.resolved_at) r.resolve.push(businessMinutesBetween(cal, t.created_at, t.resolved_at))
    times.set(t.channel, r)
  }
  const median = (xs: number[]) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]! : null)
  const staffing = (arrivalsPerHour: number) => {
    const input: StaffingInput = { arrivalsPerHour, ...a }
    return { arrivalsPerHour, ...(arrivalsPerHour > 0 ? agentsNeeded(input) : { onPhones: 0, scheduled: 0, serviceLevel: 1 }) }
  }
  return {
    byChannel: [...byChannel].map(([channel, s]) => ({ channel, ...s })),
    breaches,
    escalated: open.filter((t) => t.escalated_at).length,
    csat: csat.map((c) => ({ channel: c.channel, n: Number(c.n), average: Number(c.average), satisfiedShare: Number(c.satisfied) / Number(c.n) })),
    agents: agents.map((g) => ({ name: g.display_name, capacity: g.capacity, active: g.active, load: Number(g.load), csat: g.csat === null ? null : Number(g.csat), rated: Number(g.rated) })),
    times: [...times].map(([channel, r]) => ({ channel, n: r.n, medianFirstMinutes: median(r.first), medianResolveMinutes: median(r.resolve) })),
    // Each shift covers half the 12 business hours at the same hourly rate: the figure is per shift.
    observed: staffing(recent.length / (WINDOW_DAYS * BUSINESS_HOURS_A_DAY)),
    programme: staffing(PROGRAMME_MONTHLY_REPORTS / 30 / BUSINESS_HOURS_A_DAY),
    assumptions: a,
  }
}
