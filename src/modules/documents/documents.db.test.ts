import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, loggedIn, startTestApp, type TestApp } from '../../../test/app.ts'
import { hashPassword, insertAccountIfAbsent } from '../accounts/index.ts'
import { blurred, textLikeImage } from './test-images.ts'

const TUS = { 'tus-resumable': '1.0.0' }
const CHUNK = 64 * 1024

function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer } | null) {
  const boundary = '----karya' + Math.random().toString(16).slice(2)
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`))
    parts.push(file.bytes, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

describe('documents: KTP photo and selfie', () => {
  let t: TestApp
  let dataDir: string
  let owner: Browser
  let other: Browser
  let csrf: string
  let good: Buffer

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'karya-docs-'))
    t = await startTestApp({ env: { DATA_DIR: dataDir } })
    owner = await loggedIn(t.app, 'participant', t.database.db)
    csrf = await owner.csrfFrom('/dokumen')
    await insertAccountIfAbsent(t.database.db, {
      email: 'peserta-lain@karya.test', phone: null, displayName: 'Budi Santoso', passwordHash: await hashPassword('karya-lain-2026'),
      role: 'participant', regionCode: null, partnerCode: null, verifiedAt: new Date(),
    })
    other = new Browser(t.app)
    expect((await other.login('peserta-lain@karya.test', 'karya-lain-2026')).statusCode).toBe(303)
    good = await textLikeImage(1000, 640)
  })
  afterAll(async () => {
    await t?.close()
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true })
  })

  async function upload(b: Browser, token: string, bytes: Buffer, kind: string, opts: { cutSecondChunk?: boolean } = {}) {
    const created = await b.request({
      method: 'POST', url: '/api/v1/uploads/',
      headers: { ...TUS, 'x-csrf-token': token, 'upload-length': String(bytes.length), 'upload-metadata': `kind ${Buffer.from(kind).toString('base64')}` },
    })
    expect(created.statusCode, created.body).toBe(201)
    const url = created.headers.location as string
    expect(url).toMatch(/^\/api\/v1\/uploads\/[a-f0-9]{32}$/)
    let offset = 0
    let sent = 0
    let chunkNo = 0
    let resumedAt = -1
    let last = created
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, offset + CHUNK)
      chunkNo++
      if (opts.cutSecondChunk && chunkNo === 2) {
        // The link drops part-way through the second chunk: half of it left the phone.
        const half = chunk.subarray(0, chunk.length / 2)
        sent += half.length
        const broken = new Readable({ read() {} })
        broken.push(half)
        setTimeout(() => broken.destroy(new Error('connection reset')), 20)
        await b.request({
          method: 'PATCH', url, payload: broken,
          headers: { ...TUS, 'x-csrf-token': token, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'content-length': String(chunk.length) },
        }).catch(() => null)
        const head = await b.request({ method: 'HEAD', url, headers: { ...TUS } })
        expect(head.statusCode).toBe(200)
        offset = Number(head.headers['upload-offset'])
        resumedAt = offset
        continue
      }
      sent += chunk.length
      last = await b.request({
        method: 'PATCH', url, payload: chunk,
        headers: { ...TUS, 'x-csrf-token': token, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
      })
      expect(last.statusCode, last.body).toBe(204)
      offset = Number(last.headers['upload-offset'])
    }
    return { url, sent, last, resumedAt }
  }

  it('resumes an interrupted tus upload from the server offset and accepts a good KTP photo', async () => {
    const { url, sent, last, resumedAt } = await upload(owner, csrf, good, 'ktp', { cutSecondChunk: true })
    expect(resumedAt).toBeGreaterThanOrEqual(CHUNK)
    expect((sent - good.length) / good.length).toBeLessThan(0.2)
    expect(last.headers['karya-document-outcome']).toBe('accepted')
    const stored = await fs.readFile(path.join(dataDir, 'uploads', 'tus', url.split('/').pop()!))
    expect(stored.equals(good)).toBe(true)
    const page = await owner.request({ method: 'GET', url: '/dokumen', headers: { accept: 'text/html' } })
    expect(page.body).toContain('Diterima')
    expect(page.body).toContain('src="/static/upload.js"')
    expect(page.body).toMatch(/data-endpoint="\/api\/v1\/uploads\/" data-csrf="[^"]+"/)
  })

  it('refuses another participant, an anonymous caller and a missing CSRF token on the upload', async () => {
    const created = await owner.request({
      method: 'POST', url: '/api/v1/uploads/',
      headers: { ...TUS, 'x-csrf-token': csrf, 'upload-length': String(good.length), 'upload-metadata': `kind ${Buffer.from('selfie').toString('base64')}` },
    })
    const url = created.headers.location as string
    const otherCsrf = await other.csrfFrom('/dokumen')
    expect((await other.request({ method: 'HEAD', url, headers: TUS })).statusCode).toBe(404)
    const patch = { method: 'PATCH' as const, url, payload: good.subarray(0, CHUNK), headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } }
    expect((await other.request({ ...patch, headers: { ...patch.headers, 'x-csrf-token': otherCsrf } })).statusCode).toBe(404)
    expect((await owner.request(patch)).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'HEAD', url, headers: TUS })).statusCode).toBe(401)
    const head = await owner.request({ method: 'HEAD', url, headers: TUS })
    expect(head.headers['upload-offset']).toBe('0')
  })

  it('rejects blurred, dark, tiny and fake pictures and says what to fix', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['ktp', await blurred(good), 'Foto buram'],
      ['ktp', await textLikeImage(1000, 640, { dark: true }), 'terlalu gelap'],
      ['selfie', await textLikeImage(320, 320), 'terlalu kecil'],
      ['ktp', Buffer.from('Ini file teks, bukan foto.\n'), 'bukan gambar'],
    ]
    for (const [kind, bytes, message] of cases) {
      const { last } = await upload(owner, csrf, bytes, kind)
      expect(last.headers['karya-document-outcome']).not.toBe('accepted')
      const page = await owner.request({ method: 'GET', url: '/dokumen', headers: { accept: 'text/html' } })
      expect(page.body, message).toContain(message)
    }
    const rows = await t.database.db.selectFrom('documents').select(['outcome', 'reason', 'checks']).orderBy('created_at').execute()
    expect(rows.map((r) => r.reason)).toEqual([null, 'blurry', 'too_dark', 'too_small', 'not_image'])
  })

  it('takes a plain form upload without JavaScript, and a text file named .jpg is not a picture', async () => {
    const token = await owner.csrfFrom('/dokumen')
    const ok = multipart({ _csrf: token, kind: 'selfie' }, { name: 'selfie.jpg', type: 'image/jpeg', bytes: await textLikeImage(800, 800) })
    const res = await owner.request({ method: 'POST', url: '/dokumen', payload: ok.payload, headers: { accept: 'text/html', 'content-type': ok.contentType } })
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    expect(res.headers.location).toMatch(/^\/dokumen\?hasil=diterima/)
    const fake = multipart({ _csrf: token, kind: 'ktp' }, { name: 'ktp.jpg', type: 'image/jpeg', bytes: Buffer.from('hello, not a jpeg') })
    const bad = await owner.request({ method: 'POST', url: '/dokumen', payload: fake.payload, headers: { accept: 'text/html', 'content-type': fake.contentType } })
    expect(bad.headers.location).toMatch(/hasil=ditolak/)
    const none = multipart({ _csrf: token, kind: 'ktp' }, null)
    const empty = await owner.request({ method: 'POST', url: '/dokumen', payload: none.payload, headers: { accept: 'text/html', 'content-type': none.contentType } })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Pilih foto terlebih dahulu')
    const noToken = multipart({ kind: 'ktp' }, { name: 'ktp.jpg', type: 'image/jpeg', bytes: good })
    const refused = await owner.request({ method: 'POST', url: '/dokumen', payload: noToken.payload, headers: { accept: 'application/json', 'content-type': noToken.contentType } })
    expect(refused.statusCode).toBe(403)
  })

  it('checks an upload whose bytes all arrived but whose check never ran, once, when the owner looks', async () => {
    // The bytes reach the store without the PATCH that would have run the check (as when the
    // process stopped between receiving the last byte and judging it).
    const token = await owner.csrfFrom('/dokumen')
    const created = await owner.request({
      method: 'POST', url: '/api/v1/uploads/',
      headers: { ...TUS, 'x-csrf-token': token, 'upload-length': String(good.length), 'upload-metadata': `kind ${Buffer.from('ktp').toString('base64')}` },
    })
    const id = (created.headers.location as string).split('/').pop()!
    await fs.writeFile(path.join(dataDir, 'uploads', 'tus', id), good)
    const page = await owner.request({ method: 'GET', url: '/dokumen', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    await owner.request({ method: 'GET', url: '/dokumen', headers: { accept: 'text/html' } })
    const judged = await t.database.db.selectFrom('documents').select(['outcome']).where('upload_id', '=', id).execute()
    expect(judged).toEqual([{ outcome: 'accepted' }])
  })

  it('serves a picture to its owner only', async () => {
    const doc = await t.database.db.selectFrom('documents').select('id').where('outcome', '=', 'accepted').orderBy('created_at').executeTakeFirstOrThrow()
    const mine = await owner.request({ method: 'GET', url: `/dokumen/${doc.id}/gambar` })
    expect(mine.statusCode).toBe(200)
    expect(mine.headers['content-type']).toBe('image/jpeg')
    expect(mine.rawPayload.equals(good)).toBe(true)
    expect((await other.request({ method: 'GET', url: `/dokumen/${doc.id}/gambar`, headers: { accept: 'application/json' } })).statusCode).toBe(404)
    const agent = await loggedIn(t.app, 'agent', t.database.db)
    expect((await agent.request({ method: 'GET', url: `/dokumen/${doc.id}/gambar`, headers: { accept: 'application/json' } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: `/dokumen/${doc.id}/gambar`, headers: { accept: 'application/json' } })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: `/static/../uploads/tus/x` })).statusCode).toBe(404)
  })
})
