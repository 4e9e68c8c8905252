/**
 * Demo data for `npm start` and `npm run seed`. Idempotent: every row is keyed by
 * something stable (an e-mail), so a second run finds it and changes nothing.
 */
import type { AppDeps } from '../app-deps.ts'
import { transaction } from '../platform/db/database.ts'
import { hashPassword, insertAccountIfAbsent, type Role } from '../modules/accounts/index.ts'
import { seedItemBank } from '../modules/registration/index.ts'
import { seedDemoWaves } from '../modules/waves/demo.ts'
import { seedMarketplace } from '../sandboxes/marketplace/index.ts'
import { seedHelpdeskAgents } from '../modules/helpdesk/index.ts'
import { sandboxPaymentsFor, seedDemoPaymentAccounts } from '../sandboxes/payments/index.ts'

export const DEMO_PASSWORD = 'karya-demo-2026'

export interface DemoLogin {
  role: Role
  email: string
  displayName: string
  partnerCode?: string
  regionCode?: string
  /** With a verified phone, logging in takes a code by SMS (shown in the dev mailbox). */
  phone?: string
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { role: 'participant', email: 'peserta@karya.test', displayName: 'Siti Rahmawati', regionCode: '13.06', phone: '+6281200000001' },
  { role: 'agent', email: 'agen@karya.test', displayName: 'Dewi Lestari' },
  { role: 'supervisor', email: 'supervisor@karya.test', displayName: 'Bambang Sutrisno' },
  { role: 'pmo_admin', email: 'pmo@karya.test', displayName: 'Rina Wulandari' },
  { role: 'auditor', email: 'auditor@karya.test', displayName: 'Hendra Gunawan' },
  { role: 'officer', email: 'petugas@karya.test', displayName: 'Yusuf Hidayat', regionCode: '13.06' },
  { role: 'platform', email: 'platform@karya.test', displayName: 'Belajar Nusantara (platform demo)', partnerCode: 'demo-platform' },
  { role: 'provider', email: 'lp@karya.test', displayName: 'LP Tani Maju (lembaga pelatihan demo)', partnerCode: 'demo-provider' },
]

export interface SeedResult {
  created: string[]
  existing: string[]
}

/** With the clock, jobs and identity cipher it also funds the programme and opens a demo wave. */
export async function seedDemo(deps: Pick<AppDeps, 'database' | 'mail'> & Partial<Pick<AppDeps, 'clock' | 'jobs' | 'identity' | 'config'>>): Promise<SeedResult> {
  const result: SeedResult = { created: [], existing: [] }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const login of DEMO_LOGINS) {
    await transaction(deps.database.db, async (trx) => {
      const id = await insertAccountIfAbsent(trx, {
        email: login.email,
        phone: login.phone ?? null,
        displayName: login.displayName,
        passwordHash,
        role: login.role,
        regionCode: login.regionCode ?? null,
        partnerCode: login.partnerCode ?? null,
        verifiedAt: new Date(),
      })
      if (!id) {
        result.existing.push(login.email)
        return
      }
      result.created.push(login.email)
      if (login.role === 'participant') {
        await deps.mail.send(trx, {
          accountId: id,
          to: login.email,
          template: 'welcome',
          subject: 'Selamat datang di Karya / Welcome to Karya',
          text:
            `Halo ${login.displayName},\n\nAkun Karya Anda sudah dibuat. Semua pesan dari kami juga tersimpan di kotak masuk akun Anda.\n\n` +
            `Hello ${login.displayName},\n\nYour Karya account has been created. Every message from us is also kept in your account inbox.`,
          link: '/beranda',
        })
      }
    })
  }
  await seedItemBank(deps.database.db)
  await seedHelpdeskAgents(deps.database.db)
  if (deps.clock && deps.identity && deps.config) {
    await seedMarketplace({ db: deps.database.db, clock: deps.clock, identity: deps.identity, secret: deps.config.secret })
  }
  // Sandbox payment accounts for /insentif (in memory, per process: laid again at every start).
  if (deps.clock && deps.config) {
    seedDemoPaymentAccounts(sandboxPaymentsFor(deps.database.db, { clock: deps.clock, serverSecret: deps.config.secret }))
  }
  if (deps.clock && deps.jobs && deps.identity) {
    await seedDemoWaves({ db: deps.database.db, clock: deps.clock, jobs: deps.jobs, identity: deps.identity, mail: deps.mail })
  }
  return result
}
