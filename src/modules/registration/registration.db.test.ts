/** The profile in steps over HTTP: drafts kept on every submit, typos named, NIK sealed and unique. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, Browser, loggedIn, type TestApp } from '../../../test/app.ts'
import { generatePeople, type Person } from '../../sandboxes/population/index.ts'
import { hashPassword, insertAccountIfAbsent } from '../accounts/index.ts'
import { ageOn } from './age.ts'
import { todayInJakarta } from './dates.ts'

let t: TestApp
const people: Person[] = []
beforeAll(async () => {
  t = await startTestApp()
  const today = todayInJakarta()
  for (const p of generatePeople({ seed: 42, size: 400 })) {
    const age = ageOn(p.dateOfBirth, today)
    if (age >= 20 && age <= 60 && people.length < 2) people.push(p)
    if (age < 17 && !people[2] && people.length === 2) people.push(p)
  }
})
afterAll(async () => t?.close())

const form = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
async function submit(b: Browser, step: string, fields: Record<string, string>) {
  const token = await b.csrfFrom(`/profil/${step}`)
  return b.request({ method: 'POST', url: `/profil/${step}`, headers: form, payload: new URLSearchParams({ _csrf: token, ...fields }).toString() })
}
async function participant(email: string): Promise<Browser> {
  await insertAccountIfAbsent(t.database.db, { email, phone: null, displayName: 'Uji', passwordHash: await hashPassword('sapi perah di agam'), role: 'participant' })
  const b = new Browser(t.app)
  expect((await b.login(email, 'sapi perah di agam')).statusCode).toBe(303)
  return b
}
function swapped(nik: string, i: number): string {
  return nik.slice(0, i) + nik[i + 1] + nik[i] + nik.slice(i + 2)
}

describe('profile in steps', () => {
  it('saves each step, keeps a mistyped NIK as a draft and names the digits, then completes', async () => {
    const p = people[0]!
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const start = await b.request({ method: 'GET', url: '/profil', headers: { accept: 'text/html' } })
    expect(start.body.match(/Belum diisi/g)).toHaveLength(4)

    // Digits 7 and 8 (the day of birth) swapped, unless they are equal: then digits 9 and 10.
    const at = p.nik[6] !== p.nik[7] ? 6 : 8
    const typo = await submit(b, 'identitas', { nik: swapped(p.nik, at), dateOfBirth: p.dateOfBirth, sex: p.sex })
    expect(typo.statusCode).toBe(400)
    expect(typo.body).toMatch(new RegExp(`digit ke-${at + 1}`))
    // What was typed is kept: shown again now and after leaving.
    const again = await b.request({ method: 'GET', url: '/profil/identitas', headers: { accept: 'text/html' } })
    expect(again.body).toContain(`value="${swapped(p.nik, at)}"`)
    expect((await b.request({ method: 'GET', url: '/profil', headers: { accept: 'text/html' } })).body).toContain('Tersimpan sebagai draf')

    const ok = await submit(b, 'identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toBe('/profil/keluarga')

    const sameAsNik = await submit(b, 'keluarga', { kk: p.nik })
    expect(sameAsNik.statusCode).toBe(400)
    expect(sameAsNik.body).toContain('sama dengan NIK')
    expect((await submit(b, 'keluarga', { kk: p.kk })).headers.location).toBe('/profil/alamat')

    const address = { fullName: p.fullName, addressLine: p.address.line, rt: p.address.rt, rw: p.address.rw }
    const partly = await submit(b, 'alamat', { ...address, provinceCode: p.address.provinceCode })
    expect(partly.statusCode).toBe(400)
    expect(partly.body).toContain('name="regencyCode"')
    expect(partly.body).toContain(`value="${p.address.regencyCode}"`)
    const full = await submit(b, 'alamat', { ...address, provinceCode: p.address.provinceCode, regencyCode: p.address.regencyCode, districtCode: p.address.districtCode })
    expect(full.headers.location).toBe('/profil/pendidikan')

    const done = await submit(b, 'pendidikan', { education: 'sma', employmentStatus: 'usaha_sendiri', inFormalEducation: 'tidak' })
    expect(done.headers.location).toBe('/profil?tersimpan=1')
    const dashboard = await b.request({ method: 'GET', url: '/beranda', headers: { accept: 'text/html' } })
    expect(dashboard.body).toContain('Data diri lengkap')

    const row = await t.database.db.selectFrom('registration_profiles').selectAll().executeTakeFirstOrThrow()
    expect(row.nik_sealed).not.toContain(p.nik)
    expect(row.kk_sealed).not.toContain(p.kk)
    expect(row.birth_date).toBe(p.dateOfBirth)
    expect(row.completed_at).toBeInstanceOf(Date)
    const history = await t.database.db.selectFrom('registration_step_history').select(['step', 'data']).where('account_id', '=', row.account_id).orderBy('id').execute()
    expect(history.map((h) => h.step)).toEqual(['identitas', 'identitas', 'keluarga', 'keluarga', 'alamat', 'alamat', 'pendidikan'])
    expect(JSON.stringify(history)).not.toContain(p.nik)
  })

  it('refuses a NIK already registered without revealing whose, and records a signal', async () => {
    const p = people[0]!
    const b = await participant('kedua@example.id')
    const res = await submit(b, 'identitas', { nik: p.nik, dateOfBirth: p.dateOfBirth, sex: p.sex })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('sudah terdaftar di akun lain')
    expect(res.body).not.toContain('peserta@karya.test')
    const signal = await t.database.db.selectFrom('fraud_signals').select('kind').where('kind', '=', 'nik_reused').executeTakeFirst()
    expect(signal?.kind).toBe('nik_reused')
  })

  it('explains the age rule to someone under 18, and asks for the steps in order', async () => {
    const child = people[2]!
    const b = await participant('muda@example.id')
    const early = await submit(b, 'keluarga', { kk: child.kk })
    expect(early.statusCode).toBe(409)
    const res = await submit(b, 'identitas', { nik: child.nik, dateOfBirth: child.dateOfBirth, sex: child.sex })
    expect(res.statusCode).toBe(400)
    expect(res.body).toMatch(/18–64 tahun/)
  })
})
