/**
 * What a participant sees of the waves: the block on the dashboard (the states the real
 * programme uses), the page /gelombang with it and the list of waves, joining, "tell me
 * when a wave opens", and the card page /kartu with the countdown to the first purchase.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { AppError, errorMessage } from '../../platform/errors.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { ErrorSummary } from '../../web/forms.tsx'
import { findAccount, formatRupiah, getBalance } from '../ledger/index.ts'
import { formatCardNumber } from './card-number.ts'
import { cardOf } from './cards.service.ts'
import { joinWave, requestNotify, waveState, type WaveState } from './participation.service.ts'
import * as repo from './waves.repository.ts'
import { ineligibleText, STATUS } from './waves.texts.ts'
import type { WavesDeps } from './waves.service.ts'

const DAY = 86_400_000

const T = {
  heading: { id: 'Gelombang Kartu Prakerja', en: 'Card programme waves' },
  none: { id: 'Belum ada gelombang yang dibuka.', en: 'No wave is open.' },
  nextOpens: { id: 'Gelombang berikutnya, {name}, dibuka {date}.', en: 'The next wave, {name}, opens {date}.' },
  noNext: { id: 'Jadwal gelombang berikutnya belum diumumkan.', en: 'The next wave\'s dates are not announced yet.' },
  notify: { id: 'Kabari saya saat gelombang dibuka', en: 'Tell me when a wave opens' },
  notifyAsked: { id: 'Kami akan mengabari Anda lewat e-mail, SMS dan kotak masuk saat gelombang berikutnya dibuka.', en: 'We will tell you by e-mail, SMS and inbox when the next wave opens.' },
  join: { id: 'Ikut {name}', en: 'Join {name}' },
  joinOpen: { id: '{name} sedang dibuka sampai {date}. Wilayah undian Anda mengikuti domisili di data diri.', en: '{name} is open until {date}. Your draw area follows the domicile in your details.' },
  needProfile: { id: 'Untuk ikut, lengkapi dulu data diri Anda (4 langkah).', en: 'To join, first complete your details (4 steps).' },
  needChecks: { id: 'Untuk ikut, pemeriksaan data Anda harus lolos dulu. Lihat statusnya di data diri.', en: 'To join, your identity checks must pass first. See their status in your details.' },
  toProfile: { id: 'Buka data diri', en: 'Open your details' },
  waiting: { id: 'Anda terdaftar di {name}. Menunggu pendaftaran ditutup pada {date}; setelah itu pendaftar diperiksa dan diundi.', en: 'You are in {name}. Waiting for registration to close on {date}; then applicants are checked and drawn.' },
  carried: { id: 'Anda diikutkan otomatis karena belum terpilih di gelombang sebelumnya; tidak perlu mengisi apa pun lagi.', en: 'You were entered automatically as you were not selected in the previous wave; nothing to fill in again.' },
  processing: { id: 'Pendaftaran {name} sudah ditutup. Pendaftar sedang diproses: pemeriksaan syarat lalu undian. Hasilnya muncul di sini dan kami kabari.', en: 'Registration for {name} has closed. Applicants are being processed: eligibility checks, then the draw. The result appears here and we will tell you.' },
  selected: { id: 'Selamat, Anda terpilih di {name}! Kartu Anda sedang diterbitkan; nomor kartu dan saldo muncul di sini sebentar lagi.', en: 'Congratulations, you were selected in {name}! Your card is being issued; its number and balance appear here shortly.' },
  notSelected: { id: 'Anda belum terpilih di {name}. Anda otomatis diikutkan di gelombang berikutnya tanpa mendaftar ulang.', en: 'You were not selected in {name}. You will be entered in the next wave automatically, without registering again.' },
  ineligible: { id: 'Anda tidak memenuhi syarat di {name}: {reason}.', en: 'You were not eligible in {name}: {reason}.' },
  pseudonym: { id: 'ID undian Anda: {p}. Dengan ID ini Anda bisa menemukan diri Anda di berkas hasil undian, tanpa nama atau NIK.', en: 'Your draw ID: {p}. With it you can find yourself in the draw\'s published file, without name or NIK.' },
  waveDetails: { id: 'Detail dan hasil undian {code}', en: 'Details and draw of {code}' },
  cardActive: { id: 'Anda penerima Kartu Prakerja. Nomor kartu: {n}.', en: 'You hold a pre-employment card. Card number: {n}.' },
  cardRevoked: { id: 'Kartu Prakerja Anda ({n}) dicabut karena tidak ada pembelian pelatihan pertama sampai batas waktu.', en: 'Your card ({n}) was revoked because no first course was bought by the deadline.' },
  toCard: { id: 'Lihat kartu dan saldo', en: 'See your card and balance' },
  list: { id: 'Semua gelombang', en: 'All waves' },
  wave: { id: 'Gelombang', en: 'Wave' },
  status: { id: 'Status', en: 'Status' },
  window: { id: 'Pendaftaran', en: 'Registration' },
  noWaves: { id: 'Belum ada gelombang yang diumumkan.', en: 'No wave has been announced yet.' },
  loginToJoin: { id: 'Masuk untuk ikut gelombang dan melihat status Anda.', en: 'Log in to join a wave and see your status.' },
  joined: { id: 'Anda sudah terdaftar. ID undian Anda: {p}.', en: 'You have joined. Your draw ID: {p}.' },
  cardTitle: { id: 'Kartu Prakerja saya', en: 'My pre-employment card' },
  noCard: { id: 'Anda belum punya Kartu Prakerja. Ikuti gelombang dan tunggu hasil undian.', en: 'You have no card yet. Join a wave and wait for the draw.' },
  toWaves: { id: 'Lihat gelombang', en: 'See the waves' },
  number: { id: 'Nomor kartu', en: 'Card number' },
  balance: { id: 'Saldo pelatihan', en: 'Training balance' },
  history: { id: 'Riwayat saldo', en: 'Balance history' },
  deadline: { id: 'Batas pembelian pelatihan pertama', en: 'First-purchase deadline' },
  daysLeft: { id: 'Sisa {n} hari lagi (sampai {date}). Bila sampai saat itu belum ada pembelian, kartu dicabut dan saldo kembali ke negara.', en: '{n} days left (until {date}). If nothing is bought by then, the card is revoked and the balance returns to the state.' },
  lastDay: { id: 'Hari terakhir: sampai {date}. Beli pelatihan pertama sekarang, atau kartu dicabut.', en: 'Last day: until {date}. Buy your first course now, or the card is revoked.' },
  bought: { id: 'Pelatihan pertama sudah dibeli pada {date}.', en: 'First course bought on {date}.' },
  revokedAt: { id: 'Dicabut pada {date}. Saldo {amount} dikembalikan ke dana program.', en: 'Revoked on {date}. The balance of {amount} went back to the programme fund.' },
  expires: { id: 'Saldo berlaku sampai {date}.', en: 'The balance is valid until {date}.' },
  cardStatus: { id: 'Status kartu', en: 'Card status' },
  active: { id: 'Aktif', en: 'Active' },
  revoked: { id: 'Dicabut', en: 'Revoked' },
  finished: { id: 'Selesai', en: 'Finished' },
} satisfies Record<string, Text>

function Pseudonym({ l, p, code }: { l: Locale; p: string; code: string }): JSX.Element {
  return (
    <p>
      <span safe>{tr(l, T.pseudonym, { p })}</span>{' '}
      <a href={`/gelombang/${encodeURIComponent(code)}`} safe>
        {tr(l, T.waveDetails, { code })}
      </a>
    </p>
  )
}

/** The wave part of the participant's dashboard, for one state. */
export function WaveBlock({ l, state, csrfToken }: { l: Locale; state: WaveState; csrfToken: string }): JSX.Element {
  const notice = (text: string) => (
    <p class="notice" role="status" safe>
      {text}
    </p>
  )
  switch (state.kind) {
    case 'card': {
      const n = formatCardNumber(state.card.card_number)
      return (
        <>
          {notice(tr(l, state.card.status === 'revoked' ? T.cardRevoked : T.cardActive, { n }))}
          <p>
            <a class="button" href="/kartu" safe>
              {tr(l, T.toCard)}
            </a>
          </p>
        </>
      )
    }
    case 'waiting': {
      const a = state.application
      return (
        <>
          {notice(tr(l, T.waiting, { name: a.wave_name, date: formatDateTime(l, a.closes_at) }))}
          {a.carried_from ? <p safe>{tr(l, T.carried)}</p> : ''}
          <Pseudonym l={l} p={a.pseudonym} code={a.wave_code} />
        </>
      )
    }
    case 'processing':
    case 'selected': {
      const a = state.application
      return (
        <>
          {notice(tr(l, state.kind === 'processing' ? T.processing : T.selected, { name: a.wave_name }))}
          <Pseudonym l={l} p={a.pseudonym} code={a.wave_code} />
        </>
      )
    }
    case 'not_selected':
    case 'ineligible': {
      const a = state.application
      const text = state.kind === 'not_selected' ? tr(l, T.notSelected, { name: a.wave_name }) : tr(l, T.ineligible, { name: a.wave_name, reason: tr(l, ineligibleText(a.ineligible_reason)) })
      return (
        <>
          {notice(text)}
          <p safe>{state.next ? tr(l, T.nextOpens, { name: state.next.name, date: formatDateTime(l, state.next.opens_at) }) : tr(l, T.noNext)}</p>
          <Pseudonym l={l} p={a.pseudonym} code={a.wave_code} />
        </>
      )
    }
    case 'join': {
      const w = state.wave
      return (
        <>
          {notice(tr(l, T.joinOpen, { name: w.name, date: formatDateTime(l, w.closes_at) }))}
          {state.readiness.ready ? (
            <form method="post" action={`/gelombang/${encodeURIComponent(w.code)}/ikut`}>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <button type="submit" safe>
                {tr(l, T.join, { name: w.name })}
              </button>
            </form>
          ) : (
            <>
              <p safe>{tr(l, state.readiness.missing === 'profile' ? T.needProfile : T.needChecks)}</p>
              <p>
                <a href="/profil" safe>
                  {tr(l, T.toProfile)}
                </a>
              </p>
            </>
          )}
        </>
      )
    }
    case 'none':
      return (
        <>
          {notice(tr(l, T.none))}
          <p safe>{state.next ? tr(l, T.nextOpens, { name: state.next.name, date: formatDateTime(l, state.next.opens_at) }) : tr(l, T.noNext)}</p>
          {state.notifyRequested ? (
            <p class="status ok" safe>
              {tr(l, T.notifyAsked)}
            </p>
          ) : (
            <form method="post" action="/gelombang/kabari">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <button type="submit" safe>
                {tr(l, T.notify)}
              </button>
            </form>
          )}
        </>
      )
  }
}

export function registerParticipantWavePages(app: FastifyInstance, deps: AppDeps, wavesDeps: WavesDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox

  async function wavesPage(req: FastifyRequest, reply: FastifyReply, message: string | null, info: string | null) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const participant = ctx.account?.role === 'participant'
    const state = participant ? await waveState(wavesDeps, ctx.account!.id) : null
    const waves = await repo.listPublicWaves(db)
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.heading)}>
        <ErrorSummary locale={l} message={message} fields={[]} />
        <h1 safe>{tr(l, T.heading)}</h1>
        {info ? (
          <p class="notice" role="status" safe>
            {info}
          </p>
        ) : (
          ''
        )}
        {state ? <WaveBlock l={l} state={state} csrfToken={ctx.csrfToken} /> : ''}
        {!ctx.account ? (
          <p>
            <a href="/masuk?next=%2Fgelombang" safe>
              {tr(l, T.loginToJoin)}
            </a>
          </p>
        ) : (
          ''
        )}
        <h2 safe>{tr(l, T.list)}</h2>
        {waves.length === 0 ? (
          <p safe>{tr(l, T.noWaves)}</p>
        ) : (
          <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, T.list)}>
            <table>
              <thead>
                <tr>
                  <th scope="col" safe>{tr(l, T.wave)}</th>
                  <th scope="col" safe>{tr(l, T.window)}</th>
                  <th scope="col" safe>{tr(l, T.status)}</th>
                </tr>
              </thead>
              <tbody>
                {waves.map((w) => (
                  <tr>
                    <td>
                      <a href={`/gelombang/${encodeURIComponent(w.code)}`} safe>
                        {w.name}
                      </a>
                    </td>
                    <td safe>{`${formatDateTime(l, w.opens_at)} – ${formatDateTime(l, w.closes_at)}`}</td>
                    <td safe>{tr(l, STATUS[w.status])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    )
  }

  app.get('/gelombang', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => wavesPage(req, reply, null, null))

  app.post(
    '/gelombang/:code/ikut',
    { config: { access: ['participant'] }, schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 40 }) }) } },
    async (req, reply) => {
      const { code } = req.params as { code: string }
      try {
        const { pseudonym } = await joinWave(wavesDeps, req.account!.id, code)
        if (req.headers.accept?.includes('application/json')) return { pseudonym }
        return wavesPage(req, reply, null, tr(req.locale, T.joined, { p: pseudonym }))
      } catch (err) {
        if (!(err instanceof AppError) || !req.headers.accept?.includes('text/html') || err.code === 'NOT_FOUND') throw err
        reply.code(err.status)
        return wavesPage(req, reply, errorMessage(err.code, req.locale), null)
      }
    },
  )

  app.post('/gelombang/kabari', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => {
    await requestNotify(wavesDeps, req.account!.id)
    if (req.headers.accept?.includes('application/json')) return { ok: true }
    return reply.redirect('/gelombang', 303)
  })

  app.get('/kartu', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const card = await cardOf(wavesDeps, req.account!.id)
    const training = card ? await findAccount(db, 'participant_training', req.account!.id) : null
    const balance = training ? await getBalance(db, training.id) : null
    const application = card ? await repo.findApplication(db, card.wave_id, req.account!.id) : undefined
    const wave = card ? await repo.findWave(db, card.wave_id) : undefined
    const now = deps.clock.now()
    const daysLeft = card ? Math.ceil((card.first_purchase_deadline.getTime() - now.getTime()) / DAY) : 0
    const statusText: Record<string, Text> = { active: T.active, revoked: T.revoked, finished: T.finished }
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.cardTitle)}>
        <h1 safe>{tr(l, T.cardTitle)}</h1>
        {!card ? (
          <>
            <p safe>{tr(l, T.noCard)}</p>
            <p>
              <a href="/gelombang" safe>
                {tr(l, T.toWaves)}
              </a>
            </p>
          </>
        ) : (
          <>
            <dl>
              <dt safe>{tr(l, T.number)}</dt>
              <dd>
                <strong class="nowrap" safe>
                  {formatCardNumber(card.card_number)}
                </strong>
              </dd>
              <dt safe>{tr(l, T.cardStatus)}</dt>
              <dd>
                <span class={card.status === 'active' ? 'status ok' : 'status bad'} safe>
                  {tr(l, statusText[card.status]!)}
                </span>
              </dd>
              <dt safe>{tr(l, T.balance)}</dt>
              <dd>
                <strong safe>{formatRupiah(l, balance?.available ?? 0)}</strong> ·{' '}
                <a href="/saldo" safe>
                  {tr(l, T.history)}
                </a>
              </dd>
            </dl>
            <h2 safe>{tr(l, T.deadline)}</h2>
            {card.status === 'revoked' ? (
              <p safe>{tr(l, T.revokedAt, { date: formatDateTime(l, card.revoked_at ?? now), amount: formatRupiah(l, card.recovered_amount ?? 0) })}</p>
            ) : card.first_purchase_at ? (
              <p safe>{tr(l, T.bought, { date: formatDateTime(l, card.first_purchase_at) })}</p>
            ) : (
              <p class="notice" role="status" safe>
                {daysLeft <= 1 ? tr(l, T.lastDay, { date: formatDateTime(l, card.first_purchase_deadline) }) : tr(l, T.daysLeft, { n: daysLeft, date: formatDateTime(l, card.first_purchase_deadline) })}
              </p>
            )}
            {card.balance_expires_on ? <p safe>{tr(l, T.expires, { date: card.balance_expires_on })}</p> : ''}
            {application && wave ? <Pseudonym l={l} p={application.pseudonym} code={wave.code} /> : ''}
          </>
        )}
      </Layout>,
    )
  })
}
