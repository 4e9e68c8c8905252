/**
 * /pmo/penyelesaian/aturan: the verification rules and the review SLA, with their history.
 * The programme office's admins change them; auditors see them.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import type { CompletionRules } from './learning.service.ts'
import { loadCompletionRules, ruleChanges } from './rules.repository.ts'
import { changeCompletionRules, MAX_SLA_DAYS } from './rules.service.ts'

const T = {
  title: { id: 'Aturan verifikasi penyelesaian', en: 'Completion verification rules' },
  back: { id: 'Kembali ke antrean verifikasi', en: 'Back to the review queue' },
  intro: {
    id: 'Laporan kelulusan yang memenuhi semua aturan yang aktif langsung diterima dan sertifikat terbit; yang melanggar satu aturan masuk antrean tinjauan. Perubahan berlaku untuk laporan berikutnya.',
    en: 'A completion report that meets every active rule is accepted at once and the certificate issued; one that breaks a rule goes to the review queue. A change applies to the next reports.',
  },
  rulesLegend: { id: 'Aturan yang diperiksa', en: 'Rules checked' },
  sla: { id: 'Batas waktu tinjauan (hari)', en: 'Review deadline (days)' },
  slaHint: { id: `1–${MAX_SLA_DAYS} hari; peserta melihat tanggal perkiraan selesai.`, en: `1–${MAX_SLA_DAYS} days; the participant sees the expected date.` },
  reason: { id: 'Alasan perubahan', en: 'Reason for the change' },
  save: { id: 'Simpan aturan', en: 'Save the rules' },
  saved: { id: 'Aturan disimpan.', en: 'Rules saved.' },
  unchanged: { id: 'Tidak ada yang berubah.', en: 'Nothing changed.' },
  on: { id: 'aktif', en: 'on' },
  off: { id: 'tidak aktif', en: 'off' },
  slaValue: { id: '{days} hari', en: '{days} days' },
  history: { id: 'Riwayat perubahan', en: 'History of changes' },
  noHistory: { id: 'Belum pernah diubah: aturan bawaan berlaku.', en: 'Never changed: the default rules apply.' },
  change: { id: '{when} · {who}: {what} — “{reason}”', en: '{when} · {who}: {what} — “{reason}”' },
} satisfies Record<string, Text>

const RULES: ReadonlyArray<{ key: Exclude<keyof CompletionRules, 'reviewSlaDays'>; label: Text }> = [
  { key: 'voucherRedeemed', label: { id: 'Voucher sudah ditukar di lembaga pelatihan', en: 'The voucher was redeemed at the provider' } },
  { key: 'attendance', label: { id: 'Hadir di sesi yang dibeli (webinar dan luring)', en: 'Attended the purchased session (webinar and offline)' } },
  { key: 'assignmentsPassed', label: { id: 'Semua tugas yang dilaporkan lulus', en: 'Every reported assignment passed' } },
  { key: 'afterSessionEnd', label: { id: 'Tanggal selesai setelah sesi terakhir berakhir', en: 'Completed after the last session ended' } },
]

/** "Kehadiran: aktif → tidak aktif; SLA: 3 → 5 hari" — only what changed. */
function describeChange(l: Locale, old: CompletionRules, next: CompletionRules): string {
  const parts = RULES.filter((r) => old[r.key] !== next[r.key]).map((r) => `${tr(l, r.label)}: ${tr(l, old[r.key] ? T.on : T.off)} → ${tr(l, next[r.key] ? T.on : T.off)}`)
  if (old.reviewSlaDays !== next.reviewSlaDays) parts.push(`${tr(l, T.sla)}: ${old.reviewSlaDays} → ${next.reviewSlaDays}`)
  return parts.join('; ')
}

interface State {
  readonly fields: readonly FieldError[]
  readonly message: string | null
  readonly typed: Record<string, string> | null
  readonly notice: string | null
}

export function registerRulesPages(app: FastifyInstance, deps: AppDeps): void {
  const devMailbox = deps.config.mail.devMailbox
  const PATH = '/pmo/penyelesaian/aturan'

  async function page(req: FastifyRequest, reply: FastifyReply, state: State) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const [rules, history] = await Promise.all([loadCompletionRules(deps.database.db), ruleChanges(deps.database.db)])
    const canEdit = ctx.account?.role === 'pmo_admin'
    const checked = (key: string, current: boolean) => (state.typed ? state.typed[key] === '1' : current)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <p>
          <a href="/pmo/penyelesaian" safe>{tr(l, T.back)}</a>
        </p>
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        {state.notice ? <p class="notice" role="status" safe>{state.notice}</p> : ''}
        {canEdit ? (
          <form method="post" action={PATH}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <fieldset class="radios">
              <legend safe>{tr(l, T.rulesLegend)}</legend>
              {RULES.map((r) => (
                <label class="radio">
                  <input type="checkbox" name={r.key} value="1" checked={checked(r.key, rules[r.key])} /> <span safe>{tr(l, r.label)}</span>
                </label>
              ))}
            </fieldset>
            <Field locale={l} name="reviewSlaDays" type="number" inputmode="numeric" label={tr(l, T.sla)} hint={tr(l, T.slaHint)} value={state.typed?.reviewSlaDays ?? String(rules.reviewSlaDays)} errors={state.fields} />
            <Field locale={l} name="reason" label={tr(l, T.reason)} value={state.typed?.reason ?? ''} errors={state.fields} />
            <p>
              <button type="submit" safe>{tr(l, T.save)}</button>
            </p>
          </form>
        ) : (
          <dl>
            {RULES.map((r) => (
              <>
                <dt safe>{tr(l, r.label)}</dt>
                <dd safe>{tr(l, rules[r.key] ? T.on : T.off)}</dd>
              </>
            ))}
            <dt safe>{tr(l, T.sla)}</dt>
            <dd safe>{tr(l, T.slaValue, { days: rules.reviewSlaDays })}</dd>
          </dl>
        )}
        <h2 safe>{tr(l, T.history)}</h2>
        {history.length === 0 ? <p safe>{tr(l, T.noHistory)}</p> : ''}
        <ol>
          {history.map((h) => (
            <li safe>{tr(l, T.change, { when: formatDateTime(l, h.changedAt), who: h.changedBy, what: describeChange(l, h.old, h.next), reason: h.reason })}</li>
          ))}
        </ol>
      </Layout>,
    )
  }

  app.get(PATH, { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, querystring: Type.Object({ disimpan: Type.Optional(Type.String({ maxLength: 1 })) }) } }, async (req, reply) => {
    const saved = (req.query as { disimpan?: string }).disimpan
    return page(req, reply, { fields: [], message: null, typed: null, notice: saved === '1' ? tr(req.locale, T.saved) : saved === '0' ? tr(req.locale, T.unchanged) : null })
  })

  app.post(PATH, { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Type.Record(Type.String(), Type.String({ maxLength: 500 })) } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const a = req.account!
    const next: CompletionRules = {
      voucherRedeemed: b.voucherRedeemed === '1',
      attendance: b.attendance === '1',
      assignmentsPassed: b.assignmentsPassed === '1',
      afterSessionEnd: b.afterSessionEnd === '1',
      reviewSlaDays: /^\d{1,3}$/.test(b.reviewSlaDays ?? '') ? Number(b.reviewSlaDays) : Number.NaN,
    }
    let changed: boolean
    try {
      changed = await changeCompletionRules({ db: deps.database.db, clock: deps.clock }, { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }, next, b.reason ?? '')
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return page(req, reply, { fields: [...err.fields], message: errorMessage('VALIDATION_FAILED', req.locale), typed: b, notice: null })
    }
    return reply.redirect(`${PATH}?disimpan=${changed ? '1' : '0'}`, 303)
  })
}
