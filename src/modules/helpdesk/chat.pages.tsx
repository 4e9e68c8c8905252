/**
 * Live chat pages. The conversation and the queue line change only when something changes:
 * with JavaScript (chat.js) by a long-poll that adds the new lines in place; without it, the
 * page reloads through the same long-poll (a refresh the server holds until there is news),
 * so it works on any phone. The person can end the chat and rate it on the same page.
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
import { grant, viewable } from './access.ts'
import { askForPerson, CHAT_HOLD_MS, chatSay, chatState, chatStateKey, endChat, startChat, type ChatLine, type ChatState } from './chat.service.ts'
import { createChatLive } from './chat-live.ts'
import { CsatForm } from './csat-form.tsx'
import { helpdeskDeps } from './deps.ts'
import { CATEGORIES, type Category } from './helpdesk.tables.ts'
import { CATEGORY, HIDDEN } from './helpdesk.texts.ts'
import * as repo from './helpdesk.repository.ts'
import { statusView } from './status.service.ts'

const T = {
  title: { id: 'Obrolan dengan petugas', en: 'Chat with an agent' },
  intro: { id: 'Tulis pertanyaan Anda. Anda melihat posisi antrean yang sebenarnya; bila tidak ada petugas yang bebas, obrolan menjadi pengaduan dengan nomor yang sama dan batas waktu jawabannya.', en: 'Write your question. You see your real place in the queue; if no agent is free, the chat becomes a complaint with the same number and a time by which you get an answer.' },
  name: { id: 'Nama', en: 'Name' },
  email: { id: 'E-mail', en: 'E-mail' },
  phone: { id: 'Nomor HP', en: 'Mobile number' },
  category: { id: 'Tentang apa?', en: 'What is it about?' },
  message: { id: 'Pesan', en: 'Message' },
  start: { id: 'Mulai obrolan', en: 'Start the chat' },
  with_agent: { id: 'Anda sedang dilayani oleh {agent}.', en: 'You are talking to {agent}.' },
  queued: { id: 'Posisi Anda di antrean: {position}. Perkiraan menunggu: {minutes} menit ({free} petugas bebas).', en: 'Your place in the queue: {position}. Expected wait: {minutes} minutes ({free} agents free).' },
  ticket: { id: 'Saat ini tidak ada petugas yang bebas. Obrolan ini sudah menjadi pengaduan {tracking}; petugas menjawab paling lambat {due}, di sini dan lewat e-mail/kotak masuk. Anda tidak perlu menunggu di halaman ini.', en: 'No agent is free right now. This chat is now complaint {tracking}; an agent answers by {due}, here and by e-mail/inbox. You need not wait on this page.' },
  ended: { id: 'Obrolan selesai. Lihat dan nilai di halaman pengaduan {tracking}.', en: 'The chat has ended. See and rate it on the complaint page {tracking}.' },
  say: { id: 'Tulis pesan', en: 'Write a message' },
  send: { id: 'Kirim', en: 'Send' },
  person: { id: 'Bicara dengan petugas', en: 'Talk to a person' },
  you: { id: 'Anda', en: 'You' },
  agent: { id: 'Petugas', en: 'Agent' },
  bot: { id: 'Karya (dari data Anda)', en: 'Karya (from your data)' },
  partner: { id: 'Mitra', en: 'Partner' },
  end: { id: 'Akhiri obrolan', en: 'End the chat' },
  callback: { id: 'Lebih suka ditelepon? Minta telepon balik pada waktu yang Anda pilih', en: 'Rather talk on the phone? Ask for a call back at a time you choose' },
  rateTitle: { id: 'Seberapa puas Anda dengan jawaban kami? (1 = sangat tidak puas, 5 = sangat puas)', en: 'How satisfied are you with our answer? (1 = very dissatisfied, 5 = very satisfied)' },
  rated: { id: 'Penilaian Anda: {score} dari 5. Terima kasih.', en: 'Your rating: {score} out of 5. Thank you.' },
} satisfies Record<string, Text>

const TrackingParam = Type.Object({ tracking: Type.String({ maxLength: 40 }) })

export function registerChatPages(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const secure = deps.config.publicUrl.startsWith('https://')

  async function startPage(req: FastifyRequest, reply: FastifyReply, s: { fields?: readonly FieldError[]; message?: string | null; typed?: Record<string, string> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fields = s.fields ?? []
    const typed = s.typed ?? {}
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <p><a href="/pengaduan/telepon-balik" safe>{tr(l, T.callback)}</a></p>
        <form method="post" action="/pengaduan/obrolan" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {ctx.account ? '' : (<>
            <Field locale={l} name="name" label={tr(l, T.name)} value={typed.name ?? ''} autocomplete="name" errors={fields} />
            <Field locale={l} name="email" label={tr(l, T.email)} type="email" value={typed.email ?? ''} autocomplete="email" errors={fields} />
            <Field locale={l} name="phone" label={tr(l, T.phone)} type="tel" value={typed.phone ?? ''} autocomplete="tel" errors={fields} />
          </>)}
          <label for="category" safe>{tr(l, T.category)}</label>
          <select id="category" name="category">{CATEGORIES.map((c) => <option value={c} selected={c === typed.category} safe>{tr(l, CATEGORY[c])}</option>)}</select>
          <label for="message" safe>{tr(l, T.message)}</label>
          {fields.filter((f) => f.field === 'message').map((f) => <span class="field-error" safe>{f[l]}</span>)}
          <textarea id="message" name="message" rows="4" safe>{typed.message ?? ''}</textarea>
          <p class="actions"><button type="submit" safe>{tr(l, T.start)}</button></p>
        </form>
      </Layout>)
  }

  const Start = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), email: Type.Optional(Type.String({ maxLength: 200 })), phone: Type.Optional(Type.String({ maxLength: 40 })), category: Type.Optional(Type.String({ maxLength: 20 })), message: Type.Optional(Type.String({ maxLength: 200_000 })) })
  app.get('/pengaduan/obrolan', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => startPage(req, reply, {}))
  app.post('/pengaduan/obrolan', { config: { access: 'public' }, schema: { hide: true, body: Start } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    const typed = { name: b.name ?? '', email: (b.email ?? '').trim(), phone: (b.phone ?? '').trim(), category: b.category ?? 'other', message: b.message ?? '' }
    const category: Category = (CATEGORIES as readonly string[]).includes(typed.category) ? (typed.category as Category) : 'other'
    try {
      const account = req.account?.role === 'participant' ? req.account : null
      const t = await startChat(hd, { category, body: typed.message, accountId: account?.id ?? null, contact: account ? {} : { name: typed.name, email: typed.email || null, phone: typed.phone || null } })
      if (!account) grant(req, reply, t.id, secure)
      return reply.redirect(`/pengaduan/${t.tracking}/obrolan`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(err.status)
      return startPage(req, reply, { fields: err.fields, message: errorMessage(err.code, req.locale), typed })
    }
  })

  const live = createChatLive(hd)
  app.addHook('onClose', async () => live.close())

  const stateLine = (l: Locale, t: repo.TicketRow, state: ChatState) =>
    state.kind === 'with_agent' ? tr(l, T.with_agent, { agent: state.agent })
    : state.kind === 'queued' ? tr(l, T.queued, { position: state.position, minutes: state.expectedMinutes, free: state.agentsFree })
    : state.kind === 'ticket' ? tr(l, T.ticket, { tracking: t.tracking, due: formatDateTime(l, state.due) })
    : tr(l, T.ended, { tracking: t.tracking })
  const who = (l: Locale, line: Pick<ChatLine, 'who' | 'name'>) => (line.who === 'participant' ? tr(l, T.you) : line.who === 'agent' ? `${tr(l, T.agent)} ${line.name ?? ''}` : line.who === 'partner' ? `${tr(l, T.partner)} ${line.name ?? ''}` : tr(l, T.bot))

  /** The ticket's changes, held up to `ms` less up to a fifth (so held polls do not come back in lockstep); ends when the person leaves. */
  async function changes(reply: FastifyReply, t: repo.TicketRow, after: number, key: string | null, ms: number) {
    const gone = new AbortController()
    reply.raw.once('close', () => gone.abort())
    return live.changes(t, after, key, ms - Math.floor(Math.random() * (ms / 5)), gone.signal)
  }

  async function chatPage(req: FastifyRequest, reply: FastifyReply, t: repo.TicketRow, s: { fields?: readonly FieldError[]; message?: string | null; state?: ChatState }) {
    const [v, state] = await Promise.all([statusView(hd.db, t), s.state ? Promise.resolve(s.state) : chatState(hd, t)])
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const last = v.messages.reduce((n, m) => Math.max(n, Number(m.id)), 0)
    const key = chatStateKey(state)
    const here = `/pengaduan/${t.tracking}/obrolan`
    const fields = s.fields ?? []
    // Without JavaScript the page asks again at once and the server holds the answer until
    // something changes (a long-poll through a refresh); with it, chat.js does the same in place.
    const head = state.kind === 'ended' ? undefined : <noscript><meta http-equiv="refresh" content={`1; url=${here}?setelah=${last}&keadaan=${encodeURIComponent(key)}`} /></noscript>
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)} head={head}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        <h1 safe>{`${tr(l, T.title)} · ${t.tracking}`}</h1>
        <p class="notice" role="status" data-chat-status safe>{stateLine(l, t, state)}</p>
        <ol class="messages" data-chat-lines data-hidden={tr(l, HIDDEN)}>{v.messages.map((m) => (
          <li><p><strong safe>{who(l, m)}</strong> <span class="muted" safe>{formatDateTime(l, m.at)}</span></p>{m.body === null ? <p class="muted" safe>{tr(l, HIDDEN)}</p> : <p style="white-space:pre-wrap" safe>{m.body}</p>}</li>
        ))}</ol>
        {state.kind === 'ended' ? (<>
          <p><a href={`/pengaduan/${t.tracking}`} safe>{t.tracking}</a></p>
          {v.csat ? <p safe>{tr(l, T.rated, { score: v.csat.score })}</p> : (t.state === 'resolved' || t.state === 'closed') ? (
            <CsatForm locale={l} tracking={t.tracking} csrfToken={ctx.csrfToken} question={T.rateTitle} />
          ) : ''}
        </>) : (<>
          <div hidden data-chat-events={`${here}/baru`} data-after={String(last)} data-state={key}></div>
          <form method="post" action={here} novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <label for="message" safe>{tr(l, T.say)}</label>
            {fields.map((f) => <span class="field-error" id="message-error" safe>{f[l]}</span>)}
            <textarea id="message" name="message" rows="3" aria-describedby={fields.length ? 'message-error' : undefined}></textarea>
            <p class="actions"><button type="submit" safe>{tr(l, T.send)}</button> <button type="submit" name="person" value="1" class="secondary" safe>{tr(l, T.person)}</button></p>
          </form>
          <form method="post" action={here}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <input type="hidden" name="end" value="1" />
            <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.end)}</button></p>
          </form>
          <script src="/static/chat.js" defer></script>
        </>)}
      </Layout>)
  }

  const Wait = Type.Object({ setelah: Type.Optional(Type.Integer({ minimum: 0 })), keadaan: Type.Optional(Type.String({ maxLength: 100 })), tunggu: Type.Optional(Type.Integer({ minimum: 0, maximum: CHAT_HOLD_MS / 1000 })) })
  type WaitQuery = { setelah?: number; keadaan?: string; tunggu?: number }
  const holdMs = (q: WaitQuery) => (q.tunggu ?? CHAT_HOLD_MS / 1000) * 1000

  app.get('/pengaduan/:tracking/obrolan', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam, querystring: Wait } }, async (req, reply) => {
    const t = await viewable(hd.db, req)
    const q = req.query as WaitQuery
    if (q.setelah === undefined) return chatPage(req, reply, t, {})
    const c = await changes(reply, t, q.setelah, q.keadaan ?? null, holdMs(q))
    return chatPage(req, reply, c.t, { state: c.state })
  })

  const Line = Type.Object({ id: Type.Integer(), who: Type.String(), at: Type.String(), body: Type.Union([Type.String(), Type.Null()]) })
  const Changes = Type.Object({ after: Type.Integer(), lines: Type.Array(Line), state: Type.Object({ key: Type.String(), line: Type.String(), ended: Type.Boolean() }) })
  app.get('/pengaduan/:tracking/obrolan/baru', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam, querystring: Wait, response: { 200: Changes } } }, async (req, reply) => {
    const t = await viewable(hd.db, req)
    const q = req.query as WaitQuery
    const c = await changes(reply, t, q.setelah ?? 0, q.keadaan ?? null, holdMs(q))
    const l = req.locale
    reply.header('cache-control', 'no-store')
    return {
      after: c.seen.after,
      lines: c.seen.lines.map((m) => ({ id: m.id, who: who(l, m), at: formatDateTime(l, m.at), body: m.body })),
      state: { key: chatStateKey(c.state), line: stateLine(l, c.t, c.state), ended: c.state.kind === 'ended' },
    }
  })

  app.post('/pengaduan/:tracking/obrolan', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam, body: Type.Object({ message: Type.Optional(Type.String({ maxLength: 200_000 })), person: Type.Optional(Type.String({ maxLength: 2 })), end: Type.Optional(Type.String({ maxLength: 2 })) }) } }, async (req, reply) => {
    const t = await viewable(hd.db, req)
    const b = req.body as { message?: string; person?: string; end?: string }
    try {
      if (b.end === '1') await endChat(hd, t.id)
      else {
        if (b.person === '1') await askForPerson(hd, t)
        if (b.person !== '1' || (b.message ?? '').trim()) await chatSay(hd, t, b.message ?? '', req.account?.id ?? null)
      }
      live.poke(t.id)
      return reply.redirect(here(t), 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'RATE_LIMITED', 'TICKET_STATE'].includes(err.code)) throw err
      reply.code(err.status)
      if (err.code === 'RATE_LIMITED') reply.header('retry-after', '60')
      return chatPage(req, reply, t, { fields: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })
}

const here = (t: repo.TicketRow) => `/pengaduan/${t.tracking}/obrolan`
