/**
 * bench/helpdesk: tickets created per second on PostgreSQL across two channels at once —
 * the web form (anonymous multipart POST /pengaduan over real HTTP, each answered with its
 * tracking number) and e-mail (nodemailer over SMTP to the inbound server, each parsed,
 * checked for loops and turned into a ticket). Every ticket also writes its acknowledgement
 * mail (outbox + delivery job) in the same transaction. Prints tickets/s and p50/p99 per channel.
 *
 * Then live chat: `--chats` chats (2 000) opened through the chat service, each with its
 * browser's long-poll held open over real HTTP (GET …/obrolan/baru, the transport chat.js
 * uses), while senders post chat lines as the participants (POST …/obrolan, over HTTP, the
 * server wakes the chat at once) and agents' replies through the console's service (agentAct;
 * those reach the held polls through the watch's tick, as from another process). Prints lines
 * delivered/s and p50/p99 from send to arrival at the held connection, per kind.
 *
 *   npm run bench:helpdesk [-- --duration 10 --concurrency 16 --chats 2000 --chat-duration 10 --senders 16 --part all|tickets|chat]
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   (default; a throw-away database)
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import nodemailer from 'nodemailer'
import { throwawayDatabase } from './throwaway.ts'
import { compose } from '../src/compose.ts'
import { buildApp } from '../src/app.ts'
import { helpdeskDeps } from '../src/modules/helpdesk/index.ts'
import { startInboundSmtp } from '../src/modules/helpdesk/inbound-email.ts'
import { benchChat } from './helpdesk-chat.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    chats: { type: 'string', default: '2000' },
    'chat-duration': { type: 'string', default: '10' },
    senders: { type: 'string', default: '16' },
    part: { type: 'string', default: 'all' },
  },
})
const durationMs = Number(values.duration) * 1000
const concurrency = Number(values.concurrency)
const part = values.part as 'all' | 'tickets' | 'chat'
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function main() {
  const tmp = await throwawayDatabase(baseUrl, 'karya_bench_helpdesk', { DATABASE_POOL_SIZE: '16' })
  const deps = await compose(tmp.config, { runWorkers: false })
  const { app } = await buildApp(deps)
  // A deep accept queue: 2 000 chat connections arrive within seconds.
  const base = await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 })
  if (part !== 'tickets') await benchChat({ app, deps, base, chats: Number(values.chats), durationMs: Number(values['chat-duration']) * 1000, senders: Number(values.senders) })
  if (part === 'chat') {
    await app.close()
    await deps.close()
    await tmp.drop()
    return
  }
  const smtp = await startInboundSmtp(helpdeskDeps(deps), { port: 0, host: '127.0.0.1', ownAddresses: [tmp.config.helpdesk.address] })

  // One browser-like session for the form: its cookies and CSRF token are reused, as a tab would.
  const page = await fetch(`${base}/pengaduan`, { headers: { accept: 'text/html' } })
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency })

  const lat = { web: [] as number[], email: [] as number[] }
  let errors = 0
  let n = 0
  const deadline = Date.now() + durationMs
  async function web() {
    const i = n++
    const form = new FormData()
    for (const [k, v] of Object.entries({ _csrf: token, name: `Peserta ${i}`, email: `web${i}@bench.test`, category: 'purchase', message: `Voucher pesanan ${i} belum muncul setelah saldo terpotong.` })) form.append(k, v)
    const t0 = performance.now()
    const res = await fetch(`${base}/pengaduan`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, accept: 'text/html' } })
    await res.arrayBuffer()
    if (res.status !== 303 || !/KRY-\d{4}-/.test(res.headers.get('location') ?? '')) throw new Error(`web ${res.status}`)
    lat.web.push(performance.now() - t0)
  }
  async function email() {
    const i = n++
    const t0 = performance.now()
    await transport.sendMail({ from: `mail${i}@bench.test`, to: tmp.config.helpdesk.address, subject: `Sertifikat belum terbit ${i}`, text: 'Kelas sudah selesai minggu lalu tetapi sertifikat belum ada.' })
    lat.email.push(performance.now() - t0)
  }
  const b0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (Date.now() < deadline) {
        try {
          await (w % 2 === 0 ? web() : email())
        } catch (err) {
          errors++
          if (errors <= 3) console.error(String(err))
        }
      }
    }),
  )
  const seconds = (performance.now() - b0) / 1000
  const stored = await deps.database.db.selectFrom('helpdesk_tickets').select(['channel', (e) => e.fn.countAll<string>().as('n')]).groupBy('channel').execute()
  const total = lat.web.length + lat.email.length
  console.log(`bench:helpdesk on PostgreSQL, ${os.cpus().length} cores, ${concurrency} concurrent clients (half web form, half SMTP), ${seconds.toFixed(1)} s`)
  console.log(`tickets created: ${total} (${(total / seconds).toFixed(1)}/s), errors ${errors}; stored by channel: ${stored.map((s) => `${s.channel} ${s.n}`).join(', ')}`)
  for (const [ch, xs] of Object.entries(lat)) console.log(`  ${ch.padEnd(5)} ${xs.length} tickets, ${(xs.length / seconds).toFixed(1)}/s, p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`)
  transport.close()
  await smtp.close()
  await app.close()
  await deps.close()
  await tmp.drop()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
