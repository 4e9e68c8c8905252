/**
 * /pengaduan: raise a complaint (logged in or not, with an attachment), answers from the
 * person's own data first, and the status page /pengaduan/<tracking> with every visible
 * message, the owner, what happens next and by when, a reply form and the rating.
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
import { acceptMultipart, type FormFile, type MultipartBody } from '../documents/index.ts'
import { MAX_ATTACHMENT_BYTES } from './attachments.ts'
import { grant, viewable as viewableTicket } from './access.ts'
import { CsatForm } from './csat-form.tsx'
import { helpdeskDeps } from './deps.ts'
import { CATEGORIES, type Category } from './helpdesk.tables.ts'
import { CATEGORY, HIDDEN, STATE } from './helpdesk.texts.ts'
import type * as repo from './helpdesk.repository.ts'
import { selfServiceAnswers } from './self-service.ts'
import { statusView, type StatusView } from './status.service.ts'
import { MAX_MESSAGE_CHARS, participantReply, raiseTicket, rateTicket, ticketForViewer, type Viewer } from './tickets.service.ts'
import { parseTrackingNumber } from './tracking.ts'

const T = {
  title: { id: 'Pengaduan', en: 'Complaints' },
  intro: { id: 'Ceritakan masalah Anda. Anda mendapat nomor pengaduan, nama petugas yang menangani dan batas waktu jawabannya. Pengaduan tidak pernah dihapus.', en: 'Tell us the problem. You get a tracking number, the name of the agent handling it and the time by which you get an answer. Complaints are never deleted.' },
  category: { id: 'Tentang apa?', en: 'What is it about?' },
  check: { id: 'Periksa data saya dulu', en: 'Check my data first' },
  answersTitle: { id: 'Yang kami ketahui dari data Anda', en: 'What we know from your data' },
  answersHint: { id: 'Bila ini sudah menjawab, Anda tidak perlu membuat pengaduan. Bila belum, lanjutkan di bawah.', en: 'If this answers it, you need not raise a complaint. If not, carry on below.' },
  name: { id: 'Nama', en: 'Name' },
  email: { id: 'E-mail', en: 'E-mail' },
  phone: { id: 'Nomor HP', en: 'Mobile number' },
  contactHint: { id: 'Isi e-mail atau nomor HP (salah satu cukup). Kami menjawab ke sana dan memintanya lagi untuk membuka status pengaduan.', en: 'Give an e-mail or a mobile number (one is enough). We answer there and ask for it again to open the complaint’s status.' },
  message: { id: 'Pesan', en: 'Message' },
  messageHint: { id: `Paling banyak ${MAX_MESSAGE_CHARS.toLocaleString('id-ID')} karakter. Jangan tulis kata sandi atau kode OTP.`, en: `At most ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')} characters. Never write a password or one-time code.` },
  attachment: { id: 'Lampiran (tidak wajib)', en: 'Attachment (optional)' },
  attachmentHint: { id: `Foto layar atau surat: JPG, PNG atau PDF, paling besar ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`, en: `A screenshot or letter: JPG, PNG or PDF, at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.` },
  send: { id: 'Kirim pengaduan', en: 'Send the complaint' },
  trackTitle: { id: 'Lacak pengaduan', en: 'Track a complaint' },
  tracking: { id: 'Nomor pengaduan', en: 'Tracking number' },
  contact: { id: 'E-mail atau nomor HP yang Anda pakai saat mengadu', en: 'The e-mail or mobile number you gave when you complained' },
  open: { id: 'Buka', en: 'Open' },
  created: { id: 'Pengaduan Anda tercatat dengan nomor {tracking}. Nomor ini juga kami kirim ke kontak Anda.', en: 'Your complaint is recorded as {tracking}. We also sent this number to your contact.' },
  status: { id: 'Status', en: 'State' },
  owner: { id: 'Ditangani oleh', en: 'Handled by' },
  noOwner: { id: 'Belum ada petugas', en: 'No agent yet' },
  nextTitle: { id: 'Selanjutnya', en: 'What happens next' },
  first_answer: { id: 'Petugas menjawab paling lambat {due}.', en: 'An agent answers by {due}.' },
  working: { id: 'Petugas sedang menanganinya; target selesai {due}.', en: 'An agent is working on it; expected to be resolved by {due}.' },
  your_turn: { id: 'Kami menunggu jawaban Anda. Balas di bawah; jam target berhenti selama menunggu Anda.', en: 'We are waiting for your reply. Reply below; the target clock stops while we wait for you.' },
  partner: { id: 'Menunggu jawaban {partner}, batas {due}. Selama menunggu, batas waktu kami berhenti berjalan; kami tetap penanggung jawabnya.', en: 'Waiting for an answer from {partner}, due {due}. While we wait, our own deadline stands still; we remain responsible.' },
  resolved: { id: 'Selesai. Belum beres? Balas di bawah dan pengaduan dibuka lagi.', en: 'Resolved. Not fixed? Reply below and the complaint reopens.' },
  closed: { id: 'Ditutup. Balas di bawah untuk membukanya lagi.', en: 'Closed. Reply below to open it again.' },
  merged: { id: 'Pengaduan ini digabung ke {into}; lanjutkan di sana.', en: 'This complaint was merged into {into}; carry on there.' },
  messages: { id: 'Percakapan', en: 'Conversation' },
  you: { id: 'Anda', en: 'You' },
  agent: { id: 'Petugas Karya', en: 'Karya agent' },
  system: { id: 'Karya', en: 'Karya' },
  partnerWho: { id: 'Mitra', en: 'Partner' },
  reply: { id: 'Balas', en: 'Reply' },
  sendReply: { id: 'Kirim balasan', en: 'Send the reply' },
  rateTitle: { id: 'Seberapa puas Anda dengan penanganannya?', en: 'How satisfied are you with how it was handled?' },
  rated: { id: 'Penilaian Anda: {score} dari 5. Terima kasih.', en: 'Your rating: {score} of 5. Thank you.' },
  notFoundTitle: { id: 'Pengaduan tidak ditemukan', en: 'Complaint not found' },
} satisfies Record<string, Text>

const TrackingParam = Type.Object({ tracking: Type.String({ maxLength: 40 }) })

function str(b: MultipartBody | Record<string, unknown> | undefined, k: string): string {
  const v = b?.[k]
  return typeof v === 'string' ? v : ''
}

function files(b: MultipartBody | undefined): FormFile[] {
  const f = b?.attachment
  return f && typeof f === 'object' ? [f] : []
}

function parseCategory(v: string): Category | null {
  return (CATEGORIES as readonly string[]).includes(v) ? (v as Category) : null
}

export function nextStepText(l: Locale, v: StatusView): string {
  const n = v.next
  if (n.kind === 'first_answer' || n.kind === 'working') return tr(l, T[n.kind], { due: formatDateTime(l, n.due) })
  if (n.kind === 'partner') return tr(l, T.partner, { partner: n.partner, due: formatDateTime(l, n.due) })
  if (n.kind === 'merged') return tr(l, T.merged, { into: n.into })
  return tr(l, T[n.kind])
}

export function registerComplaintPages(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const secure = deps.config.publicUrl.startsWith('https://')

  async function formPage(req: FastifyRequest, reply: FastifyReply, s: { fields?: readonly FieldError[]; message?: string | null; typed?: Record<string, string>; category?: Category | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const fields = s.fields ?? []
    const typed = s.typed ?? {}
    const category = s.category ?? parseCategory(typed.category ?? '')
    const answers = ctx.account?.role === 'participant' && category ? await selfServiceAnswers(hd, ctx.account.id, category, l) : []
    const err = (name: string) => fields.find((f) => f.field === name)
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        <p><a href="/pengaduan/obrolan" safe>{tr(l, { id: 'Lebih suka mengobrol langsung dengan petugas? Mulai obrolan', en: 'Rather talk to an agent now? Start a chat' })}</a></p>
        <p><a href="/pengaduan/telepon-balik" safe>{tr(l, { id: 'Lebih suka ditelepon? Minta telepon balik', en: 'Rather talk on the phone? Ask for a call back' })}</a></p>
        {ctx.account?.role === 'participant' ? (
          <form method="get" action="/pengaduan">
            <label for="check-category" safe>{tr(l, T.category)}</label>
            <select id="check-category" name="kategori">
              {CATEGORIES.map((c) => (<option value={c} selected={c === category} safe>{tr(l, CATEGORY[c])}</option>))}
            </select>{' '}
            <button type="submit" class="secondary" safe>{tr(l, T.check)}</button>
          </form>
        ) : ''}
        {answers.length > 0 ? (
          <section class="notice" aria-labelledby="answers-title">
            <h2 id="answers-title" safe>{tr(l, T.answersTitle)}</h2>
            <ul>{answers.map((a) => <li safe>{a}</li>)}</ul>
            <p safe>{tr(l, T.answersHint)}</p>
          </section>
        ) : ''}
        <form method="post" action="/pengaduan" enctype="multipart/form-data" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          {ctx.account ? '' : (
            <>
              <Field locale={l} name="name" label={tr(l, T.name)} value={typed.name ?? ''} autocomplete="name" errors={fields} />
              <p class="hint" id="contact-hint" safe>{tr(l, T.contactHint)}</p>
              <Field locale={l} name="email" label={tr(l, T.email)} type="email" value={typed.email ?? ''} autocomplete="email" errors={fields} />
              <Field locale={l} name="phone" label={tr(l, T.phone)} type="tel" value={typed.phone ?? ''} autocomplete="tel" inputmode="tel" errors={fields} />
            </>
          )}
          <div class={err('category') ? 'has-error' : ''}>
            <label for="category" safe>{tr(l, T.category)}</label>
            <select id="category" name="category">
              {CATEGORIES.map((c) => (<option value={c} selected={c === category} safe>{tr(l, CATEGORY[c])}</option>))}
            </select>
          </div>
          <div class={err('message') ? 'has-error' : ''}>
            <label for="message" safe>{tr(l, T.message)}</label>
            <span class="hint" id="message-hint" safe>{tr(l, T.messageHint)}</span>
            {err('message') ? <span class="field-error" id="message-error" safe>{err('message')![l]}</span> : ''}
            <textarea id="message" name="message" rows="8" aria-describedby={err('message') ? 'message-hint message-error' : 'message-hint'} safe>{typed.message ?? ''}</textarea>
          </div>
          <div class={err('attachment') ? 'has-error' : ''}>
            <label for="attachment" safe>{tr(l, T.attachment)}</label>
            <span class="hint" id="attachment-hint" safe>{tr(l, T.attachmentHint)}</span>
            {err('attachment') ? <span class="field-error" id="attachment-error" safe>{err('attachment')![l]}</span> : ''}
            <input id="attachment" name="attachment" type="file" accept="image/jpeg,image/png,application/pdf" aria-describedby="attachment-hint" />
          </div>
          <p class="actions"><button type="submit" safe>{tr(l, T.send)}</button></p>
        </form>
        <h2 safe>{tr(l, T.trackTitle)}</h2>
        <TrackForm locale={l} csrf={ctx.csrfToken} tracking={typed.tracking ?? ''} fields={fields} />
      </Layout>,
    )
  }

  app.get('/pengaduan', { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ kategori: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) =>
    formPage(req, reply, { category: parseCategory((req.query as { kategori?: string }).kategori ?? '') }),
  )

  app.register(async (scope) => {
    // Room for a file twice the limit, so an oversized one gets its own clear answer rather than a bare 413.
    acceptMultipart(scope, MAX_ATTACHMENT_BYTES * 2)
    scope.post('/pengaduan', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const b = req.body as MultipartBody | undefined
      const typed = { name: str(b, 'name'), email: str(b, 'email').trim(), phone: str(b, 'phone').trim(), category: str(b, 'category'), message: str(b, 'message') }
      const category = parseCategory(typed.category)
      try {
        if (!category) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'category', id: 'Pilih salah satu kategori.', en: 'Choose a category.' }] })
        const account = req.account?.role === 'participant' ? req.account : null
        const t = await raiseTicket(hd, { channel: 'web', category, body: typed.message, accountId: account?.id ?? null, contact: account ? {} : { name: typed.name, email: typed.email || null, phone: typed.phone || null }, attachments: files(b) })
        if (!account) grant(req, reply, t.id, secure)
        return reply.redirect(`/pengaduan/${t.tracking}?baru=1`, 303)
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
        reply.code(err.status)
        return formPage(req, reply, { fields: err.fields, message: errorMessage(err.code, req.locale), typed })
      }
    })
    scope.post('/pengaduan/:tracking/balas', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam } }, async (req, reply) => {
      const t = await viewable(req)
      const b = req.body as MultipartBody | undefined
      try {
        await participantReply(hd, t.id, { body: str(b, 'message'), via: 'web', authorId: req.account?.id ?? null, attachments: files(b) })
        return reply.redirect(`/pengaduan/${t.tracking}#percakapan`, 303)
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
        reply.code(err.status)
        return statusPage(req, reply, t, { fields: err.fields, message: errorMessage(err.code, req.locale), typed: str(b, 'message') })
      }
    })
  })

  const viewable = (req: FastifyRequest) => viewableTicket(hd.db, req)

  async function statusPage(req: FastifyRequest, reply: FastifyReply, t: repo.TicketRow, s: { fields?: readonly FieldError[]; message?: string | null; typed?: string }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const v = await statusView(hd.db, t)
    const fields = s.fields ?? []
    const who = (m: StatusView['messages'][number]) => (m.who === 'participant' ? tr(l, T.you) : m.who === 'partner' ? `${tr(l, T.partnerWho)} ${m.name ?? ''}` : m.who === 'agent' ? `${tr(l, T.agent)} ${m.name ?? ''}` : tr(l, T.system))
    const isNew = (req.query as { baru?: string } | undefined)?.baru === '1'
    return sendPage(
      reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={`${tr(l, T.title)} ${t.tracking}`}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        {isNew ? <p class="notice" role="status" safe>{tr(l, T.created, { tracking: t.tracking })}</p> : ''}
        <h1 safe>{`${tr(l, T.title)} ${t.tracking}`}</h1>
        <p safe>{t.subject}</p>
        <dl>
          <dt safe>{tr(l, T.status)}</dt>
          <dd safe>{tr(l, STATE[t.state])}</dd>
          <dt safe>{tr(l, T.category)}</dt>
          <dd safe>{tr(l, CATEGORY[t.category])}</dd>
          <dt safe>{tr(l, T.owner)}</dt>
          <dd safe>{v.ownerName ?? tr(l, T.noOwner)}</dd>
          <dt safe>{tr(l, T.nextTitle)}</dt>
          <dd safe>{nextStepText(l, v)}</dd>
        </dl>
        <h2 id="percakapan" safe>{tr(l, T.messages)}</h2>
        <ol class="messages">
          {v.messages.map((m) => (
            <li>
              <p><strong safe>{who(m)}</strong> <span class="muted" safe>{formatDateTime(l, m.at)}</span></p>
              {m.body === null ? <p class="muted" safe>{tr(l, HIDDEN)}</p> : <p style="white-space:pre-wrap" safe>{m.body}</p>}
              {m.attachments.map((a) => <p class="muted" safe>{`📎 ${a.name}`}</p>)}
            </li>
          ))}
        </ol>
        {t.state === 'merged' ? '' : (
          <form method="post" action={`/pengaduan/${t.tracking}/balas`} enctype="multipart/form-data" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <label for="message" safe>{tr(l, T.reply)}</label>
            {fields.filter((f) => f.field === 'message' || f.field === 'attachment').map((f) => <span class="field-error" id="message-error" safe>{f[l]}</span>)}
            <textarea id="message" name="message" rows="5" safe>{s.typed ?? ''}</textarea>
            <label for="attachment" safe>{tr(l, T.attachment)}</label>
            <input id="attachment" name="attachment" type="file" accept="image/jpeg,image/png,application/pdf" />
            <p class="actions"><button type="submit" safe>{tr(l, T.sendReply)}</button></p>
          </form>
        )}
        {(t.state === 'resolved' || t.state === 'closed') && !v.csat ? (
          <CsatForm locale={l} tracking={t.tracking} csrfToken={ctx.csrfToken} question={T.rateTitle} />
        ) : ''}
        {v.csat ? <p safe>{tr(l, T.rated, { score: v.csat.score })}</p> : ''}
      </Layout>,
    )
  }

  app.get('/pengaduan/:tracking', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam, querystring: Type.Object({ baru: Type.Optional(Type.String({ maxLength: 2 })) }) } }, async (req, reply) => {
    const raw = (req.params as { tracking: string }).tracking
    const tracking = parseTrackingNumber(raw)
    if (tracking && tracking !== raw) return reply.redirect(`/pengaduan/${tracking}`, 303)
    try {
      return await statusPage(req, reply, await viewable(req), {})
    } catch (err) {
      // Not logged in and not opened on this browser yet: ask for the contact it was raised with.
      if (!(err instanceof AppError) || err.code !== 'TICKET_NOT_FOUND' || req.account?.role === 'participant') throw err
      const ctx = pageContext(req, reply, { devMailbox })
      return sendPage(reply.header('cache-control', 'no-store'), <Layout ctx={ctx} title={tr(ctx.locale, T.trackTitle)}><h1 safe>{tr(ctx.locale, T.trackTitle)}</h1><TrackForm locale={ctx.locale} csrf={ctx.csrfToken} tracking={tracking ?? raw} fields={[]} /></Layout>)
    }
  })

  const TrackBody = Type.Object({ tracking: Type.Optional(Type.String({ maxLength: 60 })), contact: Type.Optional(Type.String({ maxLength: 200 })) })
  app.post('/pengaduan/lacak', { config: { access: 'public' }, schema: { hide: true, body: TrackBody } }, async (req, reply) => {
    const b = req.body as { tracking?: string; contact?: string }
    const tracking = parseTrackingNumber(b.tracking ?? '')
    try {
      if (!tracking) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'tracking', id: 'Nomor pengaduan berbentuk KRY-2612-XXXXXX. Periksa lagi huruf dan angkanya.', en: 'A tracking number looks like KRY-2612-XXXXXX. Check the letters and digits again.' }] })
      const viewer: Viewer = req.account?.role === 'participant' && !b.contact ? { kind: 'account', accountId: req.account.id } : { kind: 'contact', contact: b.contact ?? '' }
      const t = await ticketForViewer(hd.db, tracking, viewer)
      grant(req, reply, t.id, secure)
      return reply.redirect(`/pengaduan/${t.tracking}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'TICKET_NOT_FOUND'].includes(err.code)) throw err
      reply.code(err.status)
      return formPage(req, reply, { fields: err.fields.length ? err.fields : [{ field: 'tracking', ...{ id: errorMessage(err.code, 'id'), en: errorMessage(err.code, 'en') } }], typed: { tracking: b.tracking ?? '' } })
    }
  })

  app.post('/pengaduan/:tracking/nilai', { config: { access: 'public' }, schema: { hide: true, params: TrackingParam, body: Type.Object({ score: Type.Optional(Type.String({ maxLength: 2 })), comment: Type.Optional(Type.String({ maxLength: 5000 })) }) } }, async (req, reply) => {
    const t = await viewable(req)
    const b = req.body as { score?: string; comment?: string }
    try {
      await rateTicket(hd, t.id, Number(b.score ?? ''), b.comment ?? '')
      return reply.redirect(`/pengaduan/${t.tracking}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'TICKET_ALREADY_RATED', 'TICKET_STATE'].includes(err.code)) throw err
      reply.code(err.status)
      return statusPage(req, reply, t, { fields: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })
}

function TrackForm(props: { locale: Locale; csrf: string; tracking: string; fields: readonly FieldError[] }): JSX.Element {
  const l = props.locale
  return (
    <form method="post" action="/pengaduan/lacak" novalidate>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <Field locale={l} name="tracking" label={tr(l, T.tracking)} value={props.tracking} errors={props.fields} />
      <Field locale={l} name="contact" label={tr(l, T.contact)} autocomplete="email" errors={props.fields} />
      <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.open)}</button></p>
    </form>
  )
}
