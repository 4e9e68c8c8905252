import Html, { type Children } from '@kitajs/html'
import { tr, type Text } from '../platform/i18n/index.ts'
import type { PageContext } from './page-context.ts'
import type { Role } from '../modules/accounts/accounts.tables.ts'

const T = {
  skip: { id: 'Langsung ke isi', en: 'Skip to content' },
  tagline: { id: 'Program Kartu Prakerja', en: 'Pre-employment Card Programme' },
  login: { id: 'Masuk', en: 'Log in' },
  logout: { id: 'Keluar', en: 'Log out' },
  inbox: { id: 'Kotak masuk', en: 'Inbox' },
  dashboard: { id: 'Beranda saya', en: 'My dashboard' },
  staff: { id: 'Konsol petugas', en: 'Staff console' },
  partner: { id: 'Konsol mitra', en: 'Partner console' },
  audit: { id: 'Log audit', en: 'Audit log' },
  fraud: { id: 'Sinyal kecurangan', en: 'Fraud signals' },
  myData: { id: 'Data saya', en: 'My data' },
  itemBank: { id: 'Bank soal', en: 'Item bank' },
  checks: { id: 'Pemeriksaan tertunda', en: 'Waiting checks' },
  test: { id: 'Tes daring', en: 'Online test' },
  profile: { id: 'Data diri', en: 'Details' },
  account: { id: 'Akun', en: 'Account' },
  signUp: { id: 'Buat akun', en: 'Create account' },
  balance: { id: 'Riwayat saldo', en: 'Balance history' },
  fund: { id: 'Dana program', en: 'Programme fund' },
  waves: { id: 'Gelombang', en: 'Waves' },
  card: { id: 'Kartu saya', en: 'My card' },
  mailbox: { id: 'Kotak surat (dev)', en: 'Mailbox (dev)' },
  language: { id: 'Bahasa', en: 'Language' },
  helpdesk: {
    id: 'Butuh bantuan? Layanan pengaduan buka setiap hari pukul 08.00–20.00 WIB.',
    en: 'Need help? The helpdesk is open every day, 08:00–20:00 WIB.',
  },
  signedInAs: { id: 'Masuk sebagai {name}', en: 'Signed in as {name}' },
  api: { id: 'Dokumentasi API', en: 'API documentation' },
} satisfies Record<string, Text>

export function homeFor(role: Role): string {
  if (role === 'participant') return '/beranda'
  if (role === 'platform' || role === 'provider') return '/mitra'
  return '/staf'
}

function nav(ctx: PageContext): JSX.Element {
  const l = ctx.locale
  const a = ctx.account
  const links: Array<[string, string]> = []
  if (a) {
    const home = homeFor(a.role)
    links.push([home, tr(l, home === '/beranda' ? T.dashboard : home === '/mitra' ? T.partner : T.staff)])
    links.push(['/kotak-masuk', tr(l, T.inbox)])
    if (a.role === 'participant') {
      links.push(['/profil', tr(l, T.profile)])
      links.push(['/tes', tr(l, T.test)])
      links.push(['/akun', tr(l, T.account)])
      links.push(['/data-saya', tr(l, T.myData)])
    }
    if (a.role === 'pmo_admin' || a.role === 'auditor') {
      links.push(['/pmo/audit', tr(l, T.audit)])
      links.push(['/pmo/sinyal', tr(l, T.fraud)])
      if (a.role === 'pmo_admin') {
        links.push(['/pmo/soal', tr(l, T.itemBank)])
        links.push(['/pmo/pemeriksaan', tr(l, T.checks)])
      }
    }
    if (a.role === 'participant') links.push(['/gelombang', tr(l, T.waves)], ['/kartu', tr(l, T.card)])
    if (a.role === 'participant') links.push(['/saldo', tr(l, T.balance)])
    if (a.role === 'officer') links.push(['/petugas', tr(l, { id: 'Pendaftaran dibantu', en: 'Assisted registration' })])
    if (a.role === 'agent' || a.role === 'supervisor') links.push(['/bantuan/verifikasi-ulang', tr(l, { id: 'Verifikasi ulang akun', en: 'Account re-verification' })])
    if (a.role === 'agent' || a.role === 'supervisor') links.push(['/bantuan/tiket', tr(l, { id: 'Tiket pengaduan', en: 'Tickets' })])
    if (a.role === 'supervisor') links.push(['/bantuan/papan', tr(l, { id: 'Papan supervisor', en: 'Supervisor board' })])
    if (a.role === 'platform' || a.role === 'provider') links.push(['/mitra/pengaduan', tr(l, { id: 'Pengaduan diteruskan', en: 'Handed-off complaints' })])
    if (a.role === 'pmo_admin' || a.role === 'auditor') links.push(['/pmo/gelombang', tr(l, T.waves)])
    if (a.role === 'pmo_admin' || a.role === 'auditor') links.push(['/pmo/dana', tr(l, T.fund)])
    if (a.role === 'pmo_admin' || a.role === 'auditor') links.push(['/pmo/penyelesaian', tr(l, { id: 'Verifikasi kelulusan', en: 'Completion reviews' })])
    if (a.role === 'pmo_admin' || a.role === 'auditor' || a.role === 'officer') links.push(['/pmo/ringkasan', tr(l, { id: 'Ringkasan program', en: 'Programme overview' })])
    if (a.role === 'pmo_admin' || a.role === 'auditor') links.push(['/pmo/keuangan', tr(l, { id: 'Keuangan program', en: 'Programme money' })], ['/pmo/integritas', tr(l, { id: 'Integritas', en: 'Integrity' })], ['/pmo/staf', tr(l, { id: 'Staf dan mitra', en: 'Staff and partners' })])
  }
  if (ctx.devMailbox) links.push(['/dev/mailbox', tr(l, T.mailbox)])
  return (
    <nav aria-label="Menu">
      <ul class="nav">
        {links.map(([href, label]) => (
          <li>
            <a href={href} aria-current={ctx.path.split('?')[0] === href ? 'page' : undefined} safe>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function Layout(props: { ctx: PageContext; title: string; children?: Children; head?: Children }): JSX.Element {
  const { ctx } = props
  const l = ctx.locale
  const other = l === 'id' ? 'en' : 'id'
  const next = encodeURIComponent(ctx.path)
  return (
    <>
      {'<!doctype html>'}
      <html lang={l}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} · Karya`}</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/app.css" />
          {props.head}
        </head>
        <body>
          <a class="skip" href="#isi" safe>
            {tr(l, T.skip)}
          </a>
          <header class="top">
            <div class="wrap top-row">
              <a class="brand" href="/">
                Karya <span safe>{tr(l, T.tagline)}</span>
              </a>
              <div class="top-actions">
                <a href={`/lang/${other}?next=${next}`} hreflang={other} lang={other}>
                  {other === 'en' ? 'English' : 'Bahasa Indonesia'}
                </a>
                {ctx.account ? (
                  <form method="post" action="/keluar" class="inline">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <button type="submit" class="link" safe>
                      {tr(l, T.logout)}
                    </button>
                  </form>
                ) : (
                  <>
                    <a href="/masuk" safe>
                      {tr(l, T.login)}
                    </a>
                    <a href="/daftar" safe>
                      {tr(l, T.signUp)}
                    </a>
                  </>
                )}
              </div>
            </div>
            <div class="wrap">{nav(ctx)}</div>
          </header>
          <main id="isi" class="wrap" tabindex="-1">
            {ctx.account ? (
              <p class="who" safe>
                {tr(l, T.signedInAs, { name: ctx.account.displayName })}
              </p>
            ) : (
              ''
            )}
            {props.children}
          </main>
          <footer class="wrap foot">
            <p safe>{tr(l, T.helpdesk)}</p>
            <p>
              <a href="/pengaduan" safe>{tr(l, { id: 'Buat atau lacak pengaduan', en: 'Raise or track a complaint' })}</a>
            </p>
            <p>
              <a href="/api/docs" safe>
                {tr(l, T.api)}
              </a>{' '}
              · <span class="nowrap" safe>{`ref ${ctx.requestId}`}</span>
            </p>
          </footer>
        </body>
      </html>
    </>
  )
}

export { Html }
