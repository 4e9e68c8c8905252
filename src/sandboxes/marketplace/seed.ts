/**
 * The demo marketplace for `npm start`: the demo platform and provider as partners with
 * secrets derived from the server secret, and a few approved courses — among them offline
 * livestock and farming courses in the demo participant's regency (Padang Pariaman, 13.06)
 * — with sessions that always lie ahead. Idempotent.
 */
import type { Clock } from '../../platform/clock.ts'
import type { Db } from '../../platform/db/database.ts'
import type { IdentityCipher } from '../../platform/crypto/identity.ts'
import { ensurePartnerWithSecret } from '../../modules/partners/index.ts'
import { DEMO_PLATFORM, DEMO_PROVIDER, demoPartnerSecret } from './client.ts'

interface DemoCourse {
  ref: string
  title: string
  description: string
  category: string
  mode: 'webinar' | 'self_paced' | 'offline'
  hours: number
  price: number
  marketPrice: number
  regencyCode?: string
  address?: string
  seats?: number
}

export const DEMO_COURSES: readonly DemoCourse[] = [
  {
    ref: 'TERNAK-AYAM-01',
    title: 'Beternak ayam kampung dan petelur untuk pemula',
    description: 'Praktik langsung di kandang: memilih bibit, menyusun pakan dari bahan lokal, jadwal vaksin, mencegah penyakit, dan mencatat produksi telur. Cocok untuk peternak rumahan di desa.',
    category: 'livestock',
    mode: 'offline',
    hours: 16,
    price: 1_500_000,
    marketPrice: 1_750_000,
    regencyCode: '13.06',
    address: 'Balai Penyuluhan Pertanian Kec. VII Koto Sungai Sarik, Padang Pariaman',
    seats: 25,
  },
  {
    ref: 'PADI-01',
    title: 'Budidaya padi sawah hemat air',
    description: 'Teknik tanam jajar legowo, pengairan berselang, pupuk berimbang dan pengendalian hama terpadu, dengan praktik di sawah percontohan.',
    category: 'agriculture',
    mode: 'offline',
    hours: 20,
    price: 1_200_000,
    marketPrice: 1_400_000,
    regencyCode: '13.06',
    address: 'Sawah percontohan Nagari Kapalo Hilalang, Padang Pariaman',
    seats: 30,
  },
  {
    ref: 'DIGITAL-01',
    title: 'Pemasaran digital untuk UMKM',
    description: 'Memotret produk dengan ponsel, menulis deskripsi yang menjual, membuka toko di lokapasar dan membalas pembeli, dalam webinar langsung.',
    category: 'digital_marketing',
    mode: 'webinar',
    hours: 15,
    price: 2_000_000,
    marketPrice: 2_000_000,
    seats: 150,
  },
  {
    ref: 'BUKU-01',
    title: 'Pembukuan sederhana untuk usaha kecil',
    description: 'Video mandiri: mencatat pemasukan dan pengeluaran, menghitung untung, dan memisahkan uang usaha dari uang rumah tangga.',
    category: 'entrepreneurship',
    mode: 'self_paced',
    hours: 15,
    price: 750_000,
    marketPrice: 750_000,
  },
]

const DAY = 86_400_000

export async function seedMarketplace(deps: { db: Db; clock: Clock; identity: IdentityCipher; secret: string }): Promise<void> {
  await ensurePartnerWithSecret(deps, { code: DEMO_PLATFORM.code, kind: 'platform', name: DEMO_PLATFORM.name, clientCode: DEMO_PLATFORM.clientCode, secret: demoPartnerSecret(deps.secret, DEMO_PLATFORM.code), courseUrlTemplate: '/sandbox/platform/kursus/{id}' })
  await ensurePartnerWithSecret(deps, { code: DEMO_PROVIDER.code, kind: 'provider', name: DEMO_PROVIDER.name, clientCode: DEMO_PROVIDER.clientCode, secret: demoPartnerSecret(deps.secret, DEMO_PROVIDER.code), legacyAllowed: true })
  await deps.db.updateTable('partners').set({ course_url_template: '/sandbox/platform/kursus/{id}' }).where('code', '=', DEMO_PLATFORM.code).where('course_url_template', 'is', null).execute()
  const now = deps.clock.now()
  for (const c of DEMO_COURSES) {
    await deps.db
      .insertInto('courses')
      .values({
        provider_code: DEMO_PROVIDER.code,
        platform_code: DEMO_PLATFORM.code,
        provider_ref: c.ref,
        title: c.title,
        description: c.description,
        category: c.category,
        mode: c.mode,
        regency_code: c.regencyCode ?? null,
        province_code: c.regencyCode ? c.regencyCode.slice(0, 2) : null,
        address: c.address ?? null,
        hours: c.hours,
        price: c.price,
        market_price: c.marketPrice,
        // Demo data: approved as seeded, without a PMO review in the audit log.
        status: 'approved',
        submitted_at: now,
        decided_at: now,
      })
      .onConflict((oc) => oc.columns(['provider_code', 'platform_code', 'provider_ref']).doNothing())
      .execute()
    if (c.mode === 'self_paced') continue
    const course = await deps.db.selectFrom('courses').select('id').where('provider_code', '=', DEMO_PROVIDER.code).where('platform_code', '=', DEMO_PLATFORM.code).where('provider_ref', '=', c.ref).executeTakeFirstOrThrow()
    const ahead = await deps.db.selectFrom('course_sessions').select('id').where('course_id', '=', course.id).where('status', '=', 'scheduled').where('starts_at', '>', new Date(now.getTime() + DAY)).executeTakeFirst()
    if (ahead) continue
    // Two sessions a week and two weeks ahead, at 09:00 WIB.
    for (const days of [7, 14]) {
      const d = new Date(now.getTime() + days * DAY)
      const start = new Date(`${d.toISOString().slice(0, 10)}T02:00:00Z`)
      await deps.db
        .insertInto('course_sessions')
        .values({ course_id: course.id, provider_ref: `S-${start.toISOString().slice(0, 10)}`, starts_at: start, ends_at: new Date(start.getTime() + 8 * 3_600_000), seats: c.seats ?? 30 })
        .onConflict((oc) => oc.columns(['course_id', 'provider_ref']).doNothing())
        .execute()
    }
  }
}
