/**
 * /bantuan/tiket: the agent console. The queue by channel, category and SLA urgency; a ticket
 * with the person's 360° view and every action; a phone call logged as a ticket.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { record } from '../../platform/audit/index.ts'
import { listPartners } from '../partners/index.ts'
import { formatRupiah } from '../ledger/index.ts'
import { readAttachment } from './attachments.ts'
import { CANNED, fillCanned } from './canned.ts'
import { agentAct, agentQueue, agentTicket, type AgentAction, type Staff } from './console.service.ts'
import { helpdeskDeps } from './deps.ts'
import { CATEGORIES, CHANNELS, type Category, type Channel } from './helpdesk.tables.ts'
import { CATEGORY, CHANNEL, SLA, STATE } from './helpdesk.texts.ts'
import * as repo from './helpdesk.repository.ts'
import { raiseTicket } from './tickets.service.ts'
import { agentActionDeps, mayAct, personAct, personExtras, STEP_WORDS, type PersonAction } from './agent-actions.service.ts'
import { describePayout, payoutTitle, partnerName } from '../incentives/index.ts'
import { REOPENABLE } from '../registration/index.ts'
import { formatVoucher } from '../purchases/index.ts'
import { CallbackPanel } from './callback.pages.tsx'

const ACCESS = { access: ['agent', 'supervisor'] as const }
const BASE = '/bantuan/tiket'

const T = {
  title: { id: 'Antrean tiket', en: 'Ticket queue' },
  all: { id: 'Semua', en: 'All' },
  mine: { id: 'Milik saya', en: 'Mine' },
  unassigned: { id: 'Belum ada pemilik', en: 'Unassigned' },
  filter: { id: 'Saring', en: 'Filter' },
  none: { id: 'Tidak ada tiket terbuka.', en: 'No open tickets.' },
  due: { id: 'Batas berikutnya', en: 'Next due' },
  owner: { id: 'Pemilik', en: 'Owner' },
  phoneTitle: { id: 'Catat panggilan telepon', en: 'Log a phone call' },
  logCall: { id: 'Buat tiket telepon', en: 'Create a phone ticket' },
  firstDue: { id: 'Jawaban pertama paling lambat', en: 'First answer due' },
  resolveDue: { id: 'Selesai paling lambat', en: 'Resolution due' },
  person: { id: 'Tentang orang ini (hanya baca)', en: 'About this person (read-only)' },
  anonymous: { id: 'Tidak terhubung ke akun: hanya kontak di tiket yang terlihat.', en: 'Not linked to an account: only the ticket’s contact is visible.' },
  answers: { id: 'Jawaban dari datanya', en: 'Answers from their data' },
  internal: { id: 'catatan internal', en: 'internal note' },
  hidden: { id: 'DISEMBUNYIKAN: {reason}', en: 'HIDDEN: {reason}' },
  reply: { id: 'Balas ke peserta', en: 'Reply to the participant' },
  canned: { id: 'Templat', en: 'Template' },
  useCanned: { id: 'Pakai templat', en: 'Use template' },
  thenOpen: { id: 'Kirim', en: 'Send' },
  thenAsk: { id: 'Kirim dan tunggu jawaban peserta', en: 'Send and wait for the participant' },
  thenResolve: { id: 'Kirim dan selesaikan', en: 'Send and resolve' },
  note: { id: 'Catatan internal', en: 'Internal note' },
  addNote: { id: 'Simpan catatan', en: 'Save the note' },
  handoff: { id: 'Teruskan ke mitra (kita tetap pemiliknya)', en: 'Hand to a partner (we keep ownership)' },
  partner: { id: 'Mitra', en: 'Partner' },
  question: { id: 'Pertanyaan untuk mitra', en: 'Question for the partner' },
  sendHandoff: { id: 'Teruskan', en: 'Hand off' },
  escalate: { id: 'Eskalasi', en: 'Escalate' },
  reason: { id: 'Alasan', en: 'Reason' },
  merge: { id: 'Gabung ke tiket lain dari orang yang sama', en: 'Merge into another ticket of the same person' },
  into: { id: 'Nomor tiket tujuan', en: 'Target ticket number' },
  take: { id: 'Ambil tiket ini', en: 'Take this ticket' },
  close: { id: 'Tutup', en: 'Close' },
  reopen: { id: 'Buka lagi', en: 'Reopen' },
  hide: { id: 'Sembunyikan (supervisor, dicatat)', en: 'Hide (supervisor, audited)' },
  handoffs: { id: 'Penerusan ke mitra', en: 'Partner hand-offs' },
  handoffLine: { id: '{partner}: {status}, batas {due}', en: '{partner}: {status}, due {due}' },
  csat: { id: 'Penilaian peserta: {score}/5 {comment}', en: 'Participant rating: {score}/5 {comment}' },
  done: { id: 'Tersimpan.', en: 'Saved.' },
  actions: { id: 'Tindakan atas akun (dicatat di log audit dengan nomor tiket)', en: 'Actions on the account (audited with the ticket number)' },
  resend: { id: 'Kirim ulang voucher', en: 'Resend the voucher' },
  payouts: { id: 'Insentif: jadwal dan status', en: 'Incentive: schedule and status' },
  payoutAccount: { id: 'Rekening tertaut: {partner} {masked} a.n. {holder}', en: 'Linked account: {partner} {masked}, holder {holder}' },
  noPayoutAccount: { id: 'Belum ada rekening tertaut.', en: 'No linked account yet.' },
  noPayouts: { id: 'Belum ada insentif terjadwal.', en: 'No incentive scheduled yet.' },
  contactChanges: { id: 'Permintaan ganti e-mail/HP (verifikasi ulang)', en: 'E-mail/phone change requests (re-verification)' },
  compare: { id: 'Bandingkan foto di antrean verifikasi ulang', en: 'Compare the photos in the re-verification queue' },
  approveChange: { id: 'Setujui perubahan kontak', en: 'Approve the contact change' },
  reopenStep: { id: 'Buka lagi langkah pendaftaran yang macet', en: 'Reopen a stuck registration step' },
  step: { id: 'Langkah', en: 'Step' },
  reopenButton: { id: 'Buka lagi', en: 'Reopen' },
  paused: { id: 'jam berhenti (menunggu mitra)', en: 'clock stopped (waiting on a partner)' },
} satisfies Record<string, Text>

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Query = Type.Object({ kanal: Type.Optional(Type.String({ maxLength: 10 })), kategori: Type.Optional(Type.String({ maxLength: 20 })), lihat: Type.Optional(Type.String({ maxLength: 10 })) })
const ActionBody = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 20 })),
  body: Type.Optional(Type.String({ maxLength: 200_000 })),
  then: Type.Optional(Type.String({ maxLength: 10 })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  into: Type.Optional(Type.String({ maxLength: 60 })),
  partner: Type.Optional(Type.String({ maxLength: 40 })),
  question: Type.Optional(Type.String({ maxLength: 200_000 })),
  messageId: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
})
const PersonBody = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 30 })),
  purchaseId: Type.Optional(Type.String({ format: 'uuid' })),
  requestId: Type.Optional(Type.String({ format: 'uuid' })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  step: Type.Optional(Type.String({ maxLength: 20 })),
})

function toPersonAction(b: Record<string, string | undefined>): PersonAction {
  switch (b.action) {
    case 'resend_voucher': return { kind: 'resend_voucher', purchaseId: b.purchaseId ?? '' }
    case 'approve_contact_change': return { kind: 'approve_contact_change', requestId: b.requestId ?? '', reason: b.reason ?? '' }
    case 'reopen_step': return { kind: 'reopen_step', step: (b.step ?? '') as never }
    default: throw new AppError('MALFORMED_REQUEST')
  }
}

function staffOf(req: FastifyRequest): Staff {
  return { id: req.account!.id, role: req.account!.role, requestId: String(req.id), ip: req.ip }
}

function toAction(b: Record<string, string | undefined>): AgentAction {
  switch (b.action) {
    case 'reply': return { kind: 'reply', body: b.body ?? '', then: b.then === 'ask' ? 'ask' : b.then === 'resolve' ? 'resolve' : 'open' }
    case 'note': return { kind: 'note', body: b.body ?? '' }
    case 'take': case 'close': case 'reopen': return { kind: b.action }
    case 'escalate': return { kind: 'escalate', reason: b.reason ?? '' }
    case 'merge': return { kind: 'merge', into: b.into ?? '' }
    case 'handoff': return { kind: 'handoff', partnerCode: b.partner ?? '', question: b.question ?? '' }
    case 'hide': return { kind: 'hide', messageId: b.messageId ?? '', reason: b.reason ?? '' }
    default: throw new AppError('MALFORMED_REQUEST')
  }
}

export function registerConsolePages(app: FastifyInstance, deps: AppDeps): void {
  const hd = helpdeskDeps(deps)
  const ad = agentActionDeps(deps)
  const devMailbox = deps.config.mail.devMailbox

  app.get(BASE, { config: ACCESS, schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const q = req.query as { kanal?: string; kategori?: string; lihat?: string }
    const channel = (CHANNELS as readonly string[]).includes(q.kanal ?? '') ? (q.kanal as Channel) : undefined
    const category = (CATEGORIES as readonly string[]).includes(q.kategori ?? '') ? (q.kategori as Category) : undefined
    const rows = await agentQueue(hd, staffOf(req), { channel, category, mine: q.lihat === 'saya', unassigned: q.lihat === 'kosong' })
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <form method="get" action={BASE} class="inline">
          <label for="kanal" safe>{tr(l, { id: 'Kanal', en: 'Channel' })}</label>
          <select id="kanal" name="kanal"><option value="" safe>{tr(l, T.all)}</option>{CHANNELS.map((c) => <option value={c} selected={c === channel} safe>{tr(l, CHANNEL[c])}</option>)}</select>{' '}
          <label for="kategori" safe>{tr(l, { id: 'Kategori', en: 'Category' })}</label>
          <select id="kategori" name="kategori"><option value="" safe>{tr(l, T.all)}</option>{CATEGORIES.map((c) => <option value={c} selected={c === category} safe>{tr(l, CATEGORY[c])}</option>)}</select>{' '}
          <label for="lihat" safe>{tr(l, T.owner)}</label>
          <select id="lihat" name="lihat"><option value="" safe>{tr(l, T.all)}</option><option value="saya" selected={q.lihat === 'saya'} safe>{tr(l, T.mine)}</option><option value="kosong" selected={q.lihat === 'kosong'} safe>{tr(l, T.unassigned)}</option></select>{' '}
          <button type="submit" class="secondary" safe>{tr(l, T.filter)}</button>
        </form>
        {rows.length === 0 ? <p safe>{tr(l, T.none)}</p> : ''}
        <div class="table-wrap"><table>
          <thead><tr>{['Nomor / No.', 'Perihal / Subject', tr(l, { id: 'Kategori', en: 'Category' }), tr(l, { id: 'Kanal', en: 'Channel' }), 'Status', tr(l, T.owner), tr(l, T.due), 'SLA'].map((h) => <th scope="col" safe>{h}</th>)}</tr></thead>
          <tbody>{rows.map((r) => (
            <tr>
              <td><a href={`${BASE}/${r.id}`} safe>{r.tracking}</a>{r.priority === 'high' ? ' ⚑' : ''}</td>
              <td safe>{r.subject}</td>
              <td safe>{tr(l, CATEGORY[r.category])}</td>
              <td safe>{tr(l, CHANNEL[r.channel])}</td>
              <td safe>{`${tr(l, STATE[r.state])}${r.paused ? ` · ${tr(l, T.paused)}` : ''}`}</td>
              <td safe>{r.owner_name ?? '—'}</td>
              <td safe>{formatDateTime(l, r.next_due_at)}</td>
              <td safe>{tr(l, SLA[r.sla])}</td>
            </tr>))}</tbody>
        </table></div>
        <h2 safe>{tr(l, T.phoneTitle)}</h2>
        <PhoneForm l={l} csrf={ctx.csrfToken} fields={[]} />
      </Layout>)
  })

  app.post(`${BASE}/telepon`, { config: ACCESS, schema: { hide: true, body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), contact: Type.Optional(Type.String({ maxLength: 200 })), category: Type.Optional(Type.String({ maxLength: 20 })), message: Type.Optional(Type.String({ maxLength: 200_000 })) }) } }, async (req, reply) => {
    const b = req.body as Record<string, string | undefined>
    const contact = (b.contact ?? '').trim()
    const category = (CATEGORIES as readonly string[]).includes(b.category ?? '') ? (b.category as Category) : 'other'
    const t = await raiseTicket(hd, { channel: 'phone', category, body: b.message ?? '', contact: { name: b.name ?? null, email: contact.includes('@') ? contact : null, phone: contact && !contact.includes('@') ? contact : null }, loggedBy: req.account!.id })
    await record(hd.db, { actorId: req.account!.id, actorRole: req.account!.role, action: 'helpdesk.phone.log', subjectType: 'helpdesk_ticket', subjectId: t.id, requestId: String(req.id), ip: req.ip }, hd.clock)
    return reply.redirect(`${BASE}/${t.id}`, 303)
  })

  async function ticketPage(req: FastifyRequest, reply: FastifyReply, id: string, s: { fields?: readonly FieldError[]; message?: string | null; body?: string }) {
    const d = await agentTicket(hd, staffOf(req), id)
    const partners = (await listPartners(hd.db)).filter((p) => p.status === 'active')
    const callback = await repo.findCallback(hd.db, id)
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const t = d.ticket
    const fields = s.fields ?? []
    const cannedKey = (req.query as { templat?: string } | undefined)?.templat
    const canned = CANNED.find((c) => c.key === cannedKey)
    const prefill = s.body ?? (canned ? fillCanned(canned.body, { name: t.contact_name ?? '', agent: req.account!.displayName.split(' ')[0]!, tracking: t.tracking, situation: d.answers.join(' ') }) : '')
    const p = d.person
    const extras = p && t.account_id ? await personExtras(ad, t.account_id) : null
    const role = req.account!.role
    const personForm = (name: string, label: string, extra: JSX.Element | string = '') => (
      <form method="post" action={`${BASE}/${t.id}/orang`} class="inline"><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value={name} />{extra}<button type="submit" class="secondary" safe>{label}</button></form>
    )
    const action = (name: string, label: string, extra: JSX.Element | string = '') => (
      <form method="post" action={`${BASE}/${t.id}/aksi`} class="inline"><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value={name} />{extra}<button type="submit" class="secondary" safe>{label}</button></form>
    )
    return sendPage(reply.header('cache-control', 'no-store'),
      <Layout ctx={ctx} title={t.tracking}>
        <ErrorSummary locale={l} message={s.message ?? null} fields={fields} />
        <h1 safe>{`${t.tracking} · ${t.subject}`}</h1>
        <dl>
          <dt>Status</dt><dd safe>{`${tr(l, STATE[t.state])} · ${tr(l, CATEGORY[t.category])} · ${tr(l, CHANNEL[t.channel])}${t.priority === 'high' ? ' · ⚑' : ''}`}</dd>
          <dt safe>{tr(l, T.firstDue)}</dt><dd safe>{`${formatDateTime(l, t.first_response_due_at)}${t.first_responded_at ? ` ✓ ${formatDateTime(l, t.first_responded_at)}` : ''}`}</dd>
          <dt safe>{tr(l, T.resolveDue)}</dt><dd safe>{formatDateTime(l, t.resolution_due_at)}</dd>
          <dt safe>{tr(l, { id: 'Kontak', en: 'Contact' })}</dt><dd safe>{[t.contact_name, t.contact_email, t.contact_phone].filter(Boolean).join(' · ')}</dd>
        </dl>
        <p>{t.owner_id !== req.account!.id ? action('take', tr(l, T.take)) : ''} {t.state === 'resolved' ? action('close', tr(l, T.close)) : ''} {t.state === 'resolved' || t.state === 'closed' ? action('reopen', tr(l, T.reopen)) : ''}</p>
        {d.csat ? <p class="notice" safe>{tr(l, T.csat, { score: d.csat.score, comment: d.csat.comment })}</p> : ''}
        {callback ? <CallbackPanel l={l} csrf={ctx.csrfToken} ticketId={t.id} callback={callback} /> : ''}
        <section aria-labelledby="person"><h2 id="person" safe>{tr(l, T.person)}</h2>
          {p ? (<ul>
            <li safe>{`${p.account?.display_name ?? ''} · ${p.account?.email ?? ''} · ${p.account?.phone ?? ''} · ${p.account?.status ?? ''}`}</li>
            <li safe>{`${tr(l, { id: 'Pemeriksaan data diri', en: 'Identity checks' })}: ${p.checks.state}`}</li>
            <li safe>{`${tr(l, { id: 'Gelombang', en: 'Wave' })}: ${p.wave.kind}${'application' in p.wave ? ` (${p.wave.application.wave_name})` : ''}`}</li>
            <li safe>{`${tr(l, { id: 'Kartu', en: 'Card' })}: ${p.card ? `•••• ${p.card.card_number.slice(-4)} (${p.card.status})` : '—'}`}</li>
            {p.balances.map((b) => <li safe>{`${b.type}: ${formatRupiah(l, b.available)} (${tr(l, { id: 'ditahan', en: 'held' })} ${formatRupiah(l, b.held)})`}</li>)}
            {p.purchases.map((x) => <li><span safe>{`${x.title} · ${x.platformName} · ${x.status}${x.voucherCode ? ` · ${formatVoucher(x.voucherCode)}` : ''} · ${x.events.map((e) => `${e.kind} ${formatDateTime(l, e.at)}`).join(' → ')}`}</span> {x.status === 'paid' && x.voucherCode && mayAct(role, 'resend_voucher') ? personForm('resend_voucher', tr(l, T.resend), <input type="hidden" name="purchaseId" value={x.id} />) : ''}</li>)}
            {p.inbox.map((m) => <li safe>{`✉ ${formatDateTime(l, m.created_at)} ${m.subject}`}</li>)}
            {p.tickets.filter((x) => x.id !== t.id).map((x) => <li><a href={`${BASE}/${x.id}`} safe>{x.tracking}</a> <span safe>{`${x.subject} · ${tr(l, STATE[x.state])}`}</span></li>)}
          </ul>) : <p safe>{tr(l, T.anonymous)}</p>}
          {extras ? (<>
            <h3 safe>{tr(l, T.payouts)}</h3>
            <p safe>{extras.incentives.account ? tr(l, T.payoutAccount, { partner: partnerName(extras.incentives.account.partner), masked: extras.incentives.account.masked, holder: extras.incentives.account.holderName }) : tr(l, T.noPayoutAccount)}</p>
            {extras.incentives.payouts.length ? <ul>{extras.incentives.payouts.map((x) => <li safe>{`${payoutTitle(l, x)} — ${describePayout(l, x)}`}</li>)}</ul> : <p safe>{tr(l, T.noPayouts)}</p>}
            <h3 safe>{tr(l, T.actions)}</h3>
            {extras.reverifications.length ? (<><h4 safe>{tr(l, T.contactChanges)}</h4><ul>{extras.reverifications.map((r) => (
              <li><span safe>{`${formatDateTime(l, r.proven_at ?? r.created_at)} · ${[r.new_email, r.new_phone].filter(Boolean).join(', ')} · ${r.status} · NIK ${r.nik_matched ? '✓' : '✗'} KK ${r.kk_matched ? '✓' : '✗'}`}</span> <a href={`/bantuan/verifikasi-ulang/${r.id}`} safe>{tr(l, T.compare)}</a>
                {r.status === 'queued' && mayAct(role, 'approve_contact_change') ? personForm('approve_contact_change', tr(l, T.approveChange), <><input type="hidden" name="requestId" value={r.id} /> <label for={`rv-${r.id}`} safe>{tr(l, T.reason)}</label> <input id={`rv-${r.id}`} name="reason" /> </>) : ''}</li>))}</ul></>) : ''}
            {mayAct(role, 'reopen_step') ? personForm('reopen_step', tr(l, T.reopenButton), <><label for="reopen-step" safe>{tr(l, T.reopenStep)}</label> <select id="reopen-step" name="step">{REOPENABLE.filter((s2) => s2 !== 'checks' || mayAct(role, 'rerun_checks')).map((s2) => <option value={s2} safe>{tr(l, STEP_WORDS[s2])}</option>)}</select> </>) : ''}
          </>) : ''}
          {d.answers.length ? (<><h3 safe>{tr(l, T.answers)}</h3><ul>{d.answers.map((a) => <li safe>{a}</li>)}</ul></>) : ''}
        </section>
        {d.handoffs.length ? (<section><h2 safe>{tr(l, T.handoffs)}</h2><ul>{d.handoffs.map((h) => <li safe>{`${tr(l, T.handoffLine, { partner: h.partner_name, status: h.status, due: formatDateTime(l, h.due_at) })} — ${h.question}${h.answer ? ` ⇒ ${h.answer}` : ''}`}</li>)}</ul></section>) : ''}
        <h2 safe>{tr(l, { id: 'Percakapan', en: 'Conversation' })}</h2>
        <ol class="messages">{d.messages.map((m) => (
          <li>
            <p><strong safe>{`${m.author_kind}${m.author_name ? ` ${m.author_name}` : ''}${m.partner_name ? ` ${m.partner_name}` : ''}`}</strong> <span class="muted" safe>{`${formatDateTime(l, m.created_at)} · ${m.via}${m.internal ? ` · ${tr(l, T.internal)}` : ''}`}</span></p>
            {m.hidden_at ? <p class="muted" safe>{tr(l, T.hidden, { reason: m.hidden_reason ?? '' })}</p> : ''}
            <p style="white-space:pre-wrap" safe>{m.body}</p>
            {d.attachments.filter((a) => a.message_id === m.id).map((a) => <p><a href={`${BASE}/${t.id}/lampiran/${a.id}`} safe>{`📎 ${a.file_name} (${a.content_type}, ${Math.ceil(a.size_bytes / 1024)} KB)`}</a></p>)}
            {req.account!.role === 'supervisor' && !m.hidden_at && m.author_kind === 'participant' ? action('hide', tr(l, T.hide), <><input type="hidden" name="messageId" value={m.id} /><label for={`reason-${m.id}`} safe>{tr(l, T.reason)}</label> <input id={`reason-${m.id}`} name="reason" /> </>) : ''}
          </li>))}</ol>
        <form method="get" action={`${BASE}/${t.id}`} class="inline"><label for="templat" safe>{tr(l, T.canned)}</label> <select id="templat" name="templat">{CANNED.map((c) => <option value={c.key} selected={c.key === cannedKey} safe>{tr(l, c.title)}</option>)}</select> <button type="submit" class="secondary" safe>{tr(l, T.useCanned)}</button></form>
        <form method="post" action={`${BASE}/${t.id}/aksi`} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value="reply" />
          <label for="body" safe>{tr(l, T.reply)}</label>
          {fields.filter((f) => f.field === 'body').map((f) => <span class="field-error" id="body-error" safe>{f[l]}</span>)}
          <textarea id="body" name="body" rows="8" safe>{prefill}</textarea>
          <p class="actions"><button type="submit" name="then" value="open" safe>{tr(l, T.thenOpen)}</button> <button type="submit" name="then" value="ask" class="secondary" safe>{tr(l, T.thenAsk)}</button> <button type="submit" name="then" value="resolve" class="secondary" safe>{tr(l, T.thenResolve)}</button></p>
        </form>
        <form method="post" action={`${BASE}/${t.id}/aksi`}><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value="note" /><label for="note" safe>{tr(l, T.note)}</label><textarea id="note" name="body" rows="3"></textarea><p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.addNote)}</button></p></form>
        <form method="post" action={`${BASE}/${t.id}/aksi`}><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value="handoff" />
          <h2 safe>{tr(l, T.handoff)}</h2>
          <label for="partner" safe>{tr(l, T.partner)}</label><select id="partner" name="partner">{partners.map((x) => <option value={x.code} safe>{`${x.name} (${x.kind})`}</option>)}</select>
          <label for="question" safe>{tr(l, T.question)}</label>{fields.filter((f) => f.field === 'question' || f.field === 'partner').map((f) => <span class="field-error" safe>{f[l]}</span>)}<textarea id="question" name="question" rows="3"></textarea>
          <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.sendHandoff)}</button></p></form>
        <form method="post" action={`${BASE}/${t.id}/aksi`}><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value="escalate" /><Field locale={l} name="reason" label={`${tr(l, T.escalate)}: ${tr(l, T.reason)}`} errors={fields} /><p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.escalate)}</button></p></form>
        <form method="post" action={`${BASE}/${t.id}/aksi`}><input type="hidden" name="_csrf" value={ctx.csrfToken} /><input type="hidden" name="action" value="merge" /><Field locale={l} name="into" label={`${tr(l, T.merge)}: ${tr(l, T.into)}`} errors={fields} /><p class="actions"><button type="submit" class="secondary" safe>{tr(l, { id: 'Gabung', en: 'Merge' })}</button></p></form>
      </Layout>)
  }

  app.get(`${BASE}/:id`, { config: ACCESS, schema: { hide: true, params: Id, querystring: Type.Object({ templat: Type.Optional(Type.String({ maxLength: 40 })) }) } }, async (req, reply) => ticketPage(req, reply, (req.params as { id: string }).id, {}))

  app.post(`${BASE}/:id/aksi`, { config: ACCESS, schema: { hide: true, params: Id, body: ActionBody } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    const b = req.body as Record<string, string | undefined>
    try {
      await agentAct(hd, staffOf(req), id, toAction(b))
      return reply.redirect(`${BASE}/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'TICKET_STATE'].includes(err.code)) throw err
      reply.code(err.status)
      return ticketPage(req, reply, id, { fields: err.fields, message: errorMessage(err.code, req.locale), body: b.action === 'reply' ? (b.body ?? '') : undefined })
    }
  })

  app.post(`${BASE}/:id/orang`, { config: ACCESS, schema: { hide: true, params: Id, body: PersonBody } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    try {
      await personAct(ad, staffOf(req), id, toPersonAction(req.body as Record<string, string | undefined>))
      return reply.redirect(`${BASE}/${id}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'TICKET_STATE', 'REVERIFICATION_DECIDED'].includes(err.code)) throw err
      reply.code(err.status)
      return ticketPage(req, reply, id, { fields: err.fields, message: errorMessage(err.code, req.locale) })
    }
  })

  app.get(`${BASE}/:id/lampiran/:aid`, { config: ACCESS, schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }), aid: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    const { id, aid } = req.params as { id: string; aid: string }
    const a = await repo.findAttachment(hd.db, aid)
    if (!a || a.ticket_id !== id) throw new AppError('NOT_FOUND')
    const bytes = await readAttachment(hd.uploadsDir, a.storage_key)
    await record(hd.db, { actorId: req.account!.id, actorRole: req.account!.role, action: 'helpdesk.attachment.view', subjectType: 'helpdesk_ticket', subjectId: id, details: { attachmentId: aid }, requestId: String(req.id), ip: req.ip }, hd.clock)
    return reply.type(a.content_type).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').header('content-disposition', `attachment; filename="${a.file_name.replace(/"/g, '')}"`).send(bytes)
  })
}

function PhoneForm(props: { l: 'id' | 'en'; csrf: string; fields: readonly FieldError[] }): JSX.Element {
  const l = props.l
  return (
    <form method="post" action={`${BASE}/telepon`} novalidate>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <Field locale={l} name="name" label={tr(l, { id: 'Nama penelepon', en: 'Caller’s name' })} errors={props.fields} />
      <Field locale={l} name="contact" label={tr(l, { id: 'E-mail atau nomor HP penelepon', en: 'Caller’s e-mail or mobile number' })} errors={props.fields} />
      <label for="phone-category" safe>{tr(l, { id: 'Kategori', en: 'Category' })}</label>
      <select id="phone-category" name="category">{CATEGORIES.map((c) => <option value={c} safe>{tr(l, CATEGORY[c])}</option>)}</select>
      <label for="phone-message" safe>{tr(l, { id: 'Ringkasan panggilan', en: 'Summary of the call' })}</label>
      <textarea id="phone-message" name="message" rows="4"></textarea>
      <p class="actions"><button type="submit" class="secondary" safe>{tr(l, T.logCall)}</button></p>
    </form>
  )
}
