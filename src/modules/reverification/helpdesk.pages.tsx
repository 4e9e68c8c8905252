/** /bantuan/verifikasi-ulang: the helpdesk queue of account recovery requests (agents and supervisors). */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { maskEmail, maskPhone } from '../accounts/contact.ts'
import type { ReverificationDeps } from './reverification.service.ts'
import { approve, IMAGE_WHICH, queue, reject, requestDetail, requestImage, type ImageWhich, type Staff } from './helpdesk.service.ts'
import { rdepsOf } from './reverification.pages.tsx'

const ACCESS = { access: ['agent', 'supervisor'] as const }
const BASE = '/bantuan/verifikasi-ulang'

const T = {
  title: { id: 'Verifikasi ulang akun', en: 'Account re-verification' },
  intro: {
    id: 'Permintaan pemulihan dari orang yang kehilangan e-mail dan HP, terlama di atas. Bandingkan swafoto baru dengan foto KTP dan swafoto yang tersimpan sebelum memutuskan.',
    en: 'Recovery requests from people who lost both e-mail and phone, oldest first. Compare the new selfie with the KTP photo and the selfie on file before deciding.',
  },
  none: { id: 'Tidak ada permintaan yang menunggu.', en: 'No requests waiting.' },
  waiting: { id: 'Menunggu', en: 'Waiting' },
  name: { id: 'Nama di akun', en: 'Name on the account' },
  matched: { id: 'Cocok', en: 'Matched' },
  newContact: { id: 'Kontak baru', en: 'New contact' },
  open: { id: 'Buka', en: 'Open' },
  detailTitle: { id: 'Permintaan verifikasi ulang', en: 'Re-verification request' },
  fresh: { id: 'Swafoto baru', en: 'New selfie' },
  ktp: { id: 'Foto KTP tersimpan', en: 'KTP photo on file' },
  selfieOnFile: { id: 'Swafoto tersimpan', en: 'Selfie on file' },
  noImage: { id: 'Tidak ada di berkas.', en: 'Not on file.' },
  identity: { id: 'Data identitas', en: 'Identity details' },
  yes: { id: 'cocok', en: 'matches' },
  no: { id: 'TIDAK cocok', en: 'does NOT match' },
  dob: { id: 'Tanggal lahir', en: 'Date of birth' },
  oldContacts: { id: 'Kontak lama', en: 'Old contacts' },
  received: { id: 'Diterima', en: 'Received' },
  score: { id: 'Skor perbandingan wajah otomatis (hanya petunjuk)', en: 'Automatic face comparison score (a hint only)' },
  reason: { id: 'Alasan keputusan', en: 'Reason for the decision' },
  reasonHint: { id: 'Dikirim ke pemohon bila ditolak, dan dicatat di log audit.', en: 'Sent to the person if rejected, and recorded in the audit log.' },
  approve: { id: 'Setujui', en: 'Approve' },
  reject: { id: 'Tolak', en: 'Reject' },
  decided: { id: 'Sudah diputuskan: {status} pada {at}. Alasan: {reason}', en: 'Already decided: {status} on {at}. Reason: {reason}' },
  approved: { id: 'Disetujui. Kontak baru berlaku pada {at}; semua sesi akun sudah diakhiri.', en: 'Approved. The new contact takes effect on {at}; every session of the account was ended.' },
  rejected: { id: 'Ditolak. Pemohon sudah diberi tahu alasannya.', en: 'Rejected. The person was told the reason.' },
  status: { approved: { id: 'disetujui', en: 'approved' }, rejected: { id: 'ditolak', en: 'rejected' }, queued: { id: 'menunggu', en: 'waiting' } },
}

function age(locale: Locale, from: Date, now: Date): string {
  const hours = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 3_600_000))
  if (hours < 24) return locale === 'id' ? `${hours} jam` : `${hours} h`
  const days = Math.floor(hours / 24)
  return locale === 'id' ? `${days} hari ${hours % 24} jam` : `${days} d ${hours % 24} h`
}

function staffOf(req: FastifyRequest): Staff {
  return { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) })
const ImageParams = Type.Object({ id: Type.String({ format: 'uuid' }), which: Type.String({ maxLength: 20 }) })
const Decision = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })), decision: Type.Optional(Type.String({ maxLength: 20 })) })

export function registerHelpdeskRoutes(app: FastifyInstance, deps: AppDeps, rdeps: ReverificationDeps = rdepsOf(deps)): void {
  const devMailbox = deps.config.mail.devMailbox

  app.get(BASE, { config: ACCESS, schema: { hide: true } }, async (req, reply) => {
    const rows = await queue(rdeps, staffOf(req))
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const now = deps.clock.now()
    const tick = (m: boolean, label: string) => `${label} ${m ? '✓' : '✗'}`
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {rows.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.waiting)}</th>
                <th scope="col" safe>{tr(l, T.name)}</th>
                <th scope="col" safe>{tr(l, T.matched)}</th>
                <th scope="col" safe>{tr(l, T.newContact)}</th>
                <th scope="col" safe>{tr(l, T.open)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td safe>{age(l, r.proven_at ?? r.created_at, now)}</td>
                  <td safe>{r.display_name}</td>
                  <td safe>{[tick(r.nik_matched, 'NIK'), tick(r.kk_matched, 'KK'), tick(r.dob_matched, tr(l, T.dob))].join(' · ')}</td>
                  <td safe>{[r.new_email, r.new_phone].filter(Boolean).join(', ')}</td>
                  <td>
                    <a href={`${BASE}/${r.id}`} safe>
                      {tr(l, T.open)}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    )
  })

  async function detailPage(req: FastifyRequest, reply: FastifyReply, id: string, state: { fields?: readonly FieldError[]; message?: string | null; notice?: string | null }) {
    const d = await requestDetail(rdeps, staffOf(req), id)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const r = d.request
    const match = (m: boolean) => tr(l, m ? T.yes : T.no)
    const picture = (which: ImageWhich, label: string, present: boolean) => (
      <figure style="margin:0;flex:1 1 14rem;max-width:22rem">
        {present ? <img src={`${BASE}/${r.id}/gambar/${which}`} alt={label} style="max-width:100%;height:auto;border:1px solid #b1b4b6" /> : <p class="muted" safe>{tr(l, T.noImage)}</p>}
        <figcaption safe>{label}</figcaption>
      </figure>
    )
    const fields = state.fields ?? []
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.detailTitle)}>
        <ErrorSummary locale={l} message={state.message ?? null} fields={fields} />
        {state.notice ? (
          <p class="notice" role="status" safe>
            {state.notice}
          </p>
        ) : (
          ''
        )}
        <h1 safe>{tr(l, T.detailTitle)}</h1>
        <div style="display:flex;flex-wrap:wrap;gap:1rem">
          {picture('baru', tr(l, T.fresh), true)}
          {picture('ktp', tr(l, T.ktp), d.onFile.ktp)}
          {picture('swafoto', tr(l, T.selfieOnFile), d.onFile.selfie)}
        </div>
        <h2 safe>{tr(l, T.identity)}</h2>
        <dl>
          <dt safe>{tr(l, T.name)}</dt>
          <dd safe>{d.account?.display_name ?? '-'}</dd>
          <dt>NIK</dt>
          <dd safe>{match(r.nik_matched)}</dd>
          <dt>KK</dt>
          <dd safe>{match(r.kk_matched)}</dd>
          <dt safe>{tr(l, T.dob)}</dt>
          <dd safe>{match(r.dob_matched)}</dd>
          <dt safe>{tr(l, T.newContact)}</dt>
          <dd safe>{[r.new_email, r.new_phone].filter(Boolean).join(', ')}</dd>
          <dt safe>{tr(l, T.oldContacts)}</dt>
          <dd safe>{[d.account?.email ? maskEmail(d.account.email) : null, d.account?.phone ? maskPhone(d.account.phone) : null].filter(Boolean).join(', ') || '-'}</dd>
          <dt safe>{tr(l, T.received)}</dt>
          <dd safe>{`${formatDateTime(l, r.proven_at ?? r.created_at)} (${age(l, r.proven_at ?? r.created_at, deps.clock.now())})`}</dd>
          {r.face_score !== null ? (
            <>
              <dt safe>{tr(l, T.score)}</dt>
              <dd safe>{r.face_score.toFixed(2)}</dd>
            </>
          ) : (
            ''
          )}
        </dl>
        {r.status === 'queued' ? (
          <form method="post" action={`${BASE}/${r.id}/keputusan`} novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <div class={fields.some((f) => f.field === 'reason') ? 'has-error' : ''}>
              <label for="reason" safe>
                {tr(l, T.reason)}
              </label>
              <span class="hint" id="reason-hint" safe>
                {tr(l, T.reasonHint)}
              </span>
              {fields
                .filter((f) => f.field === 'reason')
                .map((f) => (
                  <span class="field-error" id="reason-error" safe>
                    {f[l]}
                  </span>
                ))}
              <textarea id="reason" name="reason" rows="3" aria-describedby="reason-hint"></textarea>
            </div>
            <p class="actions">
              <button type="submit" name="decision" value="approve" safe>
                {tr(l, T.approve)}
              </button>{' '}
              <button type="submit" name="decision" value="reject" safe>
                {tr(l, T.reject)}
              </button>
            </p>
          </form>
        ) : (
          <p class="notice" safe>
            {tr(l, T.decided, { status: tr(l, T.status[r.status === 'approved' ? 'approved' : 'rejected']), at: r.decided_at ? formatDateTime(l, r.decided_at) : '-', reason: r.decision_reason ?? '' })}
          </p>
        )}
      </Layout>,
    )
  }

  app.get(`${BASE}/:id`, { config: ACCESS, schema: { hide: true, params: Id } }, async (req, reply) => detailPage(req, reply, (req.params as { id: string }).id, {}))

  app.get(`${BASE}/:id/gambar/:which`, { config: ACCESS, schema: { hide: true, params: ImageParams } }, async (req, reply) => {
    const { id, which } = req.params as { id: string; which: string }
    if (!(IMAGE_WHICH as readonly string[]).includes(which)) throw new AppError('NOT_FOUND')
    const image = await requestImage(rdeps, staffOf(req), id, which as ImageWhich)
    return reply
      .type(image.contentType)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .send(image.bytes)
  })

  app.post(`${BASE}/:id/keputusan`, { config: ACCESS, schema: { hide: true, params: Id, body: Decision } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const b = (req.body ?? {}) as { reason?: string; decision?: string }
    try {
      if (b.decision === 'approve') {
        const { effectiveAt } = await approve(rdeps, staffOf(req), id, b.reason ?? '')
        return detailPage(req, reply, id, { notice: tr(req.locale, T.approved, { at: formatDateTime(req.locale, effectiveAt) }) })
      }
      if (b.decision === 'reject') {
        await reject(rdeps, staffOf(req), id, b.reason ?? '')
        return detailPage(req, reply, id, { notice: tr(req.locale, T.rejected) })
      }
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reason', id: 'Pilih Setujui atau Tolak.', en: 'Choose Approve or Reject.' }] })
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'REVERIFICATION_DECIDED'].includes(err.code)) throw err
      reply.code(err.status)
      return detailPage(req, reply, id, { fields: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })
}
