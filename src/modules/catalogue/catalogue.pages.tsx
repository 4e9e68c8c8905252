/**
 * The catalogue as people see it: search and filters for participants (public: anyone may
 * look before registering), and "I want a course on …" where nothing fits. PMO's curation
 * pages are in catalogue.pmo.pages.tsx.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Select } from '../../web/choices.tsx'
import { formatDateTime, tr } from '../../platform/i18n/index.ts'
import { AppError, type FieldError } from '../../platform/errors.ts'
import { findAccount, getBalance, formatRupiah } from '../ledger/index.ts'
import { getProvince, listProvinces } from '../regions/index.ts'
import { CATEGORIES, MODES } from './catalogue.rules.ts'
import { getCourse } from './catalogue.service.ts'
import { recordDemand, searchCatalogue, type SearchFilters } from './catalogue.search.ts'
import type { CourseMode } from './catalogue.tables.ts'
import { T, regionName } from './catalogue.texts.ts'

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
}
