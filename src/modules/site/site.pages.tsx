import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext } from '../../web/page-context.ts'
import { tr } from '../../platform/i18n/index.ts'
import { LOCALE_COOKIE } from '../../platform/http/locale.ts'
import { safeNext } from '../accounts/accounts.service.ts'

const T = {
  title: { id: 'Kartu Prakerja bersama Karya', en: 'The Pre-employment Card with Karya' },
  lead: {
    id: 'Program Kartu Prakerja memberi bantuan biaya pelatihan untuk meningkatkan keterampilan kerja, lalu insentif setelah pelatihan pertama selesai. Karya adalah sistem yang menjalankannya.',
    en: 'The Pre-employment Card programme pays for training that improves work skills, then an incentive after the first course is finished. Karya is the system that runs it.',
  },
  stateTitle: { id: 'Status program saat ini', en: 'Programme status now' },
  noWave: {
    id: 'Belum ada gelombang pendaftaran yang dibuka. Tanggal pembukaan berikutnya akan diumumkan di halaman ini.',
    en: 'No registration wave is open. The next opening date will be announced on this page.',
  },
  stepsTitle: { id: 'Cara kerjanya', en: 'How it works' },
  steps: [
    { id: 'Buat akun dan lengkapi data diri (NIK, KK, alamat). Setiap langkah tersimpan otomatis.', en: 'Create an account and fill in your details (NIK, KK, address). Every step is saved as you go.' },
    { id: 'Data Anda diperiksa ke Dukcapil dan daftar pengecualian; Anda bisa melihat hasilnya.', en: 'Your data is checked with the civil registry and exclusion lists; you can see the result.' },
    { id: 'Ikut gelombang untuk domisili Anda. Penerima diundi secara acak dan adil, dan undiannya bisa diperiksa siapa pun.', en: 'Join a wave for where you live. Recipients are drawn at random, fairly, in a draw anyone can check.' },
    { id: 'Penerima mendapat saldo pelatihan untuk membeli pelatihan di platform mitra, daring atau tatap muka.', en: 'Recipients get a training balance to buy courses at partner platforms, online or face to face.' },
    { id: 'Setelah sertifikat pelatihan pertama terbit, insentif dibayar ke rekening bank atau e-wallet atas nama Anda.', en: 'Once the first course certificate is issued, the incentive is paid to a bank or e-wallet account in your name.' },
  ],
  eligibility: { id: 'Siapa yang boleh mendaftar', en: 'Who may register' },
  eligibilityText: {
    id: 'Warga negara Indonesia berusia 18–64 tahun yang tidak sedang sekolah atau kuliah. Tidak untuk pejabat negara, ASN, TNI, Polri, kepala dan perangkat desa, serta direksi BUMN/BUMD.',
    en: 'Indonesian citizens aged 18–64 who are not in school or university. Not for state officials, civil servants, the armed forces, the police, village heads and officials, or boards of state-owned companies.',
  },
  login: { id: 'Masuk ke akun', en: 'Log in' },
  signUp: { id: 'Buat akun baru', en: 'Create an account' },
}

export function registerSiteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const devMailbox = deps.config.mail.devMailbox

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    return reply.type('text/html; charset=utf-8').send(
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.lead)}</p>
        <h2 safe>{tr(l, T.stateTitle)}</h2>
        <p class="notice" role="status" safe>
          {tr(l, T.noWave)}
        </p>
        <h2 safe>{tr(l, T.stepsTitle)}</h2>
        <ol>
          {T.steps.map((s) => (
            <li safe>{tr(l, s)}</li>
          ))}
        </ol>
        <h2 safe>{tr(l, T.eligibility)}</h2>
        <p safe>{tr(l, T.eligibilityText)}</p>
        {ctx.account ? (
          ''
        ) : (
          <p class="actions">
            <a class="button" href="/daftar" safe>
              {tr(l, T.signUp)}
            </a>{' '}
            <a href="/masuk" safe>
              {tr(l, T.login)}
            </a>
          </p>
        )}
        <p>
          <a href="/status" safe>{tr(l, { id: 'Status program dan undian gelombang', en: 'Programme status and wave draws' })}</a> ·{' '}
          <a href="/statistik" safe>{tr(l, { id: 'Statistik program', en: 'Programme statistics' })}</a> ·{' '}
          <a href="/sertifikat" safe>{tr(l, { id: 'Periksa sertifikat', en: 'Check a certificate' })}</a>
        </p>
      </Layout>,
    )
  })

  // A GET because it only sets a display preference; it works from a plain link without JavaScript.
  app.get(
    '/lang/:locale',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: Type.Object({ locale: Type.Union([Type.Literal('id'), Type.Literal('en')]) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (req, reply) => {
      const { locale } = req.params as { locale: 'id' | 'en' }
      const next = safeNext((req.query as { next?: string }).next) ?? '/'
      reply.setCookie(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, httpOnly: true })
      return reply.redirect(next, 303)
    },
  )
}
