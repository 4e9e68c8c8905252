/** PMO's side of the catalogue: the curation queue, one course's review, demand by region. */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { formatDateTime, tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatRupiah } from '../ledger/index.ts'
import { CATEGORIES, MODES } from './catalogue.rules.ts'
import { getCourse, listForReview, reviewCourse } from './catalogue.service.ts'
import { demandByRegion } from './catalogue.search.ts'
import type { ReviewDecision } from './catalogue.tables.ts'
import { DECISIONS, T, regionName } from './catalogue.texts.ts'

export function registerCataloguePmoPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

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
