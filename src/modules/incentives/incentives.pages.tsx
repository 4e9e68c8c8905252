/**
 * The participant's incentive page (/insentif): what is still needed to be eligible, the
 * linked payout account (with the cooling-off after a change), linking a bank account or
 * e-wallet confirmed by an SMS code, each payout in plain words, and a repayment claim.
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
import { formatRupiah } from '../ledger/index.ts'
import { PARTNERS, type PartnerCode } from './gateway.ts'
import { incentivesDeps } from './deps.ts'
import { confirmLink, startLink } from './linking.service.ts'
import { ensureSchedule } from './schedule.service.ts'
import { describePayout, partnerName, payoutTitle } from './incentives.texts.ts'
import { myIncentives } from './views.ts'

const T = {
  title: { id: 'Insentif', en: 'Incentive' },
  needs: { id: 'Syarat menerima insentif', en: 'What the incentive needs' },
  cert: { id: 'Pelatihan pertama selesai dengan sertifikat', en: 'First course completed with a certificate' },
  rating: { id: 'Ulasan pelatihan sudah diberikan', en: 'Course review given' },
  account: { id: 'Rekening bank atau dompet digital ditautkan', en: 'Bank account or e-wallet linked' },
  done: { id: 'sudah', en: 'done' },
  notYet: { id: 'belum', en: 'not yet' },
  toCourses: { id: 'Ke Pelatihan saya', en: 'Go to My courses' },
  linked: { id: 'Rekening insentif: {partner} {masked} atas nama {name}', en: 'Payout account: {partner} {masked} in the name of {name}' },
  cooling: { id: 'Rekening baru ini dipakai mulai {date} (masa tenggang 72 jam setelah penggantian, demi keamanan). Bukan Anda yang mengganti? Hubungi bantuan Karya sekarang.', en: 'This new account is used from {date} (a 72-hour cooling-off after a change, for your safety). Not you? Contact Karya help now.' },
  linkTitle: { id: 'Tautkan rekening', en: 'Link an account' },
  changeTitle: { id: 'Ganti rekening', en: 'Change the account' },
  linkIntro: { id: 'Rekening harus atas NIK dan nama Anda. Dompet digital harus sudah terverifikasi (KYC) dan memakai nomor ponsel yang terdaftar di Karya.', en: 'The account must be in your NIK and name. An e-wallet must be verified (KYC) and on the phone number registered in Karya.' },
  partner: { id: 'Bank atau dompet digital', en: 'Bank or e-wallet' },
  number: { id: 'Nomor rekening atau nomor ponsel dompet digital', en: 'Account number, or the e-wallet’s phone number' },
  send: { id: 'Kirim kode SMS', en: 'Send the SMS code' },
  schedule: { id: 'Jadwal insentif', en: 'Incentive schedule' },
  noSchedule: { id: 'Jadwal muncul di sini setelah semua syarat di atas terpenuhi.', en: 'The schedule appears here once everything above is done.' },
  claim: { id: 'Tagihan pengembalian: {amount}, paling lambat {date}. Alasan: {reason}', en: 'Repayment claim: {amount}, due by {date}. Reason: {reason}' },
  claimStatus: { id: 'Status tagihan', en: 'Claim status' },
  otpTitle: { id: 'Konfirmasi rekening', en: 'Confirm the account' },
  otpIntro: { id: 'Kami mengirim kode 6 angka ke {phone}. Rekening {partner} atas nama {name} ditautkan setelah kode benar.', en: 'We sent a 6-digit code to {phone}. The {partner} account in the name of {name} is linked once the code is right.' },
  code: { id: 'Kode SMS', en: 'SMS code' },
  confirm: { id: 'Tautkan rekening', en: 'Link the account' },
} satisfies Record<string, Text>

const CLAIM: Record<string, Text> = {
  open: { id: 'belum dibayar', en: 'not repaid yet' },
  overdue: { id: 'lewat batas waktu', en: 'overdue' },
  repaid: { id: 'lunas', en: 'repaid' },
}

function Check(props: { l: Locale; ok: boolean; label: Text }): JSX.Element {
  return (
    <li>
      <span safe>{tr(props.l, props.label)}</span>: <strong class={props.ok ? 'status ok' : 'status'} safe>{tr(props.l, props.ok ? T.done : T.notYet)}</strong>
    </li>
  )
}

export function registerIncentivePages(app: FastifyInstance, deps: AppDeps): void {
  const d = incentivesDeps(deps)
  const devMailbox = deps.config.mail.devMailbox
  const Form = Type.Record(Type.String(), Type.String({ maxLength: 200 }))
  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

  async function page(req: FastifyRequest, reply: FastifyReply, state: { fields: readonly FieldError[]; message: string | null; values: Record<string, string> }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const accountId = req.account!.id
    await ensureSchedule(d, d.db, accountId)
    const m = await myIncentives(d.db, accountId)
    const e = m.eligibility
    const now = deps.clock.now()
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        {m.claim ? (
          <p class="notice" role="status">
            <span safe>{tr(l, T.claim, { amount: formatRupiah(l, m.claim.amount), date: formatDateTime(l, m.claim.dueAt), reason: m.claim.reason })}</span>{' '}
            <strong safe>{`${tr(l, T.claimStatus)}: ${tr(l, CLAIM[m.claim.status]!)}`}</strong>
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.needs)}</h2>
        <ul>
          <Check l={l} ok={e.certificate} label={T.cert} />
          <Check l={l} ok={e.rating} label={T.rating} />
          <Check l={l} ok={e.account} label={T.account} />
        </ul>
        {!e.certificate || !e.rating ? (
          <p>
            <a href="/pelatihan-saya" safe>{tr(l, T.toCourses)}</a>
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.schedule)}</h2>
        {m.payouts.length === 0 ? <p safe>{tr(l, T.noSchedule)}</p> : ''}
        <ul class="timeline">
          {m.payouts.map((p) => (
            <li>
              <strong safe>{payoutTitle(l, p)}</strong>
              <br />
              <span class={p.status === 'failed' ? 'status bad' : p.status === 'paid' ? 'status ok' : 'status'} data-payout={p.status} safe>
                {describePayout(l, p)}
              </span>
            </li>
          ))}
        </ul>
        {m.account ? <p safe>{tr(l, T.linked, { partner: partnerName(m.account.partner), masked: m.account.masked, name: m.account.holderName })}</p> : ''}
        {m.account?.usableFrom && m.account.usableFrom > now ? (
          <p class="notice" role="status" safe>
            {tr(l, T.cooling, { date: formatDateTime(l, m.account.usableFrom) })}
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, m.account ? T.changeTitle : T.linkTitle)}</h2>
        <p class="muted" safe>{tr(l, T.linkIntro)}</p>
        <form method="post" action="/insentif/tautkan" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <label for="partner" safe>{tr(l, T.partner)}</label>
          <select id="partner" name="partner" required>
            {(Object.keys(PARTNERS) as PartnerCode[]).map((c) => (
              <option value={c} selected={state.values.partner === c}>
                {PARTNERS[c].name}
              </option>
            ))}
          </select>
          <Field locale={l} name="accountNumber" label={tr(l, T.number)} inputmode="numeric" autocomplete="off" value={state.values.accountNumber ?? ''} errors={state.fields} />
          <p>
            <button type="submit" safe>{tr(l, T.send)}</button>
          </p>
        </form>
      </Layout>,
    )
  }

  app.get('/insentif', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => page(req, reply, { fields: [], message: null, values: {} }))

  app.post('/insentif/tautkan', { config: { access: ['participant'] }, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    try {
      const r = await startLink(d, req.account!.id, { partner: b.partner ?? '', accountNumber: b.accountNumber ?? '' })
      return reply.redirect(`/insentif/konfirmasi/${r.linkId}`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || (err.status >= 500 && err.code !== 'INCENTIVE_PARTNER_UNAVAILABLE')) throw err
      reply.code(err.status)
      return page(req, reply, { fields: [...err.fields], message: errorMessage(err.code, req.locale), values: b })
    }
  })

  async function otpPage(req: FastifyRequest, reply: FastifyReply, id: string, state: { fields: readonly FieldError[]; message: string | null }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const link = await d.db.selectFrom('payout_accounts').select(['partner', 'holder_name', 'status']).where('id', '=', id).where('account_id', '=', req.account!.id).executeTakeFirst()
    if (!link) throw new AppError('NOT_FOUND')
    const phone = await d.db.selectFrom('accounts').select('phone').where('id', '=', req.account!.id).executeTakeFirstOrThrow()
    const masked = phone.phone ? `${phone.phone.slice(0, 5)}•••${phone.phone.slice(-3)}` : ''
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.otpTitle)}>
        <h1 safe>{tr(l, T.otpTitle)}</h1>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        <p safe>{tr(l, T.otpIntro, { phone: masked, partner: partnerName(link.partner), name: link.holder_name })}</p>
        <form method="post" action={`/insentif/konfirmasi/${id}`} novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Field locale={l} name="code" label={tr(l, T.code)} inputmode="numeric" autocomplete="one-time-code" errors={state.fields} />
          <p>
            <button type="submit" safe>{tr(l, T.confirm)}</button>
          </p>
        </form>
      </Layout>,
    )
  }

  app.get('/insentif/konfirmasi/:id', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams } }, async (req, reply) =>
    otpPage(req, reply, (req.params as { id: string }).id, { fields: [], message: null }),
  )

  app.post('/insentif/konfirmasi/:id', { config: { access: ['participant'] }, schema: { hide: true, params: IdParams, body: Form } }, async (req, reply) => {
    const id = (req.params as { id: string }).id
    try {
      await confirmLink(d, req.account!.id, id, (req.body as Record<string, string>).code ?? '')
      return reply.redirect('/insentif', 303)
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'INCENTIVE_OTP_INVALID' && err.code !== 'INCENTIVE_OTP_REFUSED')) throw err
      reply.code(err.status)
      if (err.code === 'INCENTIVE_OTP_REFUSED') return page(req, reply, { fields: [], message: errorMessage(err.code, req.locale), values: {} })
      return otpPage(req, reply, id, { fields: [{ field: 'code', id: errorMessage(err.code, 'id'), en: errorMessage(err.code, 'en') }], message: null })
    }
  })
}
