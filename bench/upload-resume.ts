/**
 * bench/upload-resume: a 5 MB photo sent with the tus protocol, as the page's script sends it
 * (256 KB chunks), over a simulated rural link (about 1 Mbit/s) that drops every 2 s. After each
 * drop the client asks the server for its offset (HEAD) and goes on from there. Prints the
 * bytes sent against the file size: the goal is under 20 % re-sent. On loopback the
 * bytes already handed to the socket arrive; a real radio link also loses what was in flight
 * at the drop (one 8 KB piece and the TCP buffers), which this does not model.
 *
 *   npm run bench:upload [-- --rate-kbps 1000 --drop-every 2]
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { loadConfig } from '../src/config.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts'

const { values } = parseArgs({ options: { 'rate-kbps': { type: 'string', default: '1000' }, 'drop-every': { type: 'string', default: '2' } } })
const bytesPerSecond = (Number(values['rate-kbps']) * 1000) / 8
const dropEveryMs = Number(values['drop-every']) * 1000
const CHUNK = 256 * 1024
const PIECE = 8 * 1024

async function photo(targetBytes: number): Promise<Buffer> {
  // Noise compresses badly, so a high-quality JPEG of noise reaches the size of a phone photo.
  const width = 2000
  const height = Math.ceil((targetBytes * 1.3) / width)
  const raw = crypto.randomBytes(width * height * 3)
  for (let i = 0; i < raw.length; i++) raw[i] = 64 + (raw[i]! % 128)
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer()
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-bench-upload-'))
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', UPLOAD_MAX_BYTES: String(20 * 1024 * 1024) })
  const deps = await compose(config, { runWorkers: false })
  await seedDemo(deps)
  const { app } = await buildApp(deps)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  // Log in as the demo participant through the real forms, SMS code read from the outbox.
  const jar = new Map<string, string>()
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [k, v] = c.split(';')[0]!.split('=')
      if (k && v !== undefined) jar.set(k, v)
    }
  }
  const form = async (url: string, fields: Record<string, string>) => {
    const page = await fetch(base + url, { headers: { cookie: cookie() } })
    keep(page)
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const res = await fetch(base + url, { method: 'POST', redirect: 'manual', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, ...fields }) })
    keep(res)
    return res
  }
  await form('/masuk', { email: 'peserta@karya.test', password: DEMO_PASSWORD })
  const sms = await deps.database.db.selectFrom('mail_outbox').select('text_body').where('channel', '=', 'sms').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  await form('/masuk/kode', { code: /(\d{6})/.exec(sms.text_body)![1]! })
  const page = await fetch(base + '/dokumen', { headers: { cookie: cookie() } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const tus = { 'tus-resumable': '1.0.0', 'x-csrf-token': csrf, cookie: cookie() }

  const file = await photo(5 * 1024 * 1024)
  const created = await fetch(`${base}/api/v1/uploads/`, { method: 'POST', headers: { ...tus, 'upload-length': String(file.length), 'upload-metadata': `kind ${Buffer.from('ktp').toString('base64')}` } })
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`)
  const location = new URL(created.headers.get('location')!, base).toString()

  let sent = 0
  let drops = 0
  let offset = 0
  const t0 = Date.now()
  let nextDrop = t0 + dropEveryMs
  let outcome: string | null = null
  while (offset < file.length) {
    const end = Math.min(offset + CHUNK, file.length)
    const abort = new AbortController()
    const chunk = file.subarray(offset, end)
    // The chunk trickles out at the link's rate; the link drops at each 2-second mark.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (chunk.length === 0) return controller.close()
        const at = (body as unknown as { pos?: number }).pos ?? 0
        if (at >= chunk.length) return controller.close()
        const piece = chunk.subarray(at, at + PIECE)
        await new Promise((r) => setTimeout(r, (piece.length / bytesPerSecond) * 1000))
        if (Date.now() >= nextDrop) {
          nextDrop = Date.now() + dropEveryMs
          drops++
          abort.abort()
          return controller.error(new Error('link dropped'))
        }
        sent += piece.length
        ;(body as unknown as { pos?: number }).pos = at + piece.length
        controller.enqueue(piece)
      },
    })
    try {
      const res = await fetch(location, {
        method: 'PATCH',
        headers: { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body,
        signal: abort.signal,
        duplex: 'half',
      } as RequestInit)
      if (res.status !== 204) throw new Error(`patch ${res.status}`)
      outcome = res.headers.get('karya-document-outcome') ?? outcome
      offset = Number(res.headers.get('upload-offset'))
    } catch {
      // Dropped: ask the server what it kept, as tus-js-client does, and carry on from there.
      await new Promise((r) => setTimeout(r, 200))
      const head = await fetch(location, { method: 'HEAD', headers: tus })
      offset = Number(head.headers.get('upload-offset'))
    }
  }
  const seconds = (Date.now() - t0) / 1000
  const resent = sent - file.length
  console.log(`upload-resume bench: ${(file.length / 1024 / 1024).toFixed(2)} MB photo, ${values['rate-kbps']} kbit/s link dropping every ${values['drop-every']} s, ${CHUNK / 1024} KB chunks`)
  console.log('')
  console.log('| figure | value |')
  console.log('| --- | ---: |')
  console.log(`| file size (bytes) | ${file.length.toLocaleString('en-US')} |`)
  console.log(`| bytes sent (bytes) | ${sent.toLocaleString('en-US')} |`)
  console.log(`| re-sent | ${((100 * resent) / file.length).toFixed(1)} % |`)
  console.log(`| drops survived | ${drops} |`)
  console.log(`| time | ${seconds.toFixed(1)} s |`)
  console.log(`| server's verdict | ${outcome ?? '(none)'} |`)
  console.log(`| goal: under 20 % re-sent | ${resent / file.length < 0.2 ? 'met' : 'NOT met'} |`)
  await app.close()
  await deps.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  if (resent / file.length >= 0.2) process.exitCode = 1
}

await main()
