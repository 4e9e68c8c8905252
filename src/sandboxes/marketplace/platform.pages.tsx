/**
 * "Belajar Nusantara", the demo platform (issue #6): a small shop that knows Karya only
 * through the partner API. It lists the courses it may sell, takes a card number, asks
 * for the code Karya sends the participant, and confirms — retrying the confirmation
 * once as a real platform on a flaky link would, which Karya must absorb.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { sendPage } from '../../web/page-context.ts'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { formatRupiah } from '../../modules/ledger/index.ts'
import { ApiMessage, SandboxLayout } from './layout.tsx'
import { DEMO_PLATFORM, demoPartnerSecret, injectClient, isApiError, type ApiError } from './client.ts'

interface CatalogueCourse {
  id: string
  title: string
  description: string
  category: string
  mode: string
  hours: number
  price: number
  regencyCode: string | null
  address: string | null
  provider: { code: string; name: string }
  sessions: Array<{ id: string; startsAt: string; endsAt: string; seatsLeft: number }>
}

interface Purchase {
  id: string
  status: string
  price: number
  voucherCode: string | null
  sentTo?: string
}

const USER_COOKIE = 'demo_platform_user'
const BASE = '/sandbox/platform'

export function registerDemoPlatform(app: FastifyInstance, deps: AppDeps): void {
  const client = () => injectClient(app, { clientCode: DEMO_PLATFORM.clientCode, secret: demoPartnerSecret(deps.config.secret, DEMO_PLATFORM.code) }, deps.clock)
  const pub = { access: 'public' as const }
  const site = `${DEMO_PLATFORM.name} (platform demo)`

  async function catalogue(q = ''): Promise<CatalogueCourse[] | ApiError> {
    const res = await client().call<{ courses: CatalogueCourse[] }>('GET', `/api/v1/partner/catalogue${q ? `?q=${encodeURIComponent(q)}` : ''}`)
    return isApiError(res.body) ? res.body : res.body.courses
  }

  app.get(BASE, { config: pub, schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }) } }, async (req, reply) => {
    const q = (req.query as { q?: string }).q ?? ''
    const list = await catalogue(q)
    return sendPage(
      reply,
      <SandboxLayout title="Katalog" site={site}>
        <h1>Pelatihan di Belajar Nusantara</h1>
        <p>Bayar dengan nomor Kartu Prakerja. Kode OTP dikirim Karya ke HP Anda.</p>
        <form method="get" action={BASE} role="search">
          <label for="q">Cari pelatihan</label>
          <input id="q" name="q" type="search" value={q} />
          <button type="submit">Cari</button>
        </form>
        {isApiError(list) ? (
          <ApiMessage error={list.error} />
        ) : (
          <ul class="course-list">
            {list.map((c) => (
              <li>
                <h2>
                  <a href={`${BASE}/kursus/${c.id}`} safe>{c.title}</a>
                </h2>
                <p safe>{`${formatRupiah('id', c.price)} · ${c.hours} jam · ${c.provider.name}`}</p>
              </li>
            ))}
          </ul>
        )}
      </SandboxLayout>,
    )
  })

  async function coursePage(req: FastifyRequest, reply: FastifyReply, id: string, error: ApiError['error'] | null, typed: { user?: string; card?: string }) {
    const list = await catalogue()
    const c = isApiError(list) ? undefined : list.find((x) => x.id === id)
    if (!c) {
      reply.code(404)
      return sendPage(reply, <SandboxLayout title="Tidak ditemukan" site={site}><h1>Paket pelatihan tidak ditemukan</h1><p><a href={BASE}>Kembali ke katalog</a></p></SandboxLayout>)
    }
    const user = typed.user ?? req.cookies[USER_COOKIE] ?? ''
    return sendPage(
      reply,
      <SandboxLayout title={c.title} site={site}>
        <p>
          <a href={BASE}>Kembali ke katalog</a>
        </p>
        <h1 safe>{c.title}</h1>
        <ApiMessage error={error} />
        <p safe>{`${formatRupiah('id', c.price)} · ${c.hours} jam · ${c.provider.name}`}</p>
        <p safe>{c.description}</p>
        {c.address ? <p safe>{`Tempat: ${c.address}`}</p> : ''}
        <form method="post" action={`${BASE}/kursus/${c.id}/beli`}>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          {c.sessions.length > 0 ? (
            <fieldset id="sessionId">
              <legend>Pilih jadwal</legend>
              {c.sessions.map((s, i) => (
                <label class="radio">
                  <input type="radio" name="sessionId" value={s.id} checked={i === 0} /> <span safe>{`${formatDateTime('id', new Date(s.startsAt))} · sisa ${s.seatsLeft} kursi`}</span>
                </label>
              ))}
            </fieldset>
          ) : (
            ''
          )}
          <label for="user">Nama akun Anda di Belajar Nusantara</label>
          <input id="user" name="user" value={user} autocomplete="username" required />
          <label for="card">Nomor Kartu Prakerja (16 angka)</label>
          <input id="card" name="card" inputmode="numeric" autocomplete="off" value={typed.card ?? ''} required />
          <p>
            <button type="submit">Bayar dengan Kartu Prakerja</button>
          </p>
        </form>
      </SandboxLayout>,
    )
  }

  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
  app.get(`${BASE}/kursus/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req, reply) => coursePage(req, reply, (req.params as { id: string }).id, null, {}))

  app.post(
    `${BASE}/kursus/:id/beli`,
    { config: pub, schema: { hide: true, params: IdParams, body: Type.Record(Type.String(), Type.String({ maxLength: 200 })) } },
    async (req, reply) => {
      const id = (req.params as { id: string }).id
      const b = req.body as Record<string, string>
      const user = (b.user ?? '').trim()
      reply.setCookie(USER_COOKIE, user, { path: BASE, httpOnly: true, sameSite: 'lax' })
      const res = await client().call<Purchase>('POST', '/api/v1/partner/purchases', {
        orderRef: `BN-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        cardNumber: (b.card ?? '').replace(/\D/g, '').slice(0, 19) || '0000000000000000',
        courseId: id,
        sessionId: b.sessionId || null,
        platformUserRef: user || 'tamu',
      })
      if (isApiError(res.body)) {
        reply.code(res.status)
        return coursePage(req, reply, id, res.body.error, { user, card: b.card ?? '' })
      }
      return reply.redirect(`${BASE}/bayar/${res.body.id}?ke=${encodeURIComponent(res.body.sentTo ?? '')}`, 303)
    },
  )

  function otpPage(reply: FastifyReply, purchaseId: string, sentTo: string, error: ApiError['error'] | null) {
    return sendPage(
      reply,
      <SandboxLayout title="Kode OTP" site={site}>
        <h1>Masukkan kode OTP</h1>
        <ApiMessage error={error} />
        <p safe>{`Karya mengirim 6 angka ke ${sentTo || 'HP Anda'}. Kode juga ada di kotak masuk akun Karya Anda.`}</p>
        <form method="post" action={`${BASE}/bayar/${purchaseId}`}>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <input type="hidden" name="ke" value={sentTo} />
          <label for="otp">Kode OTP</label>
          <input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required />
          <p>
            <button type="submit">Bayar</button>
          </p>
        </form>
      </SandboxLayout>,
    )
  }

  app.get(
    `${BASE}/bayar/:id`,
    { config: pub, schema: { hide: true, params: IdParams, querystring: Type.Object({ ke: Type.Optional(Type.String({ maxLength: 100 })) }) } },
    async (req, reply) => otpPage(reply, (req.params as { id: string }).id, (req.query as { ke?: string }).ke ?? '', null),
  )

  app.post(
    `${BASE}/bayar/:id`,
    { config: pub, schema: { hide: true, params: IdParams, body: Type.Record(Type.String(), Type.String({ maxLength: 200 })) } },
    async (req, reply) => {
      const id = (req.params as { id: string }).id
      const b = req.body as Record<string, string>
      const api = client()
      const auth = await api.call<Purchase>('POST', `/api/v1/partner/purchases/${id}/authorise`, { otp: (b.otp ?? '').replace(/\D/g, '').padStart(6, '0').slice(0, 6) })
      if (isApiError(auth.body)) {
        reply.code(auth.status)
        return otpPage(reply, id, b.ke ?? '', auth.body.error)
      }
      // The confirmation is sent twice, as a platform retrying after a lost answer would;
      // the second is refused as a duplicate and charges nothing.
      const first = await api.call<Purchase>('POST', `/api/v1/partner/purchases/${id}/confirm`)
      const again = await api.call<Purchase>('POST', `/api/v1/partner/purchases/${id}/confirm`)
      if (isApiError(first.body) && !(isApiError(again.body) && again.body.error.code === 'PURCHASE_ALREADY_CONFIRMED')) {
        reply.code(first.status)
        return otpPage(reply, id, b.ke ?? '', first.body.error)
      }
      return reply.redirect(`${BASE}/selesai/${id}`, 303)
    },
  )

  app.get(`${BASE}/selesai/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const res = await client().call<Purchase>('GET', `/api/v1/partner/purchases/${(req.params as { id: string }).id}`)
    if (isApiError(res.body)) {
      reply.code(res.status)
      return sendPage(reply, <SandboxLayout title="Pembelian" site={site}><ApiMessage error={res.body.error} /></SandboxLayout>)
    }
    const p = res.body
    return sendPage(
      reply,
      <SandboxLayout title="Pembelian berhasil" site={site}>
        <h1>Pembelian berhasil</h1>
        <p safe>{`Dibayar ${formatRupiah('id', p.price)} dari saldo Kartu Prakerja.`}</p>
        <p>
          Kode voucher: <strong class="code" safe>{p.voucherCode ?? '-'}</strong>
        </p>
        <p>Voucher juga tampil di Karya, halaman Pelatihan saya. Tukarkan di lembaga pelatihan untuk mulai belajar.</p>
        <p>
          <a href={BASE}>Kembali ke katalog</a>
        </p>
      </SandboxLayout>,
    )
  })
}
