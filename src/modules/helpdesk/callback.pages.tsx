/**
 * /pengaduan/telepon-balik: ask to be called back in a window inside business hours (no script
 * needed: a day and two times to choose). The agent's side is a panel on the ticket page where
 * each call is logged: answered with a summary, or not picked up (the next try is planned).
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
import { findAccountById } from '../accounts/index.ts'
import { grant } from './access.ts'
import { callbackDays, callbackTimes, CALLBACK_MAX_ATTEMPTS } from './callback.ts'
import { logCall, requestCallback } from './callback.service.ts'
import { helpdeskDeps } from './deps.ts'
import { CATEGORIES, type Category } from './helpdesk.tables.ts'
import { CATEGORY } from './helpdesk.texts.ts'
import * as repo from './helpdesk.repository.ts'
import { calendarOf } from './tickets.service.ts'

const T = {
  title: { id: 'Minta ditelepon balik', en: 'Ask for a call back' },
  intro: { id: 'Pilih hari dan rentang waktu (pukul 08.00–20.00 WIB, setiap hari kecuali hari libur). Petugas menelepon Anda di rentang itu; bila tidak tersambung, kami mencoba lagi sampai {n} kali dan memberi tahu Anda. Anda mendapat nomor pengaduan untuk melacaknya.', en: 'Choose a day and a time window (08:00–20:00 WIB, every day except holidays). An agent calls you in that window; if we cannot reach you we try again, up to {n} times, and tell you. You get a tracking number to follow it.' },
  name: { id: 'Nama', en: 'Name' },
  phone: { id: 'Nomor HP yang kami telepon', en: 'Mobile number to call' },
  phoneHint: { id: 'Contoh: 0812 3456 7890', en: 'For example: 0812 3456 7890' },
  category: { id: 'Tentang apa?', en: 'What is it about?' },
  day: { id: 'Hari', en: 'Day' },
  from: { id: 'Dari pukul (WIB)', en: 'From (WIB)' },
  to: { id: 'Sampai pukul (WIB)', en: 'Until (WIB)' },
  note: { id: 'Catatan untuk petugas (tidak wajib)', en: 'Note for the agent (optional)' },
  send: { id: 'Minta ditelepon', en: 'Ask for the call' },
  panel: { id: 'Telepon balik', en: 'Call back' },
  panelLine: { id: 'Telepon {phone} antara {from} dan {to}. Percobaan: {attempts} dari {max}. Status: {status}.', en: 'Call {phone} between {from} and {to}. Attempts: {attempts} of {max}. Status: {status}.' },
  summary: { id: 'Ringkasan pembicaraan', en: 'Summary of the call' },
  answered: { id: 'Tersambung: simpan ringkasan', en: 'Answered: save the summary' },
  noAnswer: { id: 'Tidak diangkat: coba lagi nanti', en: 'No answer: try again later' },
  back: { id: 'Kembali ke tiket', en: 'Back to the ticket' },
} satisfies Record<string, Text>

const STATUS: Record<'waiting' | 'answered' | 'gave_up', Text> = {
  waiting: { id: 'menunggu ditelepon', en: 'waiting for the call' },
  answered: { id: 'sudah tersambung', en: 'answered' },
  gave_up: { id: 'tidak tersambung setelah semua percobaan', en: 'not reached after every try' },
}

type Callback = NonNullable<Awaited<ReturnType<typeof repo.findCallback>>>

/** The agent's panel on a call-back ticket: whom to call and when, and the outcome buttons. */
export function CallbackPanel(props: { l: Locale; csrf: string; ticketId: string; callback: Callback; fields?: readonly FieldError[] }): JSX.Element {
  const { l, callback: c } = props
  const fields = props.fields ?? []
  return (
    <section aria-labelledby="callback">
      <h2 id="callback" safe>{tr(l, T.panel)}</h2>
      <p safe>{tr(l, T.panelLine, { phone: c.phone, from: formatDateTime(l, c.window_start), to: formatDateTime(l, c.window_end), attempts: c.attempts, max: CALLBACK_MAX_ATTEMPTS, status: tr(l, STATUS[c.status]) })}</p>
      <p><a href={`tel:${c.phone}`} safe>{c.phone}</a></p>
      {c.status === 'waiting' ? (<>
        <form method="post" action={`/bantuan/tiket/${props.ticketId}/telepon-balik`} novalidate>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="outcome" value="answered" />
          <label for="call-note" safe>{tr(l, T.summary)}</label>
          {fields.filter((f) => f.field === 'note').map((f) => <span class="field-error" id="call-note-error" safe>{f[l]}</span>)}
          <textarea id="call-note" name="note" rows="3"></textarea>
          <p class="actions"><button type="submit" safe>{tr(l, T.answered)}</button></p>
        </form>
        <form method="post" action={`/bantuan/tiket/${props.ticketId}/telepon-balik`}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="outcome" value="no_answer" />
          <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.noAnswer)}</button></p>
        </form>
      </>) : ''}
    </section>
  )
}

const Request = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  category: Type.Optional(Type.String({ maxLength: 20 })),
  day: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  note: Type.Optional(Type.String({ maxLength: 200_000 })),
})

export function registerCallbackPages(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const secure = deps.config.publicUrl.startsWith('https://')

  async function formPage(req: FastifyRequest, reply: FastifyReply, s: { fields?: readonly FieldError[]; message?: string | null; typed?: Record<string, string> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fields = s.fields ?? []
    const cal = await calendarOf(hd.db)
    const account = ctx.account?.role === 'participant' ? await findAccountById(hd.db, ctx.account.id) : undefined
    const typed: Record<string, string> = { phone: account?.phone ?? '', from: '10:00', to: '12:00', ...s.typed }
    const times = callbackTimes(cal)
    const err = (name: string) => fields.find((f) => f.field === name)
    const select = (name: 'day' | 'from' | 'to', label: string, options: string[], show: (o: string) => string) => (
      <div class={err(name) ? 'has-error' : ''}>
        <label for={name} safe>{label}</label>
        {err(name) ? <span class="field-error" id={`${name}-error`} safe>{err(name)![l]}</span> : ''}
        <select id={name} name={name} aria-describedby={err(name) ? `${name}-error` : undefined}>{options.map((o) => <option value={o} selected={o === typed[name]} safe>{show(o)}</option>)}</select>
      </div>
    )
    const dayName = (d: string) => new Intl.DateTimeFormat(l === 'id' ? 'id-ID' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`))
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro, { n: CALLBACK_MAX_ATTEMPTS })}</p>
        <form method="post" action="/pengaduan/telepon-balik" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {account ? '' : <Field locale={l} name="name" label={tr(l, T.name)} value={typed.name ?? ''} autocomplete="name" errors={fields} />}
          <Field locale={l} name="phone" label={tr(l, T.phone)} type="tel" inputmode="tel" value={typed.phone} autocomplete="tel" errors={fields} />
          <p class="hint" safe>{tr(l, T.phoneHint)}</p>
          <label for="category" safe>{tr(l, T.category)}</label>
          <select id="category" name="category">{CATEGORIES.map((c) => <option value={c} selected={c === typed.category} safe>{tr(l, CATEGORY[c])}</option>)}</select>
          {select('day', tr(l, T.day), callbackDays(cal, hd.clock.now()), dayName)}
          {select('from', tr(l, T.from), times.slice(0, -1), (x) => x.replace(':', '.'))}
          {select('to', tr(l, T.to), times.slice(1), (x) => x.replace(':', '.'))}
          <div class={err('note') ? 'has-error' : ''}>
            <label for="note" safe>{tr(l, T.note)}</label>
            {err('note') ? <span class="field-error" id="note-error" safe>{err('note')![l]}</span> : ''}
            <textarea id="note" name="note" rows="4" safe>{typed.note ?? ''}</textarea>
          </div>
          <p class="actions"><button type="submit" safe>{tr(l, T.send)}</button></p>
        </form>
      </Layout>)
  }

  app.get('/pengaduan/telepon-balik', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => formPage(req, reply, {}))
  app.post('/pengaduan/telepon-balik', { config: { access: 'public' }, schema: { hide: true, body: Request } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    const typed = { name: b.name ?? '', phone: (b.phone ?? '').trim(), category: b.category ?? 'other', day: b.day ?? '', from: b.from ?? '', to: b.to ?? '', note: b.note ?? '' }
    const category: Category = (CATEGORIES as readonly string[]).includes(typed.category) ? (typed.category as Category) : 'other'
    try {
      const account = req.account?.role === 'participant' ? req.account : null
      const t = await requestCallback(hd, { accountId: account?.id ?? null, name: typed.name, phone: typed.phone, category, day: typed.day, from: typed.from, to: typed.to, note: typed.note })
      if (!account) grant(req, reply, t.id, secure)
      return reply.redirect(`/pengaduan/${t.tracking}?baru=1`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(err.status)
      return formPage(req, reply, { fields: err.fields, message: errorMessage(err.code, req.locale), typed })
    }
  })

  const Outcome = Type.Object({ outcome: Type.Optional(Type.String({ maxLength: 20 })), note: Type.Optional(Type.String({ maxLength: 200_000 })) })
  app.post('/bantuan/tiket/:id/telepon-balik', { config: { access: ['agent', 'supervisor'] }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: Outcome } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const b = req.body as { outcome?: string; note?: string }
    const staff = { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }
    try {
      if (b.outcome !== 'answered' && b.outcome !== 'no_answer') throw new AppError('MALFORMED_REQUEST')
      await logCall(hd, staff, id, b.outcome === 'answered' ? { kind: 'answered', note: b.note ?? '' } : { kind: 'no_answer' })
      return reply.redirect(`/bantuan/tiket/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'TICKET_STATE'].includes(err.code)) throw err
      const callback = await repo.findCallback(hd.db, id)
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      return sendPage(reply.header('cache-control', 'no-store'),
        <Layout ctx={ctx} title={tr(ctx.locale, T.panel)}>
          <ErrorSummary locale={ctx.locale} message={errorMessage(err.code, ctx.locale)} fields={err.fields} />
          {callback ? <CallbackPanel l={ctx.locale} csrf={ctx.csrfToken} ticketId={id} callback={callback} fields={err.fields} /> : ''}
          <p><a href={`/bantuan/tiket/${id}`} safe>{tr(ctx.locale, T.back)}</a></p>
        </Layout>)
    }
  })
}
