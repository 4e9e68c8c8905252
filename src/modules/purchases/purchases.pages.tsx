/** "Pelatihan saya": every course the participant bought, its voucher, redeem codes and timeline. */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { formatRupiah } from '../ledger/index.ts'
import { formatVoucher } from './codes.ts'
import { cancelSession } from './redemption.service.ts'
import { myPurchases, PURCHASE_STATUS_TEXT } from './timeline.ts'
import { purchasesDeps } from './purchases.api.ts'
import { AppError } from '../../platform/errors.ts'
import { LearningPanel, myLearning } from '../learning/index.ts'
import type { PurchaseStatus } from './purchases.tables.ts'

const T = {
  title: { id: 'Pelatihan saya', en: 'My courses' },
  none: { id: 'Anda belum membeli pelatihan. Cari di katalog, lalu beli di platform mitra dengan nomor kartu Anda.', en: 'You have not bought a course yet. Find one in the catalogue, then buy it on a partner platform with your card number.' },
  catalogue: { id: 'Buka katalog pelatihan', en: 'Open the course catalogue' },
  voucher: { id: 'Kode voucher', en: 'Voucher code' },
  voucherHint: { id: 'Tukarkan di {provider} untuk mulai belajar.', en: 'Redeem it at {provider} to start learning.' },
  waits: { id: 'Dimulai setelah pelatihan Anda sebelumnya selesai.', en: 'Starts after your previous course is completed.' },
  session: { id: 'Sesi: {when}', en: 'Session: {when}' },
  codes: { id: 'Kode redeem sesi', en: 'Session redeem codes' },
  codeWindow: { id: '{code} — berlaku {from} s.d. {until}', en: '{code} — valid {from} to {until}' },
  used: { id: 'sudah dipakai', en: 'used' },
  cancelled: { id: 'dibatalkan', en: 'cancelled' },
  timeline: { id: 'Riwayat', en: 'Timeline' },
  bought: { id: 'dibeli di {platform}', en: 'bought on {platform}' },
}


const EVENTS: Record<string, Text> = {
  started: { id: 'Pembelian dimulai, kode OTP dikirim', en: 'Purchase started, one-time code sent' },
  held: { id: 'Kode OTP benar: saldo ditahan dan kursi dipesan', en: 'Code accepted: balance held and seat reserved' },
  paid: { id: 'Pembayaran dikonfirmasi, voucher terbit', en: 'Payment confirmed, voucher issued' },
  voucher_resent: { id: 'Voucher yang sama dikirim ulang oleh petugas bantuan', en: 'The same voucher was sent again by the helpdesk' },
  redeemed: { id: 'Voucher ditukar di lembaga pelatihan', en: 'Voucher redeemed at the provider' },
  attended: { id: 'Hadir di sesi (kode redeem dipakai)', en: 'Attended a session (redeem code used)' },
  expired: { id: 'Waktu konfirmasi habis: saldo dan kursi dikembalikan', en: 'Confirmation time ran out: balance and seat released' },
  refunded: { id: 'Sesi dibatalkan: saldo dikembalikan', en: 'Session cancelled: balance refunded' },
  cancelled: { id: 'Pembelian dibatalkan', en: 'Purchase cancelled' },
  completed: { id: 'Pelatihan selesai, sertifikat terbit', en: 'Course completed, certificate issued' },
  assignment: { id: 'Status tugas dilaporkan lembaga', en: 'Assignment status reported by the provider' },
  reported: { id: 'Kelulusan dilaporkan lembaga pelatihan', en: 'Completion reported by the provider' },
  under_review: { id: 'Sedang ditinjau manajemen pelaksana', en: 'Being reviewed by the programme office' },
  completion_rejected: { id: 'Laporan kelulusan ditolak peninjau', en: 'Completion report rejected by the reviewer' },
  rated: { id: 'Anda memberi ulasan', en: 'You reviewed the course' },
  consent_changed: { id: 'Anda mengubah yang ditampilkan di halaman verifikasi sertifikat', en: 'You changed what the certificate verification page shows' },
  survey_answered: { id: 'Anda mengisi survei evaluasi', en: 'You answered an evaluation survey' },
}

export function registerPurchasePages(app: FastifyInstance, deps: AppDeps): void {
  app.get('/pelatihan-saya', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox: deps.config.mail.devMailbox })
    const l = ctx.locale
    const list = await myPurchases(deps.database.db, req.account!.id)
    const learning = await myLearning(deps.database.db, req.account!.id)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        {list.length === 0 ? (
          <>
            <p safe>{tr(l, T.none)}</p>
            <p>
              <a href="/katalog" safe>{tr(l, T.catalogue)}</a>
            </p>
          </>
        ) : (
          ''
        )}
        {list.map((p) => (
          <section class="panel" aria-labelledby={`p-${p.id}`}>
            <h2 id={`p-${p.id}`} safe>{p.title}</h2>
            <p>
              <span class={['paid', 'redeemed', 'completed'].includes(p.status) ? 'status ok' : ['expired', 'refunded', 'cancelled'].includes(p.status) ? 'status bad' : 'status'} safe>
                {tr(l, PURCHASE_STATUS_TEXT[p.status])}
              </span>{' '}
              <span safe>{`${formatRupiah(l, p.price)} · ${tr(l, T.bought, { platform: p.platformName })}`}</span>
            </p>
            {p.sessionStartsAt ? <p safe>{tr(l, T.session, { when: formatDateTime(l, p.sessionStartsAt) })}</p> : ''}
            {p.voucherCode && p.status === 'paid' ? (
              <p>
                <span safe>{tr(l, T.voucher)}</span>: <strong class="code" safe>{formatVoucher(p.voucherCode)}</strong> <span safe>{tr(l, T.voucherHint, { provider: p.providerName })}</span>
              </p>
            ) : (
              ''
            )}
            {p.waitsFor && p.status === 'paid' ? <p class="notice" safe>{tr(l, T.waits)}</p> : ''}
            {p.redeemCodes.length > 0 ? (
              <>
                <h3 safe>{tr(l, T.codes)}</h3>
                <ul>
                  {p.redeemCodes.map((c) => (
                    <li safe>
                      {tr(l, T.codeWindow, { code: c.code, from: formatDateTime(l, c.validFrom), until: formatDateTime(l, c.validUntil) }) +
                        (c.usedAt ? ` · ${tr(l, T.used)}` : c.cancelledAt ? ` · ${tr(l, T.cancelled)}` : '')}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              ''
            )}
            <LearningPanel locale={l} purchaseId={p.id} status={p.status} info={learning.get(p.id)} csrf={ctx.csrfToken} events={p.events} />
            <details>
              <summary safe>{tr(l, T.timeline)}</summary>
              <ol>
                {p.events.map((e) => (
                  <li safe>{`${formatDateTime(l, e.at)} — ${tr(l, EVENTS[e.kind] ?? { id: e.kind, en: e.kind })}`}</li>
                ))}
              </ol>
            </details>
          </section>
        ))}
      </Layout>,
    )
  })

  // The programme cancels a session (a provider that vanished, a venue closed): everyone who
  // paid is refunded to their balance. Audited with the reason.
  app.post(
    '/pmo/kursus/:id/sesi/:sessionId/batal',
    {
      config: { access: ['pmo_admin'] },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), sessionId: Type.String({ format: 'uuid' }) }),
        body: Type.Record(Type.String(), Type.String({ maxLength: 500 })),
      },
    },
    async (req, reply) => {
      const { id, sessionId } = req.params as { id: string; sessionId: string }
      const reason = ((req.body as Record<string, string>).reason ?? '').trim()
      if (reason.length < 5) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reason', id: 'Tulis alasan pembatalan (minimal 5 karakter): peserta membacanya.', en: 'Give the reason for cancelling (at least 5 characters): participants read it.' }] })
      const session = await deps.database.db.selectFrom('course_sessions').select('course_id').where('id', '=', sessionId).executeTakeFirst()
      if (!session || session.course_id !== id) throw new AppError('NOT_FOUND')
      const a = req.account!
      await cancelSession(purchasesDeps(deps), { programme: true, actor: { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip } }, sessionId, reason)
      return reply.redirect(`/pmo/kursus/${id}`, 303)
    },
  )
}
