/**
 * Staff and partners (/pmo/staf): the programme's staff accounts and their roles (search,
 * filter by role), a new staff account with its role (an officer with the regency it
 * works in), disabling and enabling, each change audited; then links to the pages that
 * already exist for partners (onboarding, credentials: /pmo/mitra) and the audit log with
 * its chain verification (/pmo/audit). Auditors read, change nothing.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { record } from '../../platform/audit/index.ts'
import { transaction, type Executor } from '../../platform/db/database.ts'
import { AppError, isUniqueViolation, type FieldError } from '../../platform/errors.ts'
import { deleteSessionsOfAccount } from '../../platform/http/session.repository.ts'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { insertAccountIfAbsent, listStaff, setStaffEnabled, STAFF_ROLES, type StaffRole } from '../accounts/index.ts'
import { normaliseEmail } from '../accounts/contact.ts'
import { getRegency, listProvinces, listRegencies } from '../regions/index.ts'

/** The most rows one page lists; a search narrows it. */
export const STAFF_PAGE = 200

const T = {
  title: { id: 'Staf dan mitra', en: 'Staff and partners' },
  staff: { id: 'Akun staf', en: 'Staff accounts' },
  search: { id: 'Cari nama atau e-mail', en: 'Search name or e-mail' },
  role: { id: 'Peran', en: 'Role' },
  filterRole: { id: 'Saring menurut peran', en: 'Filter by role' },
  all: { id: 'Semua peran', en: 'All roles' },
  show: { id: 'Tampilkan', en: 'Show' },
  name: { id: 'Nama', en: 'Name' },
  email: { id: 'E-mail', en: 'E-mail' },
  region: { id: 'Wilayah', en: 'Region' },
  status: { id: 'Status', en: 'Status' },
  since: { id: 'Dibuat', en: 'Created' },
  action: { id: 'Tindakan', en: 'Action' },
  none: { id: 'Tidak ada akun staf yang cocok.', en: 'No matching staff accounts.' },
  more: { id: 'Hanya {n} akun pertama yang ditampilkan; persempit pencarian.', en: 'Only the first {n} accounts are shown; narrow the search.' },
  active: { id: 'aktif', en: 'active' },
  closed: { id: 'dinonaktifkan', en: 'disabled' },
  frozen: { id: 'dibekukan', en: 'frozen' },
  pending: { id: 'menunggu verifikasi', en: 'awaiting verification' },
  disable: { id: 'Nonaktifkan', en: 'Disable' },
  enable: { id: 'Aktifkan lagi', en: 'Enable' },
  create: { id: 'Tambah akun staf', en: 'Add a staff account' },
  regency: { id: 'Kabupaten/kota tugas (wajib untuk petugas wilayah)', en: 'Regency or city of work (required for officers)' },
  noRegency: { id: '– tidak ada –', en: '– none –' },
  createHint: {
    id: 'Akun dibuat tanpa kata sandi. Minta orangnya membuka "Lupa kata sandi" (/lupa-sandi) dengan e-mail ini untuk mengatur kata sandinya.',
    en: 'The account is created without a password. Ask the person to open "Forgot password" (/lupa-sandi) with this e-mail to set one.',
  },
  save: { id: 'Buat akun', en: 'Create account' },
  created: { id: 'Akun staf dibuat dan dicatat di log audit. Minta orangnya mengatur kata sandi lewat /lupa-sandi.', en: 'Staff account created and recorded in the audit log. Ask the person to set a password at /lupa-sandi.' },
  changed: { id: 'Status akun diubah dan dicatat di log audit.', en: 'Account status changed and recorded in the audit log.' },
  partners: { id: 'Mitra', en: 'Partners' },
  partnersLink: { id: 'Daftar mitra, orientasi mitra baru, penangguhan dan afiliasi', en: 'Partner list, onboarding a new partner, suspension and affiliations' },
  credentialsNote: { id: 'Kunci API dibuat dan diganti oleh mitra sendiri di /mitra/kredensial setelah orientasi.', en: 'API keys are created and rotated by each partner at /mitra/kredensial after onboarding.' },
  audit: { id: 'Log audit', en: 'Audit log' },
  auditLink: { id: 'Cari log audit dan periksa rantai hash-nya', en: 'Search the audit log and verify its hash chain' },
  self: { id: 'Anda tidak bisa menonaktifkan akun Anda sendiri.', en: 'You cannot disable your own account.' },
}

const ROLE_NAMES: Record<StaffRole, { id: string; en: string }> = {
  officer: { id: 'Petugas wilayah', en: 'Regional officer' },
  agent: { id: 'Agen layanan pengaduan', en: 'Helpdesk agent' },
  supervisor: { id: 'Supervisor layanan pengaduan', en: 'Helpdesk supervisor' },
  pmo_admin: { id: 'Admin PMO', en: 'PMO administrator' },
  auditor: { id: 'Auditor (hanya baca)', en: 'Auditor (read-only)' },
}

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  peran: Type.Optional(Type.Union([Type.Literal(''), ...STAFF_ROLES.map((r) => Type.Literal(r))])),
  dibuat: Type.Optional(Type.Literal('1')),
  diubah: Type.Optional(Type.Literal('1')),
})
const CreateBody = Type.Object({
  _csrf: Type.String(),
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 200 }),
  role: Type.String({ maxLength: 20 }),
  regency: Type.Optional(Type.String({ maxLength: 10 })),
})
const StatusBody = Type.Object({ _csrf: Type.String(), enabled: Type.Union([Type.Literal('0'), Type.Literal('1')]) })

interface Typed {
  name?: string
  email?: string
  role?: string
  regency?: string
}

function regionLabel(code: string | null): string {
  return code ? `${getRegency(code)?.name ?? code} (${code})` : '–'
}

function statusName(l: Locale, s: string): string {
  return s in T ? tr(l, T[s as 'active' | 'closed' | 'frozen' | 'pending']) : s
}

/** Checks the new account's fields; every problem named on its field. */
export function checkStaffInput(body: Typed): { ok: true; value: { name: string; email: string; role: StaffRole; regency: string | null } } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const name = (body.name ?? '').trim()
  if (name.length < 2) errors.push({ field: 'name', id: 'Tulis nama lengkap staf.', en: 'Write the staff member\'s full name.' })
  const email = normaliseEmail(body.email ?? '')
  if (!email.ok) errors.push({ ...email.error, field: 'email' })
  const role = STAFF_ROLES.find((r) => r === body.role)
  if (!role) errors.push({ field: 'role', id: 'Pilih peran.', en: 'Choose a role.' })
  const regency = (body.regency ?? '').trim() || null
  if (role === 'officer' && (!regency || !getRegency(regency))) errors.push({ field: 'regency', id: 'Pilih kabupaten/kota tempat petugas bekerja.', en: 'Choose the regency or city the officer works in.' })
  if (role && role !== 'officer' && regency) errors.push({ field: 'regency', id: 'Hanya petugas wilayah yang punya wilayah; kosongkan pilihan ini.', en: 'Only regional officers have a region; leave this empty.' })
  if (errors.length > 0 || !email.ok || !role) return { ok: false, errors }
  return { ok: true, value: { name, email: email.email, role, regency: role === 'officer' ? regency : null } }
}

export function registerStaffPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const audit = (ex: Executor, req: FastifyRequest, action: string, subjectId: string, details: Record<string, unknown>) =>
    record(ex, { actorId: req.account!.id, actorRole: req.account!.role, action, subjectType: 'account', subjectId, details, requestId: String(req.id), ip: req.ip }, deps.clock)

  async function page(req: FastifyRequest, reply: FastifyReply, opts: { errors: FieldError[]; typed: Typed }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const query = req.query as typeof ListQuery.static
    const role = query.peran ? (query.peran as StaffRole) : null
    const text = query.q?.trim() || null
    const rows = await listStaff(db, { role, text, limit: STAFF_PAGE + 1 })
    const isAdmin = req.account!.role === 'pmo_admin'
    const regencies = listProvinces().flatMap((p) => listRegencies(p.code).map((r) => ({ code: r.code, name: `${r.name} (${p.name})` })))
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <ErrorSummary locale={l} fields={opts.errors} />
        {query.dibuat ? <p class="notice" role="status" safe>{tr(l, T.created)}</p> : ''}
        {query.diubah ? <p class="notice" role="status" safe>{tr(l, T.changed)}</p> : ''}
        <h2 id="staf" safe>{tr(l, T.staff)}</h2>
        <form method="get" action="/pmo/staf" class="filters">
          <div>
            <label for="q" safe>{tr(l, T.search)}</label>
            <input id="q" name="q" type="search" value={query.q ?? ''} />
          </div>
          <div>
            <label for="peran" safe>{tr(l, T.filterRole)}</label>
            <select id="peran" name="peran">
              <option value="" safe>{tr(l, T.all)}</option>
              {STAFF_ROLES.map((r) => (
                <option value={r} selected={role === r} safe>{tr(l, ROLE_NAMES[r])}</option>
              ))}
            </select>
          </div>
          <button type="submit" safe>{tr(l, T.show)}</button>
        </form>
        {rows.length === 0 ? (
          <p safe>{tr(l, T.none)}</p>
        ) : (
          <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, T.staff)}>
            <table>
              <caption safe>{tr(l, T.staff)}</caption>
              <thead>
                <tr>
                  {[T.name, T.email, T.role, T.region, T.status, T.since, ...(isAdmin ? [T.action] : [])].map((h) => (
                    <th scope="col" safe>{tr(l, h)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, STAFF_PAGE).map((r) => (
                  <tr>
                    <th scope="row" safe>{r.display_name}</th>
                    <td safe>{r.email ?? '–'}</td>
                    <td safe>{tr(l, ROLE_NAMES[r.role as StaffRole])}</td>
                    <td safe>{regionLabel(r.region_code)}</td>
                    <td safe>{statusName(l, r.status)}</td>
                    <td safe>{formatDateTime(l, r.created_at)}</td>
                    {isAdmin ? (
                      <td>
                        {r.id === req.account!.id || (r.status !== 'active' && r.status !== 'closed') ? (
                          ''
                        ) : (
                          <form method="post" action={`/pmo/staf/${r.id}/status`} class="inline">
                            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                            <input type="hidden" name="enabled" value={r.status === 'active' ? '0' : '1'} />
                            <button type="submit" class={r.status === 'active' ? 'secondary' : undefined} aria-label={`${tr(l, r.status === 'active' ? T.disable : T.enable)}: ${r.display_name}`} safe>
                              {tr(l, r.status === 'active' ? T.disable : T.enable)}
                            </button>
                          </form>
                        )}
                      </td>
                    ) : (
                      ''
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {rows.length > STAFF_PAGE ? <p class="muted" safe>{tr(l, T.more, { n: STAFF_PAGE })}</p> : ''}
        {isAdmin ? (
          <form method="post" action="/pmo/staf" novalidate>
            <h2 id="baru" safe>{tr(l, T.create)}</h2>
            <p class="hint" safe>{tr(l, T.createHint)}</p>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="name" label={tr(l, T.name)} value={opts.typed.name ?? ''} autocomplete="off" errors={opts.errors} />
            <Field locale={l} name="email" label={tr(l, T.email)} type="email" value={opts.typed.email ?? ''} autocomplete="off" errors={opts.errors} />
            <Choice l={l} name="role" label={tr(l, T.role)} errors={opts.errors} selected={opts.typed.role ?? ''} options={STAFF_ROLES.map((r) => ({ value: r, label: tr(l, ROLE_NAMES[r]) }))} />
            <Choice l={l} name="regency" label={tr(l, T.regency)} errors={opts.errors} selected={opts.typed.regency ?? ''} options={[{ value: '', label: tr(l, T.noRegency) }, ...regencies.map((r) => ({ value: r.code, label: r.name }))]} />
            <button type="submit" safe>{tr(l, T.save)}</button>
          </form>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.partners)}</h2>
        <p><a href="/pmo/mitra" safe>{tr(l, T.partnersLink)}</a></p>
        <p class="muted" safe>{tr(l, T.credentialsNote)}</p>
        <h2 safe>{tr(l, T.audit)}</h2>
        <p><a href="/pmo/audit" safe>{tr(l, T.auditLink)}</a></p>
      </Layout>,
    )
  }

  app.get('/pmo/staf', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, querystring: ListQuery } }, async (req, reply) => page(req, reply, { errors: [], typed: {} }))

  app.post('/pmo/staf', { config: { access: ['pmo_admin'] }, schema: { hide: true, body: CreateBody } }, async (req, reply) => {
    const body = req.body as typeof CreateBody.static
    const typed: Typed = { name: body.name, email: body.email, role: body.role, ...(body.regency !== undefined ? { regency: body.regency } : {}) }
    const checked = checkStaffInput(typed)
    const refuse = (errors: FieldError[]) => {
      reply.code(400)
      return page(req, reply, { errors, typed })
    }
    if (!checked.ok) return refuse(checked.errors)
    const v = checked.value
    let id: string | null = null
    try {
      id = await transaction(db, async (trx) => {
        const created = await insertAccountIfAbsent(trx, { email: v.email, phone: null, displayName: v.name, passwordHash: null, role: v.role, regionCode: v.regency, verifiedAt: deps.clock.now() })
        if (created) await audit(trx, req, 'staff.created', created, { role: v.role, regionCode: v.regency, email: v.email })
        return created
      })
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
    }
    if (!id) return refuse([{ field: 'email', id: 'E-mail ini sudah dipakai akun lain. Periksa daftar staf di atas.', en: 'This e-mail is already used by another account. Check the staff list above.' }])
    return reply.redirect('/pmo/staf?dibuat=1', 303)
  })

  app.post(
    '/pmo/staf/:id/status',
    { config: { access: ['pmo_admin'] }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: StatusBody } },
    async (req, reply) => {
      const { id } = req.params as { id: string }
      const enabled = (req.body as typeof StatusBody.static).enabled === '1'
      if (id === req.account!.id) {
        reply.code(400)
        return page(req, reply, { errors: [{ field: 'staf', ...T.self }], typed: {} })
      }
      const changed = await transaction(db, async (trx) => {
        if (!(await setStaffEnabled(trx, id, enabled))) return false
        // A disabled account's sessions end now, not when they expire.
        if (!enabled) await deleteSessionsOfAccount(trx, id)
        await audit(trx, req, enabled ? 'staff.enabled' : 'staff.disabled', id, {})
        return true
      })
      if (!changed) throw new AppError('NOT_FOUND')
      return reply.redirect('/pmo/staf?diubah=1', 303)
    },
  )
}

function Choice(props: { l: Locale; name: string; label: string; errors: readonly FieldError[]; selected: string; options: Array<{ value: string; label: string }> }): JSX.Element {
  const error = props.errors.find((e) => e.field === props.name)
  return (
    <div class={error ? 'has-error' : ''}>
      <label for={props.name} safe>{props.label}</label>
      {error ? <span class="field-error" id={`${props.name}-error`} safe>{error[props.l]}</span> : ''}
      <select id={props.name} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${props.name}-error` : undefined}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.selected} safe>{o.label}</option>
        ))}
      </select>
    </div>
  )
}
