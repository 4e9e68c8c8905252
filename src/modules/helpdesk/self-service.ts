/**
 * Answers from the person's own data, shown before a ticket is raised and beside it for the
 * agent: an automatic answer only when it holds the person's real situation (BRIEF P3).
 * Read-only, through other modules' public doors.
 */
import type { Db } from '../../platform/db/database.ts'
import type { Clock } from '../../platform/clock.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { myPurchases, PURCHASE_STATUS_TEXT } from '../purchases/index.ts'
import { myLearning } from '../learning/index.ts'
import { waveState } from '../waves/index.ts'
import { checkStatus } from '../registration/index.ts'
import type { Category } from './helpdesk.tables.ts'

export interface SelfServiceDeps {
  readonly db: Db
  readonly clock: Clock
  readonly identity: IdentityCipher
}

const T = {
  certReview: { id: 'Laporan kelulusan "{course}" dilaporkan oleh {provider} pada {reported} dan sedang diverifikasi, perkiraan selesai {due}.', en: 'The completion of "{course}" was reported by {provider} on {reported} and is being verified, expected by {due}.' },
  certIssued: { id: 'Sertifikat "{course}" sudah terbit pada {date}, nomor {number}. Lihat di Pelatihan saya.', en: 'The certificate for "{course}" was issued on {date}, number {number}. See My courses.' },
  certWaiting: { id: '"{course}": {provider} belum melaporkan kelulusan Anda (voucher ditukar {date}). Lembaga pelatihan yang harus melaporkannya; bila sudah lama, ajukan pengaduan dan kami teruskan ke mereka.', en: '"{course}": {provider} has not reported your completion yet (voucher redeemed {date}). The provider must report it; if it has been long, raise a complaint and we hand it to them.' },
  purchase: { id: '"{course}" di {platform} — {status} (sejak {date}).', en: '"{course}" at {platform} — {status} (since {date}).' },
  noPurchase: { id: 'Belum ada pembelian pelatihan dengan kartu Anda.', en: 'No course has been bought with your card yet.' },
  checks: { id: 'Pemeriksaan data diri: {state}.', en: 'Identity checks: {state}.' },
} satisfies Record<string, Text>

const WAVE: Record<string, Text> = {
  card: { id: 'Anda lolos seleksi dan sudah memegang kartu Karya.', en: 'You were selected and hold a Karya card.' },
  waiting: { id: 'Anda sudah ikut gelombang "{wave}"; tunggu gelombang ditutup pada {date}.', en: 'You joined wave "{wave}"; wait for it to close on {date}.' },
  processing: { id: 'Gelombang "{wave}" sudah ditutup dan sedang diundi.', en: 'Wave "{wave}" has closed and the draw is being run.' },
  selected: { id: 'Anda terpilih di gelombang "{wave}"; kartu sedang diterbitkan.', en: 'You were selected in wave "{wave}"; the card is being issued.' },
  not_selected: { id: 'Anda belum terpilih di gelombang "{wave}" dan otomatis ikut gelombang berikutnya tanpa mendaftar ulang.', en: 'You were not selected in wave "{wave}" and are carried into the next wave automatically, without registering again.' },
  ineligible: { id: 'Anda tidak memenuhi syarat di gelombang "{wave}". Alasannya tertulis di Dasbor.', en: 'You were not eligible in wave "{wave}". The reason is on your dashboard.' },
  join: { id: 'Gelombang "{wave}" sedang dibuka sampai {date}: ikuti dari Dasbor.', en: 'Wave "{wave}" is open until {date}: join it from your dashboard.' },
  none: { id: 'Belum ada gelombang yang dibuka saat ini.', en: 'No wave is open right now.' },
}

const CHECK_STATE: Record<string, Text> = {
  not_started: { id: 'belum dimulai (lengkapi profil)', en: 'not started (complete your profile)' },
  pending: { id: 'sedang diperiksa', en: 'being checked' },
  passed: { id: 'lolos', en: 'passed' },
  failed: { id: 'tidak lolos (lihat alasannya di Profil)', en: 'not passed (see the reason on your profile)' },
}

/** Sentences about the person's own situation that fit the category; empty when we know nothing useful. */
export async function selfServiceAnswers(deps: SelfServiceDeps, accountId: string, category: Category | null, l: Locale): Promise<string[]> {
  const out: string[] = []
  const wants = (c: Category) => category === null || category === c
  if (wants('certificate') || wants('purchase')) {
    const [purchases, learning] = await Promise.all([myPurchases(deps.db, accountId), myLearning(deps.db, accountId)])
    for (const p of purchases) {
      const info = learning.get(p.id)
      const lastEvent = p.events[p.events.length - 1]
      if (wants('certificate')) {
        const reported = [...p.events].reverse().find((e) => e.kind === 'reported')
        const redeemed = p.events.find((e) => e.kind === 'redeemed')
        if (info?.certificate) out.push(tr(l, T.certIssued, { course: p.title, date: formatDateTime(l, info.certificate.issuedAt), number: info.certificate.number }))
        else if (info?.reviewDueAt && reported) out.push(tr(l, T.certReview, { course: p.title, provider: p.providerName, reported: formatDateTime(l, reported.at), due: formatDateTime(l, info.reviewDueAt) }))
        else if (p.status === 'redeemed' && redeemed) out.push(tr(l, T.certWaiting, { course: p.title, provider: p.providerName, date: formatDateTime(l, redeemed.at) }))
      }
      if (wants('purchase') && lastEvent) out.push(tr(l, T.purchase, { course: p.title, platform: p.platformName, status: tr(l, PURCHASE_STATUS_TEXT[p.status]), date: formatDateTime(l, lastEvent.at) }))
    }
    if (wants('purchase') && category === 'purchase' && purchases.length === 0) out.push(tr(l, T.noPurchase))
  }
  if (wants('wave')) {
    const w = await waveState(deps, accountId)
    const wave = 'application' in w ? w.application.wave_name : w.kind === 'join' ? w.wave.name : ''
    const date = 'application' in w ? formatDateTime(l, w.application.closes_at) : w.kind === 'join' ? formatDateTime(l, w.wave.closes_at) : ''
    out.push(tr(l, WAVE[w.kind]!, { wave, date }))
  }
  if (wants('verification') || wants('registration')) {
    const c = await checkStatus(deps.db, accountId)
    out.push(tr(l, T.checks, { state: tr(l, CHECK_STATE[c.state] ?? { id: c.state, en: c.state }) }))
  }
  return out
}
