/**
 * The catalogue as people see it: search and filters for participants (public: anyone may
 * look before registering), "I want a course on …" where nothing fits, and PMO's curation
 * queue and demand-by-region report.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Select } from '../../web/choices.tsx'
import { formatDateTime, tr, type Locale } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { findAccount, getBalance, formatRupiah } from '../ledger/index.ts'
import { getProvince, getRegency, listProvinces } from '../regions/index.ts'
import { CATEGORIES, MODES } from './catalogue.rules.ts'
import { demandByRegion, getCourse, listForReview, recordDemand, reviewCourse, searchCatalogue, type SearchFilters } from './catalogue.service.ts'
import type { CourseMode, ReviewDecision } from './catalogue.tables.ts'

const T = {
  title: { id: 'Katalog pelatihan', en: 'Course catalogue' },
  intro: {
    id: 'Cari pelatihan daring atau tatap muka di dekat Anda. Harga dibayar dari saldo pelatihan kartu Prakerja.',
    en: 'Find online courses or face-to-face ones near you. The price is paid from your card’s training balance.',
  },
  q: { id: 'Cari (mis. "ternak ayam", "menjahit")', en: 'Search (e.g. "poultry", "sewing")' },
  category: { id: 'Kategori', en: 'Category' },
  mode: { id: 'Cara belajar', en: 'How it is taught' },
  province: { id: 'Provinsi (untuk pelatihan luring)', en: 'Province (for offline courses)' },
  any: { id: '— semua —', en: '— all —' },
  maxPrice: { id: 'Harga paling tinggi (Rp)', en: 'Highest price (Rp)' },
  withinBalance: { id: 'Hanya yang terjangkau saldo saya ({amount})', en: 'Only what my balance covers ({amount})' },
  startsFrom: { id: 'Mulai paling cepat (tanggal)', en: 'Starting on or after (date)' },
  search: { id: 'Cari', en: 'Search' },
  results: { id: '{n} pelatihan ditemukan', en: '{n} courses found' },
  none: { id: 'Tidak ada pelatihan yang cocok.', en: 'No course matches.' },
  next: { id: 'Sesi berikutnya: {when} · sisa {seats} kursi', en: 'Next session: {when} · {seats} seats left' },
  anytime: { id: 'Bisa dimulai kapan saja', en: 'Start any time' },
  hours: { id: '{n} jam', en: '{n} hours' },
  by: { id: 'oleh {provider}, dijual di {platform}', en: 'by {provider}, sold on {platform}' },
  marketPrice: { id: 'harga umum {amount}', en: 'regular price {amount}' },
  wantTitle: { id: 'Tidak menemukan yang Anda cari?', en: 'Not finding what you need?' },
  wantIntro: {
    id: 'Beri tahu kami pelatihan apa yang Anda butuhkan. PMO melihat permintaan per daerah dan mengajak lembaga pelatihan mengisinya.',
    en: 'Tell us what course you need. The PMO sees requests by region and invites providers to fill them.',
  },
  topic: { id: 'Saya ingin pelatihan tentang …', en: 'I want a course on …' },
  send: { id: 'Kirim permintaan', en: 'Send request' },
  thanks: { id: 'Terima kasih. Permintaan Anda tercatat untuk daerah Anda.', en: 'Thank you. Your request is recorded for your area.' },
  loginToAsk: { id: 'Masuk untuk mengirim permintaan pelatihan.', en: 'Log in to send a course request.' },
  sessions: { id: 'Jadwal sesi', en: 'Sessions' },
  seatsLeft: { id: '{n} kursi tersisa', en: '{n} seats left' },
  full: { id: 'penuh', en: 'full' },
  cancelled: { id: 'dibatalkan', en: 'cancelled' },
  where: { id: 'Tempat', en: 'Where' },
  buyHint: {
    id: 'Untuk membeli, buka pelatihan ini di platform {platform} dan bayar dengan nomor kartu Prakerja Anda. Kode OTP dikirim ke HP Anda.',
    en: 'To buy, open this course on {platform} and pay with your card number. A one-time code is sent to your phone.',
  },
  back: { id: 'Kembali ke katalog', en: 'Back to the catalogue' },
  buyAt: { id: 'Beli di {platform}', en: 'Buy on {platform}' },
  cancelSession: { id: 'Batalkan sesi dan kembalikan saldo peserta', en: 'Cancel the session and refund participants' },
  cancelReason: { id: 'Alasan pembatalan (dibaca peserta)', en: 'Reason (participants read it)' },
  reviewTitle: { id: 'Kurasi pelatihan', en: 'Course curation' },
  reviewIntro: { id: 'Kursus yang diajukan LP, terlama di atas. Setiap keputusan dicatat di log audit bersama alasannya.', en: 'Courses submitted by providers, oldest first. Every decision is audited with its reason.' },
  conflict: { id: 'Konflik kepentingan', en: 'Conflict of interest' },
  conflictNote: { id: 'Platform dan LP ini terafiliasi: {note}. Periksa harga dan mutu dengan cermat.', en: 'This platform and provider are affiliated: {note}. Check price and quality carefully.' },
  submitted: { id: 'Diajukan', en: 'Submitted' },
  empty: { id: 'Tidak ada kursus yang menunggu.', en: 'No courses waiting.' },
  decision: { id: 'Keputusan', en: 'Decision' },
  approve: { id: 'Setujui', en: 'Approve' },
  changes: { id: 'Minta perbaikan', en: 'Ask for changes' },
  reject: { id: 'Tolak', en: 'Reject' },
  reason: { id: 'Alasan (wajib untuk perbaikan atau penolakan)', en: 'Reason (required to ask for changes or reject)' },
  history: { id: 'Riwayat keputusan', en: 'Decision history' },
  demandTitle: { id: 'Permintaan pelatihan per daerah', en: 'Course requests by region' },
  requests: { id: 'Permintaan', en: 'Requests' },
  region: { id: 'Daerah', en: 'Region' },
  topics: { id: 'Topik terbaru', en: 'Latest topics' },
  unknownRegion: { id: '(tidak diketahui)', en: '(unknown)' },
  price: { id: 'Harga', en: 'Price' },
  provider: { id: 'LP', en: 'Provider' },
  platform: { id: 'Platform', en: 'Platform' },
}

const DECISIONS: Record<ReviewDecision, { id: string; en: string }> = { approved: T.approve, changes_requested: T.changes, rejected: T.reject }

function regionName(provinceCode: string | null, regencyCode: string | null, l: Locale): string {
  if (regencyCode) return getRegency(regencyCode)?.name ?? regencyCode
  if (provinceCode) return getProvince(provinceCode)?.name ?? provinceCode
  return tr(l, T.unknownRegion)
}

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  kategori: Type.Optional(Type.String({ maxLength: 40 })),
  mode: Type.Optional(Type.String({ maxLength: 20 })),
  provinsi: Type.Optional(Type.String({ maxLength: 2 })),
  maks: Type.Optional(Type.String({ maxLength: 12 })),
  saldo: Type.Optional(Type.String({ maxLength: 1 })),
  mulai: Type.Optional(Type.String({ maxLength: 10 })),
  halaman: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  terkirim: Type.Optional(Type.String({ maxLength: 1 })),
})
type Query = {
  q?: string
  kategori?: string
  mode?: string
  provinsi?: string
  maks?: string
  saldo?: string
  mulai?: string
  halaman?: number
  terkirim?: string
}

export function registerCataloguePages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  async function trainingBalance(accountId: string): Promise<number | null> {
    const acct = await findAccount(db, 'participant_training', accountId)
    return acct ? (await getBalance(db, acct.id)).available : null
  }

  async function cataloguePage(req: FastifyRequest, reply: FastifyReply, demand: { fields: FieldError[]; topic: string }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const q = req.query as Query
    const balance = ctx.account?.role === 'participant' ? await trainingBalance(ctx.account.id) : null
    const typedMax = q.maks ? Number(q.maks.replace(/\D/g, '')) : NaN
    const maxPrice = q.saldo === '1' && balance !== null ? Math.min(balance, Number.isFinite(typedMax) && typedMax > 0 ? typedMax : Infinity) : Number.isFinite(typedMax) && typedMax > 0 ? typedMax : undefined
    const page = q.halaman ?? 1
    const filters: SearchFilters = {
      ...(q.q ? { q: q.q } : {}),
      ...(q.kategori ? { category: q.kategori } : {}),
      ...(q.mode && q.mode in MODES ? { mode: q.mode as CourseMode } : {}),
      ...(q.provinsi && getProvince(q.provinsi) ? { provinceCode: q.provinsi } : {}),
      ...(maxPrice !== undefined ? { maxPrice } : {}),
      ...(q.mulai ? { startsFrom: q.mulai } : {}),
      limit: 20,
      offset: (page - 1) * 20,
    }
    const hits = await searchCatalogue(db, filters, deps.clock.now())
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} fields={demand.fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <form method="get" action="/katalog" class="filters" role="search">
          <Field locale={l} name="q" type="search" label={tr(l, T.q)} value={q.q ?? ''} errors={[]} />
          <Select locale={l} name="kategori" label={tr(l, T.category)} options={Object.entries(CATEGORIES).map(([k, t]) => ({ value: k, label: tr(l, t) }))} value={q.kategori ?? ''} placeholder={tr(l, T.any)} errors={[]} />
          <Select locale={l} name="mode" label={tr(l, T.mode)} options={Object.entries(MODES).map(([k, t]) => ({ value: k, label: tr(l, t) }))} value={q.mode ?? ''} placeholder={tr(l, T.any)} errors={[]} />
          <Select locale={l} name="provinsi" label={tr(l, T.province)} options={listProvinces().map((p) => ({ value: p.code, label: p.name }))} value={q.provinsi ?? ''} placeholder={tr(l, T.any)} errors={[]} />
          <Field locale={l} name="maks" label={tr(l, T.maxPrice)} inputmode="numeric" value={q.maks ?? ''} errors={[]} />
          {balance !== null ? (
            <p>
              <label>
                <input type="checkbox" name="saldo" value="1" checked={q.saldo === '1'} /> <span safe>{tr(l, T.withinBalance, { amount: formatRupiah(l, balance) })}</span>
              </label>
            </p>
          ) : (
            ''
          )}
          <Field locale={l} name="mulai" type="date" label={tr(l, T.startsFrom)} value={q.mulai ?? ''} errors={[]} />
          <p>
            <button type="submit" safe>{tr(l, T.search)}</button>
          </p>
        </form>
        <h2 safe aria-live="polite">{hits.length === 0 ? tr(l, T.none) : tr(l, T.results, { n: hits.length })}</h2>
        <ul class="course-list">
          {hits.map((h) => (
            <li>
              <h3>
                <a href={`/katalog/${h.id}`} safe>{h.title}</a>
              </h3>
              <p>
                <strong safe>{formatRupiah(l, h.price)}</strong> <span class="muted" safe>{`(${tr(l, T.marketPrice, { amount: formatRupiah(l, h.marketPrice) })})`}</span>
              </p>
              <p safe>{`${tr(l, CATEGORIES[h.category] ?? { id: h.category, en: h.category })} · ${tr(l, MODES[h.mode])} · ${tr(l, T.hours, { n: h.hours })}${h.mode === 'offline' ? ` · ${regionName(h.provinceCode, h.regencyCode, l)}` : ''}`}</p>
              <p safe>{h.nextSessionAt ? tr(l, T.next, { when: formatDateTime(l, h.nextSessionAt), seats: h.seatsLeft ?? 0 }) : tr(l, T.anytime)}</p>
              <p class="muted" safe>{tr(l, T.by, { provider: h.providerName, platform: h.platformName })}</p>
            </li>
          ))}
        </ul>
        {hits.length === 20 ? (
          <p>
            <a href={`/katalog?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'halaman' && k !== 'terkirim' && v !== undefined).map(([k, v]) => [k, String(v)])), halaman: String(page + 1) }).toString()}`}>
              {l === 'id' ? 'Halaman berikutnya' : 'Next page'}
            </a>
          </p>
        ) : (
          ''
        )}
        <section aria-labelledby="want-title">
          <h2 id="want-title" safe>{tr(l, T.wantTitle)}</h2>
          {q.terkirim === '1' ? <p class="notice" role="status" safe>{tr(l, T.thanks)}</p> : ''}
          <p safe>{tr(l, T.wantIntro)}</p>
          {ctx.account?.role === 'participant' ? (
            <form method="post" action="/katalog/minat">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <Field locale={l} name="topic" label={tr(l, T.topic)} value={demand.topic} errors={demand.fields} />
              <input type="hidden" name="category" value={q.kategori ?? ''} />
              <input type="hidden" name="mode" value={q.mode ?? ''} />
              <p>
                <button type="submit" safe>{tr(l, T.send)}</button>
              </p>
            </form>
          ) : (
            <p>
              <a href="/masuk?next=%2Fkatalog" safe>{tr(l, T.loginToAsk)}</a>
            </p>
          )}
        </section>
      </Layout>,
    )
  }

  app.get('/katalog', { config: { access: 'public' }, schema: { hide: true, querystring: Query } }, async (req, reply) => cataloguePage(req, reply, { fields: [], topic: '' }))

  app.post(
    '/katalog/minat',
    { config: { access: ['participant'] }, schema: { hide: true, body: Type.Record(Type.String(), Type.String({ maxLength: 500 })) } },
    async (req, reply) => {
      const b = req.body as Record<string, string>
      const profile = await db.selectFrom('registration_profiles').select(['province_code', 'regency_code']).where('account_id', '=', req.account!.id).executeTakeFirst()
      try {
        await recordDemand({ db, clock: deps.clock }, {
          accountId: req.account!.id,
          topic: b.topic ?? '',
          category: b.category || null,
          mode: b.mode || null,
          provinceCode: profile?.province_code ?? null,
          regencyCode: profile?.regency_code ?? null,
        })
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
        reply.code(400)
        return cataloguePage(req, reply, { fields: [...err.fields], topic: b.topic ?? '' })
      }
      return reply.redirect('/katalog?terkirim=1#want-title', 303)
    },
  )

  app.get(
    '/katalog/:id',
    { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const c = await getCourse(db, (req.params as { id: string }).id)
      const ctx = pageContext(req, reply, { devMailbox })
      const staff = ctx.account && ['pmo_admin', 'auditor'].includes(ctx.account.role)
      if (!c || (c.status !== 'approved' && !staff)) throw new AppError('NOT_FOUND')
      const l = ctx.locale
      const now = deps.clock.now()
      return sendPage(
        reply,
        <Layout ctx={ctx} title={c.title}>
          <p>
            <a href="/katalog" safe>{tr(l, T.back)}</a>
          </p>
          <h1 safe>{c.title}</h1>
          <p>
            <strong safe>{formatRupiah(l, c.price)}</strong> <span class="muted" safe>{`(${tr(l, T.marketPrice, { amount: formatRupiah(l, c.marketPrice) })})`}</span>
          </p>
          <p safe>{`${tr(l, CATEGORIES[c.category] ?? { id: c.category, en: c.category })} · ${tr(l, MODES[c.mode])} · ${tr(l, T.hours, { n: c.hours })}`}</p>
          <p class="muted" safe>{tr(l, T.by, { provider: c.providerName, platform: c.platformName })}</p>
          <p class="prose" safe>{c.description}</p>
          {c.mode === 'offline' ? (
            <p>
              <strong safe>{tr(l, T.where)}:</strong> <span safe>{`${c.address ?? ''}, ${regionName(c.provinceCode, c.regencyCode, l)}`}</span>
            </p>
          ) : (
            ''
          )}
          {c.sessions.length > 0 ? (
            <>
              <h2 safe>{tr(l, T.sessions)}</h2>
              <ul>
                {c.sessions
                  .filter((s) => s.startsAt > now)
                  .map((s) => (
                    <li safe>{`${formatDateTime(l, s.startsAt)} – ${formatDateTime(l, s.endsAt)} · ${s.status === 'cancelled' ? tr(l, T.cancelled) : s.seatsLeft > 0 ? tr(l, T.seatsLeft, { n: s.seatsLeft }) : tr(l, T.full)}`}</li>
                  ))}
              </ul>
            </>
          ) : (
            ''
          )}
          <p class="notice" safe>{tr(l, T.buyHint, { platform: c.platformName })}</p>
          {c.buyUrl && /^(https:\/\/|\/(?!\/))/.test(c.buyUrl) ? (
            <p>
              <a class="button" href={c.buyUrl} safe>{tr(l, T.buyAt, { platform: c.platformName })}</a>
            </p>
          ) : (
            ''
          )}
        </Layout>,
      )
    },
  )

  // PMO curation.
  app.get('/pmo/kursus', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const rows = await listForReview(db)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.reviewTitle)}>
        <h1 safe>{tr(l, T.reviewTitle)}</h1>
        <p safe>{tr(l, T.reviewIntro)}</p>
        {rows.length === 0 ? (
          <p safe>{tr(l, T.empty)}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" safe>{tr(l, T.title)}</th>
                  <th scope="col" safe>{tr(l, T.provider)}</th>
                  <th scope="col" safe>{tr(l, T.platform)}</th>
                  <th scope="col" safe>{tr(l, T.price)}</th>
                  <th scope="col" safe>{tr(l, T.submitted)}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <a href={`/pmo/kursus/${r.id}`} safe>{r.title}</a>
                      {r.conflict ? <span class="status bad" safe>{` ${tr(l, T.conflict)}`}</span> : ''}
                    </td>
                    <td safe>{r.providerCode}</td>
                    <td safe>{r.platformCode}</td>
                    <td safe>{formatRupiah(l, r.price)}</td>
                    <td safe>{formatDateTime(l, r.submittedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <a href="/pmo/minat" safe>{tr(l, T.demandTitle)}</a>
        </p>
      </Layout>,
    )
  })

  async function reviewPage(req: FastifyRequest, reply: FastifyReply, id: string, state: { fields: FieldError[]; message: string | null; reason: string }) {
    const c = await getCourse(db, id)
    if (!c) throw new AppError('NOT_FOUND')
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(
      reply,
      <Layout ctx={ctx} title={c.title}>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        <p>
          <a href="/pmo/kursus" safe>{tr(l, T.reviewTitle)}</a>
        </p>
        <h1 safe>{c.title}</h1>
        {c.conflict ? (
          <p class="warning" role="note" safe>{tr(l, T.conflictNote, { note: c.conflict })}</p>
        ) : (
          ''
        )}
        <dl>
          <dt safe>{tr(l, T.provider)}</dt>
          <dd safe>{`${c.providerName} (${c.providerCode}) · ref ${c.ref} · v${c.version}`}</dd>
          <dt safe>{tr(l, T.platform)}</dt>
          <dd safe>{`${c.platformName} (${c.platformCode})`}</dd>
          <dt safe>{tr(l, T.price)}</dt>
          <dd safe>{`${formatRupiah(l, c.price)} · ${tr(l, T.marketPrice, { amount: formatRupiah(l, c.marketPrice) })}`}</dd>
          <dt safe>{tr(l, T.category)}</dt>
          <dd safe>{`${tr(l, CATEGORIES[c.category] ?? { id: c.category, en: c.category })} · ${tr(l, MODES[c.mode])} · ${tr(l, T.hours, { n: c.hours })}`}</dd>
          {c.mode === 'offline' ? (
            <>
              <dt safe>{tr(l, T.where)}</dt>
              <dd safe>{`${c.address ?? ''}, ${regionName(c.provinceCode, c.regencyCode, l)}`}</dd>
            </>
          ) : (
            ''
          )}
        </dl>
        <p class="prose" safe>{c.description}</p>
        <h2 safe>{tr(l, T.sessions)}</h2>
        <ul>
          {c.sessions.map((s) => (
            <li>
              <span safe>{`${formatDateTime(l, s.startsAt)} – ${formatDateTime(l, s.endsAt)} · ${s.seats - s.seatsLeft}/${s.seats} · ${s.status === 'cancelled' ? tr(l, T.cancelled) : ''}`}</span>
              {s.status === 'scheduled' && ctx.account?.role === 'pmo_admin' && s.startsAt > deps.clock.now() ? (
                <form method="post" action={`/pmo/kursus/${c.id}/sesi/${s.id}/batal`} class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <label for={`reason-${s.id}`} safe>{tr(l, T.cancelReason)}</label>
                  <input id={`reason-${s.id}`} name="reason" required minlength="5" />
                  <button type="submit" class="secondary" safe>{tr(l, T.cancelSession)}</button>
                </form>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
        {c.status === 'submitted' && ctx.account?.role === 'pmo_admin' ? (
          <form method="post" action={`/pmo/kursus/${c.id}`}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <input type="hidden" name="version" value={String(c.version)} />
            <fieldset id="decision" class="radios">
              <legend safe>{tr(l, T.decision)}</legend>
              {(Object.keys(DECISIONS) as ReviewDecision[]).map((d) => (
                <label class="radio">
                  <input type="radio" name="decision" value={d} required /> <span safe>{tr(l, DECISIONS[d])}</span>
                </label>
              ))}
            </fieldset>
            <Field locale={l} name="reason" label={tr(l, T.reason)} value={state.reason} errors={state.fields} />
            <p>
              <button type="submit" safe>{tr(l, T.decision)}</button>
            </p>
          </form>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.history)}</h2>
        <ul>
          {c.reviews.map((r) => (
            <li safe>{`${formatDateTime(l, r.at)} · v${r.version} · ${tr(l, DECISIONS[r.decision])}${r.reason ? `: ${r.reason}` : ''}${r.conflict ? ` · ${tr(l, T.conflict)}` : ''}`}</li>
          ))}
        </ul>
      </Layout>,
    )
  }

  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
  app.get('/pmo/kursus/:id', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true, params: IdParams } }, async (req, reply) =>
    reviewPage(req, reply, (req.params as { id: string }).id, { fields: [], message: null, reason: '' }),
  )

  app.post(
    '/pmo/kursus/:id',
    { config: { access: ['pmo_admin'] }, schema: { hide: true, params: IdParams, body: Type.Record(Type.String(), Type.String({ maxLength: 1000 })) } },
    async (req, reply) => {
      const id = (req.params as { id: string }).id
      const b = req.body as Record<string, string>
      const decision = b.decision as ReviewDecision
      const a = req.account!
      try {
        if (!(decision in DECISIONS)) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'decision', id: 'Pilih keputusan.', en: 'Choose a decision.' }] })
        await reviewCourse({ db, clock: deps.clock }, { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }, { courseId: id, version: Number(b.version), decision, reason: b.reason ?? '' })
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
        reply.code(400)
        return reviewPage(req, reply, id, { fields: [...err.fields], message: errorMessage('VALIDATION_FAILED', req.locale), reason: b.reason ?? '' })
      }
      return reply.redirect('/pmo/kursus', 303)
    },
  )

  app.get('/pmo/minat', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const rows = await demandByRegion(db)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.demandTitle)}>
        <h1 safe>{tr(l, T.demandTitle)}</h1>
        {rows.length === 0 ? (
          <p safe>{tr(l, T.empty)}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" safe>{tr(l, T.region)}</th>
                  <th scope="col" safe>{tr(l, T.category)}</th>
                  <th scope="col" safe>{tr(l, T.requests)}</th>
                  <th scope="col" safe>{tr(l, T.topics)}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td safe>{regionName(r.provinceCode, r.regencyCode, l)}</td>
                    <td>{r.category ? tr(l, CATEGORIES[r.category] ?? { id: r.category, en: r.category }) : '—'}</td>
                    <td safe>{String(r.requests)}</td>
                    <td safe>{r.topics.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    )
  })
}
