/**
 * The contact centre's settings, for supervisors and PMO admins: SLA targets per channel,
 * category and priority (business minutes), the holiday calendar (business hours are fixed at
 * 08:00–20:00 WIB every day), and each agent's team, skills and capacity. Every change is
 * checked with a message that says what to fix, written to the append-only settings history
 * with its before and after, and audited, all in one transaction. A changed target applies to
 * tickets raised from then on; tickets already open keep the due dates they were given.
 */
import { sql } from 'kysely'
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { record } from '../../platform/audit/index.ts'
import type { Staff } from './console.service.ts'
import { CATEGORIES, CHANNELS, type Category, type Channel, type Priority, type SettingsKind } from './helpdesk.tables.ts'
import type { HelpdeskDeps } from './tickets.service.ts'

export const SETTINGS_ROLES = ['supervisor', 'pmo_admin'] as const
/** A target longer than 30 business days (12 h each) is a typo, not a promise. */
export const MAX_TARGET_MINUTES = 30 * 720
export const MAX_HOLIDAY_RANGE_DAYS = 31

type Deps = Pick<HelpdeskDeps, 'db' | 'clock'>

function invalid(fields: FieldError[]): never {
  throw new AppError('VALIDATION_FAILED', { fields })
}

async function history(ex: Executor, deps: Deps, staff: Staff, kind: SettingsKind, subject: string, before: unknown, after: unknown): Promise<void> {
  await ex
    .insertInto('helpdesk_settings_history')
    .values({ kind, subject, before: before === null ? null : JSON.stringify(before), after: after === null ? null : JSON.stringify(after), changed_by: staff.id, changed_at: deps.clock.now() })
    .execute()
  await record(ex, { actorId: staff.id, actorRole: staff.role, action: `helpdesk.settings.${kind}`, subjectType: 'helpdesk_settings', subjectId: subject, details: { before: before as never, after: after as never }, requestId: staff.requestId, ip: staff.ip }, deps.clock)
}

function allowed(staff: Staff): void {
  if (!(SETTINGS_ROLES as readonly string[]).includes(staff.role)) throw new AppError('FORBIDDEN')
}

export async function settingsView(deps: Deps) {
  const [targets, holidays, agents, changes] = await Promise.all([
    deps.db.selectFrom('helpdesk_sla_targets').selectAll().orderBy('channel').orderBy('category').orderBy('priority').execute(),
    deps.db.selectFrom('helpdesk_holidays').select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'name']).orderBy('day').execute(),
    deps.db
      .selectFrom('helpdesk_agents as g')
      .innerJoin('accounts as a', 'a.id', 'g.account_id')
      .select(['g.account_id', 'a.display_name', 'a.role', 'g.team', 'g.skills', 'g.capacity', 'g.active', sql<string>`(select count(*) from helpdesk_tickets t where t.owner_id = g.account_id and t.state in ('new','open','waiting_participant','waiting_partner'))`.as('load')])
      .orderBy('g.team')
      .orderBy('a.display_name')
      .execute(),
    deps.db.selectFrom('helpdesk_settings_history as h').innerJoin('accounts as a', 'a.id', 'h.changed_by').select(['h.id', 'h.kind', 'h.subject', 'h.before', 'h.after', 'h.changed_at', 'a.display_name as by']).orderBy('h.id', 'desc').limit(50).execute(),
  ])
  const teams = new Map<string, { agents: number; active: number; capacity: number; load: number }>()
  for (const g of agents) {
    const t = teams.get(g.team) ?? { agents: 0, active: 0, capacity: 0, load: 0 }
    t.agents++
    if (g.active) {
      t.active++
      t.capacity += g.capacity
    }
    t.load += Number(g.load)
    teams.set(g.team, t)
  }
  return { targets, holidays, agents: agents.map((g) => ({ ...g, load: Number(g.load) })), teams: [...teams].map(([team, t]) => ({ team, ...t })), changes }
}

export interface TargetInput {
  channel: string
  category: string
  priority: string
  firstResponseMinutes: string
  resolutionMinutes: string
}

function minutes(field: string, label: { id: string; en: string }, text: string, fields: FieldError[]): number {
  const t = text.trim()
  if (!/^-?\d+$/.test(t)) {
    fields.push({ field, id: `${label.id}: tulis jumlah menit kerja sebagai angka bulat (mis. 240 untuk 4 jam).`, en: `${label.en}: write the business minutes as a whole number (e.g. 240 for 4 hours).` })
    return 0
  }
  const n = Number(t)
  if (n <= 0) fields.push({ field, id: `${label.id} harus lebih dari 0 menit (Anda menulis ${n}).`, en: `${label.en} must be more than 0 minutes (you wrote ${n}).` })
  else if (n > MAX_TARGET_MINUTES) fields.push({ field, id: `${label.id} paling lama ${MAX_TARGET_MINUTES} menit kerja (30 hari kerja).`, en: `${label.en} is at most ${MAX_TARGET_MINUTES} business minutes (30 working days).` })
  return n
}

export async function setSlaTarget(deps: Deps, staff: Staff, input: TargetInput): Promise<void> {
  allowed(staff)
  const fields: FieldError[] = []
  if (!(CHANNELS as readonly string[]).includes(input.channel)) fields.push({ field: 'channel', id: 'Pilih kanal.', en: 'Choose a channel.' })
  if (!(CATEGORIES as readonly string[]).includes(input.category)) fields.push({ field: 'category', id: 'Pilih kategori.', en: 'Choose a category.' })
  if (input.priority !== 'normal' && input.priority !== 'high') fields.push({ field: 'priority', id: 'Pilih prioritas.', en: 'Choose a priority.' })
  const first = minutes('firstResponseMinutes', { id: 'Jawaban pertama', en: 'First response' }, input.firstResponseMinutes, fields)
  const resolution = minutes('resolutionMinutes', { id: 'Penyelesaian', en: 'Resolution' }, input.resolutionMinutes, fields)
  if (fields.length === 0 && first > resolution) fields.push({ field: 'resolutionMinutes', id: `Batas penyelesaian (${resolution} menit) tidak boleh lebih pendek dari batas jawaban pertama (${first} menit).`, en: `The resolution target (${resolution} minutes) cannot be shorter than the first-response target (${first} minutes).` })
  if (fields.length > 0) invalid(fields)
  const key = { channel: input.channel as Channel, category: input.category as Category, priority: input.priority as Priority }
  await transaction(deps.db, async (trx) => {
    const before = await trx.selectFrom('helpdesk_sla_targets').selectAll().where('channel', '=', key.channel).where('category', '=', key.category).where('priority', '=', key.priority).forUpdate().executeTakeFirst()
    await trx
      .insertInto('helpdesk_sla_targets')
      .values({ ...key, first_response_minutes: first, resolution_minutes: resolution })
      .onConflict((oc) => oc.columns(['channel', 'category', 'priority']).doUpdateSet({ first_response_minutes: first, resolution_minutes: resolution }))
      .execute()
    await history(trx, deps, staff, 'sla_target', `${key.channel}/${key.category}/${key.priority}`, before ? { firstResponseMinutes: before.first_response_minutes, resolutionMinutes: before.resolution_minutes } : null, { firstResponseMinutes: first, resolutionMinutes: resolution })
  })
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function parseDay(text: string): Date | null {
  if (!DATE.test(text)) return null
  const d = new Date(`${text}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? null : d
}

/** One holiday, or a run of days with one name (e.g. collective leave around Lebaran). */
export async function addHolidays(deps: Deps, staff: Staff, input: { start: string; end: string; name: string }): Promise<string[]> {
  allowed(staff)
  const fields: FieldError[] = []
  const start = parseDay(input.start.trim())
  const end = input.end.trim() ? parseDay(input.end.trim()) : start
  const name = input.name.trim()
  if (!start) fields.push({ field: 'start', id: 'Tulis tanggal mulai sebagai TTTT-BB-HH (mis. 2027-03-31).', en: 'Write the start date as YYYY-MM-DD (e.g. 2027-03-31).' })
  if (input.end.trim() && !end) fields.push({ field: 'end', id: 'Tulis tanggal akhir sebagai TTTT-BB-HH, atau kosongkan untuk satu hari.', en: 'Write the end date as YYYY-MM-DD, or leave it empty for one day.' })
  if (name.length < 3 || name.length > 100) fields.push({ field: 'name', id: 'Tulis nama hari libur (3–100 huruf), mis. "Hari Raya Idul Fitri".', en: 'Write the holiday’s name (3–100 letters), e.g. "Eid al-Fitr".' })
  if (start && end && end.getTime() < start.getTime()) fields.push({ field: 'end', id: `Tanggal akhir (${input.end.trim()}) sebelum tanggal mulai (${input.start.trim()}). Tukar keduanya atau perbaiki salah satunya.`, en: `The end date (${input.end.trim()}) is before the start date (${input.start.trim()}). Swap them or correct one.` })
  const days: string[] = []
  if (start && end && end.getTime() >= start.getTime()) {
    for (let d = start.getTime(); d <= end.getTime(); d += 86_400_000) days.push(new Date(d).toISOString().slice(0, 10))
    if (days.length > MAX_HOLIDAY_RANGE_DAYS) fields.push({ field: 'end', id: `Paling banyak ${MAX_HOLIDAY_RANGE_DAYS} hari sekaligus (Anda memilih ${days.length}).`, en: `At most ${MAX_HOLIDAY_RANGE_DAYS} days at once (you chose ${days.length}).` })
  }
  if (fields.length > 0) invalid(fields)
  await transaction(deps.db, async (trx) => {
    const existing = await trx.selectFrom('helpdesk_holidays').select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'name']).where(sql<boolean>`to_char(day, 'YYYY-MM-DD') in (${sql.join(days)})`).execute()
    if (existing.length > 0)
      invalid([{ field: 'start', id: `Sudah ada di kalender: ${existing.map((e) => `${e.day} (${e.name})`).join(', ')}. Hapus dulu bila namanya perlu diganti.`, en: `Already in the calendar: ${existing.map((e) => `${e.day} (${e.name})`).join(', ')}. Remove it first if its name must change.` }])
    await trx.insertInto('helpdesk_holidays').values(days.map((day) => ({ day, name }))).execute()
    for (const day of days) await history(trx, deps, staff, 'holiday', day, null, { name })
  })
  return days
}

export async function removeHoliday(deps: Deps, staff: Staff, day: string): Promise<void> {
  allowed(staff)
  if (!parseDay(day)) invalid([{ field: 'day', id: 'Tanggal tidak dikenal.', en: 'Unknown date.' }])
  await transaction(deps.db, async (trx) => {
    const before = await trx.selectFrom('helpdesk_holidays').select('name').where(sql<boolean>`to_char(day, 'YYYY-MM-DD') = ${day}`).executeTakeFirst()
    if (!before) invalid([{ field: 'day', id: `${day} tidak ada di kalender libur.`, en: `${day} is not in the holiday calendar.` }])
    await trx.deleteFrom('helpdesk_holidays').where(sql<boolean>`to_char(day, 'YYYY-MM-DD') = ${day}`).execute()
    await history(trx, deps, staff, 'holiday', day, { name: before.name }, null)
  })
}

export interface AgentInput {
  accountId: string
  team: string
  skills: readonly string[]
  capacity: string
  active: boolean
}

export async function setAgent(deps: Deps, staff: Staff, input: AgentInput): Promise<void> {
  allowed(staff)
  const fields: FieldError[] = []
  const team = input.team.trim().toLowerCase()
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(team)) fields.push({ field: 'team', id: 'Tulis nama tim 2–40 huruf kecil, angka atau tanda hubung (mis. "pagi-1").', en: 'Write the team name as 2–40 lower-case letters, digits or hyphens (e.g. "pagi-1").' })
  const unknown = input.skills.filter((s) => !(CATEGORIES as readonly string[]).includes(s))
  if (unknown.length > 0) fields.push({ field: 'skills', id: `Keahlian tidak dikenal: ${unknown.join(', ')}.`, en: `Unknown skills: ${unknown.join(', ')}.` })
  if (input.active && input.skills.length === 0) fields.push({ field: 'skills', id: 'Pilih paling sedikit satu keahlian untuk agen yang aktif.', en: 'Choose at least one skill for an active agent.' })
  const cap = input.capacity.trim()
  if (!/^-?\d+$/.test(cap)) fields.push({ field: 'capacity', id: 'Tulis kapasitas sebagai angka bulat: berapa tiket terbuka sekaligus.', en: 'Write the capacity as a whole number: how many open tickets at once.' })
  else if (Number(cap) < 0 || Number(cap) > 200) fields.push({ field: 'capacity', id: `Kapasitas antara 0 dan 200 tiket (Anda menulis ${cap}). Pakai 0 untuk berhenti memberi tiket baru.`, en: `Capacity is between 0 and 200 tickets (you wrote ${cap}). Use 0 to stop giving new tickets.` })
  if (fields.length > 0) invalid(fields)
  await transaction(deps.db, async (trx) => {
    const account = await trx.selectFrom('accounts').select(['id', 'role']).where('id', '=', input.accountId).executeTakeFirst()
    if (!account || (account.role !== 'agent' && account.role !== 'supervisor')) invalid([{ field: 'accountId', id: 'Hanya akun agen atau supervisor yang bisa menerima tiket.', en: 'Only agent or supervisor accounts can take tickets.' }])
    const before = await trx.selectFrom('helpdesk_agents').select(['team', 'skills', 'capacity', 'active']).where('account_id', '=', input.accountId).forUpdate().executeTakeFirst()
    const skills = CATEGORIES.filter((c) => input.skills.includes(c))
    const after = { team, skills, capacity: Number(cap), active: input.active }
    await trx
      .insertInto('helpdesk_agents')
      .values({ account_id: input.accountId, team, skills: JSON.stringify(skills), capacity: after.capacity, active: input.active })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ team, skills: JSON.stringify(skills), capacity: after.capacity, active: input.active }))
      .execute()
    await history(trx, deps, staff, 'agent', input.accountId, before ?? null, after)
  })
}
