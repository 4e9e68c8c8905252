/**
 * The waiting room in front of sign-up. Gated routes: GET, HEAD and POST /daftar, for anyone
 * not logged in. Never gated: everything after the sign-up POST (the verification pages, the
 * profile, log-in), since a pending session means the person is already mid-registration.
 * Refusals are 429 with Retry-After; browsers get a tiny page that refreshes itself.
 */
import Html from '@kitajs/html'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { tr, formatDateTime, type Locale } from '../../platform/i18n/index.ts'
import { errorMessage, ERROR_CODES } from '../../platform/errors.ts'
import { wantsHtml } from '../../platform/http/error-handler.ts'
import { createGate, type Decision, type Gate } from './gate.ts'
import { T, waitText } from './waiting-room.texts.ts'

export const PASS_COOKIE = 'karya_antre'
const GATED = '/daftar'
/** When the line cannot even be asked (database unreachable): come back shortly, still no 5xx. */
const BUSY_RETRY_SECONDS = 10

type Refusal = Extract<Decision, { through: false }>['standing'] | { kind: 'busy'; retryAfterSeconds: number }

export function registerWaitingRoom(app: FastifyInstance, deps: AppDeps): Gate | null {
  const settings = deps.config.waitingRoom
  if (!settings.enabled) return null
  const gate = createGate({ db: deps.database.db, clock: deps.clock, secret: deps.config.secret, settings })
  const secure = deps.config.publicUrl.startsWith('https://')

  // Runs after the session lookup (registered later), which costs nothing without a cookie.
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url !== GATED || req.account || req.partialLogin) return
    const cookie = req.cookies[PASS_COOKIE]
    let d: Decision
    try {
      if (req.method === 'POST') d = await gate.submit(cookie)
      else if (req.method === 'GET' || req.method === 'HEAD') d = await gate.arrive(cookie)
      else return
    } catch (err) {
      req.log.error({ err }, 'waiting room could not reach the line')
      return refuse(req, reply, { kind: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS })
    }
    if (d.setPass) {
      reply.setCookie(PASS_COOKIE, d.setPass, { path: GATED, httpOnly: true, sameSite: 'lax', secure, maxAge: 24 * 3600 })
    }
    if (!d.through) return refuse(req, reply, d.standing)
  })

  function refuse(req: FastifyRequest, reply: FastifyReply, r: Refusal): FastifyReply {
    reply.code(429).header('retry-after', String(r.retryAfterSeconds)).header('cache-control', 'no-store')
    if (wantsHtml(req)) return reply.type('text/html; charset=utf-8').send(waitingPage(req.locale, r, deps.clock.now(), settings.ratePerSecond))
    const spec = ERROR_CODES.WAITING_ROOM
    return reply.send({
      error: { code: 'WAITING_ROOM', message: errorMessage('WAITING_ROOM', req.locale), messages: { id: spec.id, en: spec.en }, fields: [], requestId: String(req.id) },
      waitingRoom: {
        retryAfterSeconds: r.retryAfterSeconds,
        position: r.kind === 'waiting' ? r.position : null,
        waitSeconds: r.kind === 'waiting' ? r.waitSeconds : null,
        drawAt: r.kind === 'draw' ? r.drawAt.toISOString() : null,
      },
    })
  }
  return gate
}

/** A whole page in about 1.5 KB: no script, no stylesheet to fetch, one heading, one status. */
function waitingPage(l: Locale, r: Refusal, now: Date, rate: number): string {
  const other = l === 'id' ? 'en' : 'id'
  const lines: string[] = []
  if (r.kind === 'waiting') {
    lines.push(tr(l, T.position, { position: r.position.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB') }))
    lines.push(tr(l, T.wait, { wait: waitText(l, r.waitSeconds) }))
  } else if (r.kind === 'draw') {
    lines.push(tr(l, T.draw, { time: formatDateTime(l, r.drawAt) }))
  } else {
    lines.push(tr(l, T.busy))
  }
  return (
    '<!doctype html>' +
    (
      <html lang={l}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta http-equiv="refresh" content={String(r.retryAfterSeconds)} />
          <title safe>{`${tr(l, T.title)} · Karya`}</title>
          <style>{'body{font:1.05rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:36rem;padding:1rem;color:#1a1a1a}.big{font-size:1.3rem;font-weight:600}a{color:#0b57a4}'}</style>
        </head>
        <body>
          <main>
            <h1 safe>{tr(l, T.heading)}</h1>
            <p safe>{tr(l, T.intro, { rate })}</p>
            <div role="status">
              {lines.map((t) => (
                <p class="big" safe>
                  {t}
                </p>
              ))}
            </div>
            <p safe>{tr(l, T.keep, { seconds: r.retryAfterSeconds })}</p>
            <p safe>{tr(l, T.updated, { time: formatDateTime(l, now) })}</p>
            <p>
              <a href="/daftar" safe>
                {tr(l, T.check)}
              </a>{' '}
              ·{' '}
              <a href={`/lang/${other}?next=%2Fdaftar`} hreflang={other} lang={other}>
                {other === 'en' ? 'English' : 'Bahasa Indonesia'}
              </a>{' '}
              ·{' '}
              <a href="/masuk" safe>
                {tr(l, T.login)}
              </a>
            </p>
          </main>
        </body>
      </html>
    )
  )
}
