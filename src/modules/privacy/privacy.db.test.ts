import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, loggedIn, type TestApp } from '../../../test/app.ts'
import { generatePeople } from '../../sandboxes/population/index.ts'
import { ageOn, todayInJakarta } from '../registration/index.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => t?.close())

describe('my data', () => {
  it('downloads everything held about me, NIK opened for me, and takes a correction request', async () => {
    const person = [...generatePeople({ seed: 7, size: 200 })].find((p) => { const a = ageOn(p.dateOfBirth, todayInJakarta()); return a >= 20 && a <= 60 })!
    const b = await loggedIn(t.app, 'participant', t.database.db)
    const token = await b.csrfFrom('/profil/identitas')
    const saved = await b.request({
      method: 'POST',
      url: '/profil/identitas',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, nik: person.nik, dateOfBirth: person.dateOfBirth, sex: person.sex }).toString(),
    })
    expect(saved.statusCode).toBe(303)

    const file = await b.request({ method: 'GET', url: '/data-saya/unduh' })
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="karya-data-saya-\d{4}-\d{2}-\d{2}\.json"/)
    const data = file.json()
    expect(data.account.email).toBe('peserta@karya.test')
    expect(data.profile.values.nik).toBe(person.nik)
    expect(data.profileHistory[0].data.nik).toBe(person.nik)
    expect(data.inbox.length).toBeGreaterThanOrEqual(1)
    expect(data.verificationCodesSent.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(data)).not.toMatch(/code_hash|password_hash|nik_hash/)

    const form = await b.csrfFrom('/data-saya')
    const bad = await b.request({ method: 'POST', url: '/data-saya/koreksi', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: form, field: 'x', requestedValue: '' }).toString() })
    expect(bad.statusCode).toBe(400)
    const ok = await b.request({
      method: 'POST',
      url: '/data-saya/koreksi',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: form, field: 'nama', requestedValue: 'Siti Rahmawati Putri', reason: 'Nama di KTP baru' }).toString(),
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toContain('Permintaan diterima dengan nomor')
    expect(ok.body).toContain('Siti Rahmawati Putri')
    expect((await b.request({ method: 'GET', url: '/data-saya/unduh' })).json().correctionRequests[0].field).toBe('nama')
  })
})
