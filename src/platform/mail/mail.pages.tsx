import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr, formatDateTime } from '../i18n/index.ts'
import { AppError } from '../errors.ts'
import { listOutbox, getOutbox, listInbox, markInboxRead, countUnread } from './mail.service.ts'

const T = {
  mailboxTitle: { id: 'Kotak surat pengembangan', en: 'Development mailbox' },
  mailboxHint: {
    id: 'Hanya ada di mode tersemat (npm start). Semua e-mail dan SMS yang dikirim Karya tampil di sini, jadi tautan verifikasi bisa diklik tanpa server e-mail.',
    en: 'Only in embedded mode (npm start). Every e-mail and SMS Karya sends is shown here, so verification links can be clicked without a mail server.',
  },
  to: { id: 'Kepada', en: 'To' },
  subject: { id: 'Perihal', en: 'Subject' },
  channel: { id: 'Kanal', en: 'Channel' },
  status: { id: 'Status', en: 'Status' },
  time: { id: 'Waktu', en: 'Time' },
  empty: { id: 'Belum ada pesan.', en: 'No messages yet.' },
  back: { id: 'Kembali ke daftar', en: 'Back to the list' },
  inboxTitle: { id: 'Kotak masuk', en: 'Inbox' },
  inboxHint: {
    id: 'Salinan setiap pesan yang kami kirim kepada Anda, termasuk yang lewat e-mail dan SMS.',
    en: 'A copy of every message we sent you, including those sent by e-mail and SMS.',
  },
  unread: { id: 'Belum dibaca', en: 'Unread' },
  markRead: { id: 'Tandai sudah dibaca', en: 'Mark as read' },
  open: { id: 'Buka', en: 'Open' },
  older: { id: 'Pesan lebih lama', en: 'Older messages' },
}

const STATUS = {
  queued: { id: 'antre', en: 'queued' },
  sent: { id: 'terkirim', en: 'sent' },
  failed: { id: 'gagal', en: 'failed' },
}

const PAGE = 50

export function registerMailPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  if (devMailbox) {
    app.get(
      '/dev/mailbox',
      { config: { access: 'public' }, schema: { hide: true, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }) } },
      async (req, reply) => {
        const ctx = pageContext(req, reply, { devMailbox })
        const l = ctx.locale
        const page = (req.query as { page?: number }).page ?? 1
        const rows = await listOutbox(db, { limit: PAGE + 1, offset: (page - 1) * PAGE })
        return reply.type('text/html; charset=utf-8').send(
          <Layout ctx={ctx} title={tr(l, T.mailboxTitle)}>
            <h1 safe>{tr(l, T.mailboxTitle)}</h1>
            <p class="notice" safe>
              {tr(l, T.mailboxHint)}
            </p>
            {rows.length === 0 ? (
              <p safe>{tr(l, T.empty)}</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col" safe>{tr(l, T.time)}</th>
                      <th scope="col" safe>{tr(l, T.channel)}</th>
                      <th scope="col" safe>{tr(l, T.to)}</th>
                      <th scope="col" safe>{tr(l, T.subject)}</th>
                      <th scope="col" safe>{tr(l, T.status)}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.slice(0, PAGE).map((m) => (
                      <tr>
                        <td safe>{formatDateTime(l, m.created_at)}</td>
                        <td>{m.channel}</td>
                        <td safe>{m.to_address}</td>
                        <td>
                          <a href={`/dev/mailbox/${m.id}`} safe>
                            {m.subject}
                          </a>
                        </td>
                        <td safe>{tr(l, STATUS[m.status])}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {rows.length > PAGE ? (
              <p>
                <a href={`/dev/mailbox?page=${page + 1}`} safe>
                  {tr(l, T.older)}
                </a>
              </p>
            ) : (
              ''
            )}
          </Layout>,
        )
      },
    )

    app.get(
      '/dev/mailbox/:id',
      { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
      async (req, reply) => {
        const m = await getOutbox(db, (req.params as { id: string }).id)
        if (!m) throw new AppError('NOT_FOUND')
        const ctx = pageContext(req, reply, { devMailbox })
        const l = ctx.locale
        return reply.type('text/html; charset=utf-8').send(
          <Layout ctx={ctx} title={m.subject}>
            <h1 safe>{m.subject}</h1>
            <dl>
              <dt safe>{tr(l, T.to)}</dt>
              <dd safe>{`${m.to_address} (${m.channel})`}</dd>
              <dt safe>{tr(l, T.time)}</dt>
              <dd safe>{formatDateTime(l, m.created_at)}</dd>
              <dt safe>{tr(l, T.status)}</dt>
              <dd safe>{tr(l, STATUS[m.status])}</dd>
            </dl>
            <pre safe>{m.text_body}</pre>
            {linksIn(m.text_body).map((href) => (
              <p>
                <a href={href} safe>
                  {href}
                </a>
              </p>
            ))}
            <p>
              <a href="/dev/mailbox" safe>
                {tr(l, T.back)}
              </a>
            </p>
          </Layout>,
        )
      },
    )
  }

  app.get('/kotak-masuk', { config: { access: 'authenticated' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const messages = await listInbox(db, req.account!.id, { limit: 100 })
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.inboxTitle)}>
        <h1 safe>{tr(l, T.inboxTitle)}</h1>
        <p class="muted" safe>
          {tr(l, T.inboxHint)}
        </p>
        {messages.length === 0 ? <p safe>{tr(l, T.empty)}</p> : ''}
        <ul class="cards">
          {messages.map((m) => (
            <li>
              <h2 safe>{m.subject}</h2>
              <p class="muted">
                <span safe>{formatDateTime(l, m.created_at)}</span>
                {m.read_at ? (
                  ''
                ) : (
                  <>
                    {' · '}
                    <span class="status" safe>
                      {tr(l, T.unread)}
                    </span>
                  </>
                )}
              </p>
              <pre safe>{m.body}</pre>
              {m.link ? (
                <p>
                  <a href={m.link} safe>
                    {tr(l, T.open)}
                  </a>
                </p>
              ) : (
                ''
              )}
              {m.read_at ? (
                ''
              ) : (
                <form method="post" action={`/kotak-masuk/${m.id}/dibaca`}>
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="link" safe>
                    {tr(l, T.markRead)}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </Layout>,
    )
  })

  app.post(
    '/kotak-masuk/:id/dibaca',
    { config: { access: 'authenticated' }, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const ok = await markInboxRead(db, req.account!.id, (req.params as { id: string }).id)
      if (!ok) throw new AppError('NOT_FOUND')
      return reply.redirect('/kotak-masuk', 303)
    },
  )
}

const InboxItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  subject: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

/** The in-app inbox as JSON, for the app's own scripts and future mobile clients. */
export function registerInboxApi(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/api/v1/me/inbox',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['me'],
        summary: 'My in-app inbox: a copy of every message sent to me, newest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }),
        response: { 200: Type.Object({ unread: Type.Integer(), messages: Type.Array(InboxItem) }) },
      },
    },
    async (req) => {
      const limit = (req.query as { limit?: number }).limit ?? 20
      const accountId = req.account!.id
      const [rows, unread] = await Promise.all([listInbox(deps.database.db, accountId, { limit }), countUnread(deps.database.db, accountId)])
      return {
        unread,
        messages: rows.map((m) => ({
          id: m.id,
          subject: m.subject,
          body: m.body,
          link: m.link,
          createdAt: m.created_at.toISOString(),
          readAt: m.read_at ? m.read_at.toISOString() : null,
        })),
      }
    },
  )
}

/** Local links in a message body, made clickable in the dev mailbox. */
function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+|(?<=\s|^)\/[A-Za-z0-9/_?=&.-]+/g) ?? [])].slice(0, 10)
}
