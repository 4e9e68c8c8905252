/**
 * Integrity (/pmo/integritas): the signals computed from existing data, each with a
 * drill-down and PMO's decision on it (freeze, clear, refer), stored and audited in one
 * transaction. Auditors see everything and decide nothing. Views are audited too, since
 * the drill-downs show e-mail addresses and IP addresses.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { record } from '../../platform/audit/index.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr } from '../../platform/i18n/index.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { DataTable } from './report-parts.tsx'
import * as repo from './integrity.repository.ts'
import { decide } from './integrity.service.ts'
import type { IntegrityAction } from './reports.tables.ts'

const T = {
  title: { id: 'Integritas program', en: 'Programme integrity' },
  intro: { id: 'Sinyal yang dihitung dari data yang sudah ada. Setiap sinyal bisa dibuka dan diputuskan: bekukan, nyatakan aman, atau rujuk ke penegak hukum/APIP.', en: 'Signals computed from existing data. Each can be opened and decided: freeze, clear, or refer to investigators.' },
  subject: { id: 'Subjek', en: 'Subject' },
  summary: { id: 'Ringkasan', en: 'Summary' },
  count: { id: 'Jumlah', en: 'Count' },
  state: { id: 'Keputusan terakhir', en: 'Latest decision' },
  open: { id: 'belum diputuskan', en: 'not decided' },
  none: { id: 'Tidak ada sinyal.', en: 'No signals.' },
  detail: { id: 'Rincian', en: 'Details' },
  history: { id: 'Riwayat keputusan', en: 'Decision history' },
  decide: { id: 'Keputusan', en: 'Decision' },
  note: { id: 'Alasan (wajib, tersimpan di log audit)', en: 'Reason (required, kept in the audit log)' },
  save: { id: 'Simpan keputusan', en: 'Save decision' },
  saved: { id: 'Keputusan disimpan dan dicatat di log audit.', en: 'Decision saved and recorded in the audit log.' },
  back: { id: 'Semua sinyal', en: 'All signals' },
  noteMissing: { id: 'Tulis alasan keputusan.', en: 'Write the reason for the decision.' },
  when: { id: 'Waktu', en: 'When' },
  who: { id: 'Oleh', en: 'By' },
  targets: { id: 'Yang dibekukan bila Anda memilih "Bekukan"', en: 'What "Freeze" acts on' },
  noTargets: { id: 'Sinyal ini tidak menunjuk akun, mitra atau rekening tertentu: hanya bisa dinyatakan aman atau dirujuk.', en: 'This signal names no particular account, partner or payout account: it can only be cleared or referred.' },
  inForce: { id: 'Sedang dibekukan oleh sinyal ini', en: 'Frozen by this signal now' },
  since: { id: 'sejak {at}', en: 'since {at}' },
  effects: {
    id: 'Akun yang dibekukan tidak bisa masuk, membeli pelatihan atau menerima insentif; mitra yang dibekukan ditolak di API; pembayaran ke rekening yang dibekukan ditahan. "Aman" mengembalikan semuanya.',
    en: 'A frozen account cannot log in, buy a course or be paid; a frozen partner\'s API calls are refused; payouts to a frozen payout account are held. "Clear" gives everything back.',
  },
}

const TARGET_TYPES = {
  account: { id: 'Akun', en: 'Account' },
  partner: { id: 'Mitra (API ditolak)', en: 'Partner (API refused)' },
  payout_account: { id: 'Rekening insentif (pembayaran ditahan)', en: 'Payout account (payouts held)' },
}

const ACTIONS: Record<IntegrityAction, { id: string; en: string }> = {
  freeze: { id: 'Bekukan', en: 'Freeze' },
  clear: { id: 'Aman (tutup sinyal)', en: 'Clear (close the signal)' },
  refer: { id: 'Rujuk untuk investigasi', en: 'Refer for investigation' },
}

const Params = Type.Object({ kind: Type.String({ maxLength: 40 }), subject: Type.String({ minLength: 1, maxLength: 200 }) })
const Body = Type.Object({ _csrf: Type.String(), action: Type.Union([Type.Literal('freeze'), Type.Literal('clear'), Type.Literal('refer')]), note: Type.String({ maxLength: 1000 }) })

const href = (kind: string, subject: string) => `/pmo/integritas/${encodeURIComponent(kind)}/${encodeURIComponent(subject)}`

function signalOf(kind: string): repo.IntegritySignal {
  const s = repo.SIGNALS.find((x) => x.kind === kind)
  if (!s) throw new AppError('NOT_FOUND')
  return s
}

export function registerIntegrityPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const audit = (req: FastifyRequest, action: string, subjectId: string | null, details: Record<string, string> = {}, ex = db) =>
    record(ex, { actorId: req.account!.id, actorRole: req.account!.role, action, subjectType: 'integrity_signal', subjectId, details, requestId: String(req.id), ip: req.ip }, deps.clock)

  app.get('/pmo/integritas', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const sections = []
    for (const s of repo.SIGNALS) {
      const rows = await s.list(db, 100)
      const latest = new Map<string, string>()
      for (const a of await repo.actionsOf(db, s.kind)) if (!latest.has(a.subject)) latest.set(a.subject, tr(l, ACTIONS[a.action]))
      sections.push({ s, rows, latest })
    }
    await audit(req, 'integrity.viewed', null)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {sections.map(({ s, rows, latest }) => (
          <section aria-labelledby={`sig-${s.kind}`}>
            <h2 id={`sig-${s.kind}`} safe>{tr(l, s.title)}</h2>
            <p class="muted" safe>{tr(l, s.why)}</p>
            {rows.length === 0 ? (
              <p safe>{tr(l, T.none)}</p>
            ) : (
              <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, s.title)}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col" safe>{tr(l, T.subject)}</th>
                      <th scope="col" safe>{tr(l, T.summary)}</th>
                      <th scope="col" safe>{tr(l, T.count)}</th>
                      <th scope="col" safe>{tr(l, T.state)}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr>
                        <th scope="row"><a href={href(s.kind, r.subject)} safe>{r.subject}</a></th>
                        <td safe>{r.summary}</td>
                        <td class="num" safe>{String(r.count)}</td>
                        <td safe>{latest.get(r.subject) ?? tr(l, T.open)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
      </Layout>,
    )
  })

  async function detailPage(req: FastifyRequest, reply: FastifyReply, opts: { errors: FieldError[]; saved: boolean }) {
    const { kind, subject } = req.params as { kind: string; subject: string }
    const s = signalOf(kind)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const detail = await s.detail(db, subject)
    const history = await repo.actionsOf(db, kind, subject)
    const targets = await s.targets(db, subject)
    const inForce = await repo.activeFreezes(db, kind, subject)
    const noteError = opts.errors.find((e) => e.field === 'note')
    const actionError = opts.errors.find((e) => e.field === 'action')
    await audit(req, 'integrity.signal_viewed', `${kind}:${subject}`)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={`${tr(l, s.title)}: ${subject}`}>
        <h1 safe>{`${tr(l, s.title)}: ${subject}`}</h1>
        <ErrorSummary locale={l} fields={opts.errors} />
        {opts.saved ? <p class="notice" role="status" safe>{tr(l, T.saved)}</p> : ''}
        <h2 safe>{tr(l, T.detail)}</h2>
        <DataTable l={l} caption={tr(l, T.detail)} table={detail} />
        <h2 safe>{tr(l, T.targets)}</h2>
        {targets.length === 0 ? (
          <p safe>{tr(l, T.noTargets)}</p>
        ) : (
          <>
            <ul>
              {targets.map((x) => (
                <li safe>{`${tr(l, TARGET_TYPES[x.type])}: ${x.id}`}</li>
              ))}
            </ul>
            <p class="muted" safe>{tr(l, T.effects)}</p>
          </>
        )}
        {inForce.length > 0 ? (
          <>
            <h2 safe>{tr(l, T.inForce)}</h2>
            <ul>
              {inForce.map((f) => (
                <li safe>{`${tr(l, TARGET_TYPES[f.target_type])}: ${f.target_id} (${tr(l, T.since, { at: formatDateTime(l, f.frozen_at) })})`}</li>
              ))}
            </ul>
          </>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.history)}</h2>
        <DataTable l={l} caption={tr(l, T.history)} table={{ head: [tr(l, T.when), tr(l, T.decide), tr(l, T.note), tr(l, T.who)], rows: history.map((h) => [formatDateTime(l, h.at), tr(l, ACTIONS[h.action]), h.note, h.actor ?? '']) }} />
        {req.account!.role === 'pmo_admin' ? (
          <form method="post" action={href(kind, subject)}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <fieldset id="action" class={actionError ? 'has-error' : ''} aria-describedby={actionError ? 'action-error' : undefined}>
              <legend safe>{tr(l, T.decide)}</legend>
              {actionError ? <span class="field-error" id="action-error" safe>{actionError[l]}</span> : ''}
              {(Object.keys(ACTIONS) as IntegrityAction[]).map((a) => (
                <div>
                  <input type="radio" id={`action-${a}`} name="action" value={a} checked={a === (targets.length > 0 ? 'freeze' : 'refer')} />
                  <label for={`action-${a}`} safe>{tr(l, ACTIONS[a])}</label>
                </div>
              ))}
            </fieldset>
            <div class={noteError ? 'has-error' : ''}>
              <label for="note" safe>{tr(l, T.note)}</label>
              {noteError ? <span class="field-error" id="note-error" safe>{noteError[l]}</span> : ''}
              <textarea id="note" name="note" rows="3" aria-invalid={noteError ? 'true' : undefined} aria-describedby={noteError ? 'note-error' : undefined}></textarea>
            </div>
            <button type="submit" safe>{tr(l, T.save)}</button>
          </form>
        ) : (
          ''
        )}
        <p><a href="/pmo/integritas" safe>{tr(l, T.back)}</a></p>
      </Layout>,
    )
  }

  app.get(
    '/pmo/integritas/:kind/:subject',
    { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, params: Params, querystring: Type.Object({ disimpan: Type.Optional(Type.Literal('1')) }) } },
    async (req, reply) => detailPage(req, reply, { errors: [], saved: (req.query as { disimpan?: string }).disimpan === '1' }),
  )

  app.post('/pmo/integritas/:kind/:subject', { config: { access: ['pmo_admin'] }, schema: { hide: true, params: Params, body: Body } }, async (req, reply) => {
    const { kind, subject } = req.params as { kind: string; subject: string }
    signalOf(kind)
    const body = req.body as typeof Body.static
    const note = body.note.trim()
    if (note === '') {
      reply.code(400)
      return detailPage(req, reply, { errors: [{ field: 'note', id: T.noteMissing.id, en: T.noteMissing.en }], saved: false })
    }
    try {
      await decide({ db, clock: deps.clock }, { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }, { kind, subject, action: body.action, note })
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED' || err.fields.length === 0) throw err
      reply.code(400)
      return detailPage(req, reply, { errors: [...err.fields], saved: false })
    }
    return reply.redirect(`${href(kind, subject)}?disimpan=1`, 303)
  })
}
