/**
 * /bantuan/pengaturan: SLA targets, the holiday calendar, and agents' teams, skills and
 * capacity (supervisors and PMO admins), with the latest changes from the append-only history.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import type { Staff } from './console.service.ts'
import { helpdeskDeps } from './deps.ts'
import { CATEGORIES, CHANNELS } from './helpdesk.tables.ts'
import { CATEGORY, CHANNEL } from './helpdesk.texts.ts'
import { addHolidays, removeHoliday, setAgent, setSlaTarget, settingsView, SETTINGS_ROLES } from './settings.service.ts'

const ACCESS = { access: SETTINGS_ROLES }
const BASE = '/bantuan/pengaturan'

const T = {
  title: { id: 'Pengaturan pusat bantuan', en: 'Contact centre settings' },
  hours: { id: 'Jam layanan: 08.00–20.00 WIB setiap hari, kecuali hari libur di bawah. Batas waktu dihitung dalam menit kerja (12 jam sehari).', en: 'Business hours: 08:00–20:00 WIB every day, except the holidays below. Targets count business minutes (12 hours a day).' },
  saved: { id: 'Tersimpan dan dicatat di riwayat.', en: 'Saved and recorded in the history.' },
  targets: { id: 'Batas waktu (SLA) per kanal dan kategori', en: 'SLA targets per channel and category' },
  targetsNote: { id: 'Perubahan berlaku untuk pengaduan baru; pengaduan yang sudah terbuka tetap dengan batasnya.', en: 'A change applies to new complaints; open ones keep their due dates.' },
  channel: { id: 'Kanal', en: 'Channel' },
  category: { id: 'Kategori', en: 'Category' },
  priority: { id: 'Prioritas', en: 'Priority' },
  first: { id: 'Jawaban pertama (menit kerja)', en: 'First response (business minutes)' },
  resolution: { id: 'Penyelesaian (menit kerja)', en: 'Resolution (business minutes)' },
  saveTarget: { id: 'Simpan batas waktu', en: 'Save the target' },
  holidays: { id: 'Kalender hari libur', en: 'Holiday calendar' },
  start: { id: 'Tanggal mulai (TTTT-BB-HH)', en: 'Start date (YYYY-MM-DD)' },
  end: { id: 'Tanggal akhir (kosongkan untuk satu hari)', en: 'End date (leave empty for one day)' },
  name: { id: 'Nama hari libur', en: 'Holiday name' },
  addHoliday: { id: 'Tambah hari libur', en: 'Add the holiday' },
  remove: { id: 'Hapus', en: 'Remove' },
  agents: { id: 'Agen: tim, keahlian dan kapasitas', en: 'Agents: team, skills and capacity' },
  teams: { id: 'Tim', en: 'Teams' },
  team: { id: 'Tim', en: 'Team' },
  skills: { id: 'Keahlian', en: 'Skills' },
  capacity: { id: 'Kapasitas (tiket terbuka sekaligus)', en: 'Capacity (open tickets at once)' },
  active: { id: 'Aktif menerima tiket', en: 'Active, takes tickets' },
  load: { id: 'Tiket terbuka', en: 'Open tickets' },
  saveAgent: { id: 'Simpan agen', en: 'Save the agent' },
  history: { id: 'Riwayat perubahan (tidak bisa diubah)', en: 'Change history (cannot be altered)' },
  agentsCount: { id: '{n} agen, {active} aktif, kapasitas {capacity}, terisi {load}', en: '{n} agents, {active} active, capacity {capacity}, {load} in use' },
}

const TargetBody = Type.Object({ channel: Type.Optional(Type.String({ maxLength: 20 })), category: Type.Optional(Type.String({ maxLength: 20 })), priority: Type.Optional(Type.String({ maxLength: 10 })), firstResponseMinutes: Type.Optional(Type.String({ maxLength: 20 })), resolutionMinutes: Type.Optional(Type.String({ maxLength: 20 })) })
const HolidayBody = Type.Object({ start: Type.Optional(Type.String({ maxLength: 20 })), end: Type.Optional(Type.String({ maxLength: 20 })), name: Type.Optional(Type.String({ maxLength: 200 })) })
const RemoveBody = Type.Object({ day: Type.Optional(Type.String({ maxLength: 20 })) })
const AgentBody = Type.Object({ accountId: Type.String({ format: 'uuid' }), team: Type.Optional(Type.String({ maxLength: 60 })), capacity: Type.Optional(Type.String({ maxLength: 20 })), active: Type.Optional(Type.String({ maxLength: 5 })), skills: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })])) })

function staffOf(req: FastifyRequest): Staff {
  return { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }
}

function errorsFor(fields: readonly FieldError[], l: Locale, names: readonly string[]): JSX.Element {
  return <>{fields.filter((f) => names.includes(f.field)).map((f) => <span class="field-error" safe>{f[l]}</span>)}</>
}

export function registerSettingsPages(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const devMailbox = deps.config.mail.devMailbox

  async function page(req: FastifyRequest, reply: FastifyReply, s: { fields?: readonly FieldError[]; message?: string | null; values?: Record<string, string> }) {
    const v = await settingsView(hd)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fields = s.fields ?? []
    const val = s.values ?? {}
    const saved = (req.query as { tersimpan?: string } | undefined)?.tersimpan
    const csrf = <input type="hidden" name="_csrf" value={ctx.csrfToken} />
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        {saved && fields.length === 0 ? <p class="notice" role="status" safe>{tr(l, T.saved)}</p> : ''}
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.hours)}</p>

        <section aria-labelledby="targets"><h2 id="targets" safe>{tr(l, T.targets)}</h2>
          <p class="hint" safe>{tr(l, T.targetsNote)}</p>
          <form method="post" action={`${BASE}/sla`} novalidate>{csrf}
            <label for="channel" safe>{tr(l, T.channel)}</label><select id="channel" name="channel">{CHANNELS.map((c) => <option value={c} selected={val.channel === c} safe>{tr(l, CHANNEL[c])}</option>)}</select>
            <label for="category" safe>{tr(l, T.category)}</label><select id="category" name="category">{CATEGORIES.map((c) => <option value={c} selected={val.category === c} safe>{tr(l, CATEGORY[c])}</option>)}</select>
            <label for="priority" safe>{tr(l, T.priority)}</label><select id="priority" name="priority"><option value="normal" selected={val.priority !== 'high'}>normal</option><option value="high" selected={val.priority === 'high'}>high</option></select>
            <label for="firstResponseMinutes" safe>{tr(l, T.first)}</label>{errorsFor(fields, l, ['firstResponseMinutes'])}<input id="firstResponseMinutes" name="firstResponseMinutes" inputmode="numeric" value={val.firstResponseMinutes ?? ''} />
            <label for="resolutionMinutes" safe>{tr(l, T.resolution)}</label>{errorsFor(fields, l, ['resolutionMinutes'])}<input id="resolutionMinutes" name="resolutionMinutes" inputmode="numeric" value={val.resolutionMinutes ?? ''} />
            <p class="actions"><button type="submit" safe>{tr(l, T.saveTarget)}</button></p>
          </form>
          <div class="table-wrap"><table>
            <thead><tr>{[T.channel, T.category, T.priority, T.first, T.resolution].map((h) => <th scope="col" safe>{tr(l, h)}</th>)}</tr></thead>
            <tbody>{v.targets.map((x) => <tr><td safe>{tr(l, CHANNEL[x.channel])}</td><td safe>{tr(l, CATEGORY[x.category])}</td><td>{x.priority}</td><td safe>{String(x.first_response_minutes)}</td><td safe>{String(x.resolution_minutes)}</td></tr>)}</tbody>
          </table></div>
        </section>

        <section aria-labelledby="holidays"><h2 id="holidays" safe>{tr(l, T.holidays)}</h2>
          <form method="post" action={`${BASE}/libur`} novalidate>{csrf}
            <label for="start" safe>{tr(l, T.start)}</label>{errorsFor(fields, l, ['start'])}<input id="start" name="start" type="date" value={val.start ?? ''} />
            <label for="end" safe>{tr(l, T.end)}</label>{errorsFor(fields, l, ['end'])}<input id="end" name="end" type="date" value={val.end ?? ''} />
            <label for="name" safe>{tr(l, T.name)}</label>{errorsFor(fields, l, ['name'])}<input id="name" name="name" value={val.name ?? ''} />
            <p class="actions"><button type="submit" safe>{tr(l, T.addHoliday)}</button></p>
          </form>
          <ul>{v.holidays.map((h) => <li><span safe>{`${h.day} · ${h.name}`}</span> <form method="post" action={`${BASE}/libur/hapus`} class="inline">{csrf}<input type="hidden" name="day" value={h.day} /><button type="submit" class="link" aria-label={`${tr(l, T.remove)} ${h.day}`} safe>{tr(l, T.remove)}</button></form></li>)}</ul>
        </section>

        <section aria-labelledby="agents"><h2 id="agents" safe>{tr(l, T.agents)}</h2>
          <h3 safe>{tr(l, T.teams)}</h3>
          <ul>{v.teams.map((x) => <li safe>{`${x.team}: ${tr(l, T.agentsCount, { n: x.agents, active: x.active, capacity: x.capacity, load: x.load })}`}</li>)}</ul>
          {errorsFor(fields, l, ['team', 'skills', 'capacity', 'accountId'])}
          {v.agents.map((g) => (
            <form method="post" action={`${BASE}/agen`} novalidate>{csrf}<input type="hidden" name="accountId" value={g.account_id} />
              <fieldset><legend safe>{`${g.display_name} (${g.role}) · ${tr(l, T.load)}: ${g.load}`}</legend>
                <label for={`team-${g.account_id}`} safe>{tr(l, T.team)}</label><input id={`team-${g.account_id}`} name="team" value={g.team} />
                <label for={`cap-${g.account_id}`} safe>{tr(l, T.capacity)}</label><input id={`cap-${g.account_id}`} name="capacity" inputmode="numeric" value={String(g.capacity)} />
                <p safe>{tr(l, T.skills)}</p>
                {CATEGORIES.map((c) => <label class="inline"><input type="checkbox" name="skills" value={c} checked={g.skills.includes(c)} /> <span safe>{tr(l, CATEGORY[c])}</span></label>)}
                <label class="inline"><input type="checkbox" name="active" value="ya" checked={g.active} /> <span safe>{tr(l, T.active)}</span></label>
                <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.saveAgent)}</button></p>
              </fieldset>
            </form>))}
        </section>

        <section aria-labelledby="history"><h2 id="history" safe>{tr(l, T.history)}</h2>
          <ol>{v.changes.map((c) => <li safe>{`${formatDateTime(l, c.changed_at)} · ${c.by} · ${c.kind} ${c.subject}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`}</li>)}</ol>
        </section>
      </Layout>)
  }

  app.get(BASE, { config: ACCESS, schema: { hide: true, querystring: Type.Object({ tersimpan: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (req, reply) => page(req, reply, {}))

  async function act(req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>) {
    try {
      await run()
      return reply.redirect(`${BASE}?tersimpan=1`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(err.status)
      return page(req, reply, { fields: err.fields, message: errorMessage(err.code, req.locale), values: req.body as Record<string, string> })
    }
  }

  app.post(`${BASE}/sla`, { config: ACCESS, schema: { hide: true, body: TargetBody } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    return act(req, reply, () => setSlaTarget(hd, staffOf(req), { channel: b.channel ?? '', category: b.category ?? '', priority: b.priority ?? '', firstResponseMinutes: b.firstResponseMinutes ?? '', resolutionMinutes: b.resolutionMinutes ?? '' }))
  })
  app.post(`${BASE}/libur`, { config: ACCESS, schema: { hide: true, body: HolidayBody } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    return act(req, reply, () => addHolidays(hd, staffOf(req), { start: b.start ?? '', end: b.end ?? '', name: b.name ?? '' }))
  })
  app.post(`${BASE}/libur/hapus`, { config: ACCESS, schema: { hide: true, body: RemoveBody } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    return act(req, reply, () => removeHoliday(hd, staffOf(req), b.day ?? ''))
  })
  app.post(`${BASE}/agen`, { config: ACCESS, schema: { hide: true, body: AgentBody } }, async (req, reply) => {
    const b = req.body as { accountId: string; team?: string; capacity?: string; active?: string; skills?: string | string[] }
    const skills = b.skills === undefined ? [] : Array.isArray(b.skills) ? b.skills : [b.skills]
    return act(req, reply, () => setAgent(hd, staffOf(req), { accountId: b.accountId, team: b.team ?? '', skills, capacity: b.capacity ?? '', active: b.active === 'ya' }))
  })
}
