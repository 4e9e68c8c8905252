/**
 * "LP Tani Maju", the demo training provider (issue #6): takes vouchers and the session
 * redeem codes participants read out, through the partner API only.
 */
import crypto from 'node:crypto'
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { sendPage } from '../../web/page-context.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { ApiMessage, SandboxLayout } from './layout.tsx'
import { DEMO_PROVIDER, demoPartnerSecret, injectClient, isApiError, type ApiError } from './client.ts'

const BASE = '/sandbox/lp'

interface Result {
  readonly kind: 'voucher' | 'redeem' | 'completion'
  readonly error: ApiError['error'] | null
  readonly text: string | null
}

export function registerDemoProvider(app: FastifyInstance, deps: AppDeps): void {
  const client = () => injectClient(app, { clientCode: DEMO_PROVIDER.clientCode, secret: demoPartnerSecret(deps.config.secret, DEMO_PROVIDER.code) }, deps.clock)
  const pub = { access: 'public' as const }
  const site = `${DEMO_PROVIDER.name} (lembaga pelatihan demo)`

  async function page(reply: FastifyReply, result: Result | null) {
    const csrf = reply.generateCsrf()
    const mine = await client().call<{ courses: Array<{ ref: string; title: string; status: string }> }>('GET', '/api/v1/partner/courses')
    return sendPage(
      reply,
      <SandboxLayout title="Meja pendaftaran" site={site}>
        <h1>Meja pendaftaran peserta</h1>
        {result?.error ? <ApiMessage error={result.error} /> : ''}
        {result?.text ? (
          <p class="notice" role="status" safe>
            {result.text}
          </p>
        ) : (
          ''
        )}
        <h2>Tukar voucher</h2>
        <form method="post" action={`${BASE}/voucher`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="voucher">Kode voucher dari peserta</label>
          <input id="voucher" name="voucher" autocomplete="off" required />
          <p>
            <button type="submit">Tukar</button>
          </p>
        </form>
        <h2>Presensi sesi</h2>
        <form method="post" action={`${BASE}/presensi`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="code">Kode redeem sesi</label>
          <input id="code" name="code" autocomplete="off" required />
          <p>
            <button type="submit">Catat kehadiran</button>
          </p>
        </form>
        <h2>Laporkan kelulusan</h2>
        <form method="post" action={`${BASE}/kelulusan`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="reportId" value={`lp-demo-${crypto.randomUUID()}`} />
          <label for="lulus-voucher">Kode voucher peserta</label>
          <input id="lulus-voucher" name="voucher" autocomplete="off" required />
          <label for="grade">Nilai (0–100)</label>
          <input id="grade" name="grade" type="number" min="0" max="100" inputmode="numeric" required />
          <label for="completedAt">Tanggal dan jam selesai (WIB)</label>
          <input id="completedAt" name="completedAt" type="datetime-local" required value={wib(deps.clock.now())} />
          <label for="certNumber">Nomor sertifikat LP (boleh kosong)</label>
          <input id="certNumber" name="certNumber" autocomplete="off" />
          <label for="certUrl">Alamat sertifikat https:// (boleh kosong)</label>
          <input id="certUrl" name="certUrl" type="url" autocomplete="off" />
          <p>
            <button type="submit">Laporkan</button>
          </p>
        </form>
        <h2>Pelatihan kami di Karya</h2>
        {isApiError(mine.body) ? (
          <ApiMessage error={mine.body.error} />
        ) : (
          <ul>
            {mine.body.courses.map((c) => (
              <li safe>{`${c.title} (${c.ref}) — ${c.status}`}</li>
            ))}
          </ul>
        )}
      </SandboxLayout>,
    )
  }

  app.get(BASE, { config: pub, schema: { hide: true } }, async (_req, reply) => page(reply, null))

  const Form = Type.Record(Type.String(), Type.String({ maxLength: 100 }))
  app.post(`${BASE}/voucher`, { config: pub, schema: { hide: true, body: Form } }, async (req, reply) => {
    const res = await client().call<{ participantName: string; redeemCodes: Array<{ code: string; validFrom: string; validUntil: string }> }>('POST', '/api/v1/partner/vouchers/redeem', { voucherCode: (req.body as Record<string, string>).voucher ?? '' })
    if (isApiError(res.body)) {
      reply.code(res.status)
      return page(reply, { kind: 'voucher', error: res.body.error, text: null })
    }
    const codes = res.body.redeemCodes.map((c) => `${c.code} (${formatDateTime('id', new Date(c.validFrom))} – ${formatDateTime('id', new Date(c.validUntil))})`).join(', ')
    return page(reply, { kind: 'voucher', error: null, text: `Voucher diterima: ${res.body.participantName} terdaftar.${codes ? ` Kode redeem sesi: ${codes}.` : ''}` })
  })

  app.post(`${BASE}/presensi`, { config: pub, schema: { hide: true, body: Form } }, async (req, reply) => {
    const res = await client().call<{ participantName: string }>('POST', '/api/v1/partner/redeem-codes/commit', { redeemCode: (req.body as Record<string, string>).code ?? '' })
    if (isApiError(res.body)) {
      reply.code(res.status)
      return page(reply, { kind: 'redeem', error: res.body.error, text: null })
    }
    return page(reply, { kind: 'redeem', error: null, text: `Kehadiran dicatat: ${res.body.participantName}.` })
  })

  app.post(`${BASE}/kelulusan`, { config: pub, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(b.completedAt ?? '') ? `${b.completedAt}:00+07:00` : (b.completedAt ?? '')
    const row = { reportId: b.reportId ?? '', type: 'completion', voucherCode: b.voucher ?? '', grade: Number(b.grade), completedAt: at, certificateNumber: b.certNumber || null, certificateUrl: b.certUrl || null }
    const res = await client().call<{ result: string; outcome?: string; certificateNumber?: string; reviewDueAt?: string; reason?: { id: string } }>('POST', '/api/v1/partner/learning/report', row)
    if (isApiError(res.body)) {
      reply.code(res.status)
      return page(reply, { kind: 'completion', error: res.body.error, text: null })
    }
    const r = res.body
    if (r.result === 'rejected') reply.code(422)
    const text =
      r.result === 'rejected'
        ? `Laporan ditolak: ${r.reason?.id ?? ''}`
        : r.result === 'duplicate'
          ? 'Laporan ini sudah pernah dikirim; tidak diterapkan lagi.'
          : r.outcome === 'completed'
            ? `Kelulusan terverifikasi otomatis. Sertifikat Karya: ${r.certificateNumber ?? ''}.`
            : `Laporan diterima dan sedang ditinjau PMO, perkiraan selesai ${r.reviewDueAt ? formatDateTime('id', new Date(r.reviewDueAt)) : ''}.`
    return page(reply, { kind: 'completion', error: null, text })
  })
}

/** A datetime-local value in Western Indonesia Time. */
function wib(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16)
}
