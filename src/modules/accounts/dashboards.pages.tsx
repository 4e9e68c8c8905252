import Html from '@kitajs/html'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr, type Text } from '../../platform/i18n/index.ts'
import { STAFF_ROLES, PARTNER_ROLES } from '../../platform/http/access.ts'
import { countUnread } from '../../platform/mail/index.ts'
import { countAccountsByRole } from './accounts.repository.ts'
import { checkStatus, checksSentence, profileView } from '../registration/index.ts'
import { WaveBlock, waveState } from '../waves/index.ts'

const ROLE_NAMES: Record<string, Text> = {
  participant: { id: 'Peserta', en: 'Participant' },
  officer: { id: 'Petugas pendaftaran', en: 'Registration officer' },
  agent: { id: 'Agen layanan pengaduan', en: 'Helpdesk agent' },
  supervisor: { id: 'Supervisor layanan pengaduan', en: 'Helpdesk supervisor' },
  pmo_admin: { id: 'Admin Manajemen Pelaksana (PMO)', en: 'Programme office (PMO) admin' },
  auditor: { id: 'Auditor', en: 'Auditor' },
  platform: { id: 'Mitra platform digital', en: 'Digital platform partner' },
  provider: { id: 'Lembaga pelatihan (LP)', en: 'Training provider' },
}

const T = {
  participantTitle: { id: 'Beranda saya', en: 'My dashboard' },
  status: { id: 'Status Anda', en: 'Your status' },
  profileIncomplete: {
    id: 'Profil belum lengkap: {done} dari 4 langkah selesai. Lengkapi data diri (NIK, KK, alamat, pendidikan) agar bisa ikut gelombang.',
    en: 'Profile incomplete: {done} of 4 steps done. Complete your details (NIK, KK, address, education) to join a wave.',
  },
  profileComplete: {
    id: 'Data diri lengkap. Berikutnya: pemeriksaan data ke Dukcapil dan daftar pengecualian.',
    en: 'Your details are complete. Next: checks with the civil registry and exclusion lists.',
  },
  continueProfile: { id: 'Lengkapi data diri', en: 'Complete your details' },
  viewProfile: { id: 'Lihat data diri', en: 'View your details' },
  wave: { id: 'Gelombang', en: 'Wave' },
  inbox: { id: 'Kotak masuk', en: 'Inbox' },
  unread: { id: '{n} pesan belum dibaca', en: '{n} unread messages' },
  inboxHint: {
    id: 'Semua pesan yang kami kirim lewat e-mail atau SMS juga tersimpan di sini, jadi tidak ada yang hilang walau e-mail Anda tidak bisa dibuka.',
    en: 'Every message we send by e-mail or SMS is also kept here, so nothing is lost even if you cannot open your e-mail.',
  },
  open: { id: 'Buka kotak masuk', en: 'Open inbox' },
  staffTitle: { id: 'Konsol petugas', en: 'Staff console' },
  partnerTitle: { id: 'Konsol mitra', en: 'Partner console' },
  role: { id: 'Peran', en: 'Role' },
  accounts: { id: 'Akun terdaftar per peran', en: 'Accounts by role' },
  count: { id: 'Jumlah', en: 'Count' },
  audit: { id: 'Log audit dan pemeriksaan rantainya', en: 'Audit log and its chain check' },
  partnerCode: { id: 'Kode mitra', en: 'Partner code' },
  apiDocs: {
    id: 'Dokumentasi API mitra (OpenAPI) ada di /api/docs.',
    en: 'The partner API documentation (OpenAPI) is at /api/docs.',
  },
}

export function registerDashboardRoutes(app: FastifyInstance, deps: AppDeps): void {
  const devMailbox = deps.config.mail.devMailbox
  const db = deps.database.db

  app.get('/beranda', { config: { access: ['participant'] }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const [unread, profile, checks] = await Promise.all([
      countUnread(db, req.account!.id),
      profileView({ db, clock: deps.clock, identity: deps.identity }, req.account!.id),
      checkStatus(db, req.account!.id),
    ])
    const waveNow = await waveState({ db, clock: deps.clock, identity: deps.identity }, req.account!.id)
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.participantTitle)}>
        <h1 safe>{tr(l, T.participantTitle)}</h1>
        <h2 safe>{tr(l, T.status)}</h2>
        <p class="notice" role="status" safe>
          {profile.completedAt ? (checksSentence(l, checks) ?? tr(l, T.profileComplete)) : tr(l, T.profileIncomplete, { done: profile.stepsDone.length })}
        </p>
        <p>
          <a class="button" href="/profil" safe>
            {tr(l, profile.completedAt ? T.viewProfile : T.continueProfile)}
          </a>
        </p>
        <h2 safe>{tr(l, T.wave)}</h2>
        <WaveBlock l={l} state={waveNow} csrfToken={ctx.csrfToken} />
        <p>
          <a href="/insentif" safe>
            {tr(l, { id: 'Insentif: rekening dan jadwal pembayaran', en: 'Incentive: payout account and schedule' })}
          </a>
        </p>
        <h2 safe>{tr(l, T.inbox)}</h2>
        <p>
          <span class="status" safe>
            {tr(l, T.unread, { n: unread })}
          </span>
        </p>
        <p class="muted" safe>
          {tr(l, T.inboxHint)}
        </p>
        <p>
          <a href="/kotak-masuk" safe>
            {tr(l, T.open)}
          </a>
        </p>
      </Layout>,
    )
  })

  app.get('/staf', { config: { access: STAFF_ROLES }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const role = req.account!.role
    const counts = role === 'pmo_admin' || role === 'auditor' ? await countAccountsByRole(db) : []
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.staffTitle)}>
        <h1 safe>{tr(l, T.staffTitle)}</h1>
        <p>
          <span safe>{tr(l, T.role)}</span>: <strong safe>{tr(l, ROLE_NAMES[role]!)}</strong>
        </p>
        {role === 'officer' ? (
          <p>
            <a class="button" href="/petugas/daftar" safe>
              {tr(l, { id: 'Daftarkan orang (pendaftaran dibantu)', en: 'Register a person (assisted registration)' })}
            </a>{' '}
            <a href="/petugas" safe>
              {tr(l, { id: 'Orang yang didaftarkan petugas', en: 'People registered by officers' })}
            </a>
          </p>
        ) : (
          ''
        )}
        {counts.length > 0 ? (
          <>
            <h2 safe>{tr(l, T.accounts)}</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col" safe>
                      {tr(l, T.role)}
                    </th>
                    <th scope="col" safe>
                      {tr(l, T.count)}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {counts.map((c) => (
                    <tr>
                      <td safe>{tr(l, ROLE_NAMES[c.role]!)}</td>
                      <td safe>{String(c.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <a href="/pmo/audit" safe>
                {tr(l, T.audit)}
              </a>
            </p>
          </>
        ) : (
          ''
        )}
      </Layout>,
    )
  })

  app.get('/mitra', { config: { access: PARTNER_ROLES }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const a = req.account!
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.partnerTitle)}>
        <h1 safe>{tr(l, T.partnerTitle)}</h1>
        <p>
          <span safe>{tr(l, T.role)}</span>: <strong safe>{tr(l, ROLE_NAMES[a.role]!)}</strong>
        </p>
        <p>
          <span safe>{tr(l, T.partnerCode)}</span>: <code safe>{a.partnerCode ?? '-'}</code>
        </p>
        <p safe>{tr(l, T.apiDocs)}</p>
      </Layout>,
    )
  })
}

export { ROLE_NAMES }
