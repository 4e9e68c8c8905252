/**
 * The live chat part of bench/helpdesk: many chats, each with its long-poll held open over
 * real HTTP, and chat lines sent while they wait. See bench/helpdesk.ts for the command.
 */
import crypto from 'node:crypto'
import { setMaxListeners } from 'node:events'
import http from 'node:http'
import os from 'node:os'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../src/app-deps.ts'
import { helpdeskDeps } from '../src/modules/helpdesk/index.ts'
import { startChat } from '../src/modules/helpdesk/chat.service.ts'
import { agentAct } from '../src/modules/helpdesk/console.service.ts'

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function pool<T>(items: readonly T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!)
  }))
}

interface Chat {
  readonly id: string
  readonly url: string
  readonly cookie: string
}

export async function benchChat(o: { app: FastifyInstance; deps: AppDeps; base: string; chats: number; durationMs: number; senders: number }): Promise<void> {
  const hd = helpdeskDeps(o.deps)
  const db = o.deps.database.db
  // Plain node:http with no socket limit: each held poll has its own connection, as a browser per chat would.
  const stop = new AbortController()
  setMaxListeners(0, stop.signal)
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
  const call = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; cookies: string[]; text: string }>((resolve, reject) => {
      const req = http.request(`${o.base}${url}`, { method: init.method ?? 'GET', headers: init.headers, agent, signal: stop.signal }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], text: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(init.body)
    })

  // One browser's CSRF pair, reused by every chat's sender (the token belongs to the csrf cookie).
  const form = await call('/pengaduan/obrolan', { headers: { accept: 'text/html' } })
  const csrfCookie = form.cookies.map((c) => c.split(';')[0]).join('; ')
  const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!

  // The chats are opened through the service the start page calls (the HTTP start is the
  // ticket part's web form); each browser then holds the signed cookie that opens its chat.
  const t0 = performance.now()
  const chats: Chat[] = []
  await pool(Array.from({ length: o.chats }, (_, i) => i), 16, async (i) => {
    const t = await startChat(hd, { category: 'certificate', body: `Sertifikat saya belum muncul (bench ${i}).`, accountId: null, contact: { name: `Peserta ${i}`, email: `chat${i}@bench.test`, phone: null } })
    chats.push({ id: t.id, url: `/pengaduan/${t.tracking}/obrolan`, cookie: `${csrfCookie}; karya_tiket=${o.app.signCookie(t.id)}` })
  })
  const opened = (performance.now() - t0) / 1000

  const agentId = crypto.randomUUID()
  await db.insertInto('accounts').values({ id: agentId, email: `agen-${agentId.slice(0, 8)}@bench.test`, phone: null, display_name: 'Agen Bench', password_hash: null, role: 'agent', region_code: null, partner_code: null, status: 'active', created_at: new Date(), email_verified_at: new Date(), phone_verified_at: null, locked_until: null }).execute()
  const staff = { id: agentId, role: 'agent', requestId: 'bench', ip: '127.0.0.1' }

  const sentAt = new Map<string, number>()
  // When the send itself returned: arrival minus this is the delivery alone (the send's own time left out).
  const doneAt = new Map<string, number>()
  const lat = { participant: [] as number[], agent: [] as number[] }
  const delivery: number[] = []
  let holding = 0
  let maxHolding = 0
  let pollErrors = 0
  let running = true
  const stopped: Promise<void>[] = []

  // Every chat's long-poll: the first answer gives the cursor, then each one is held until news.
  // People arrive over a few seconds, not in one millisecond: 100 connections every 50 ms.
  let firstDone = 0
  for (const [k, c] of chats.entries()) {
    if (k % 100 === 0) await new Promise((r) => setTimeout(r, 50))
    stopped.push((async () => {
      let after = 0
      let key = ''
      while (running) {
        holding++
        maxHolding = Math.max(maxHolding, holding)
        try {
          const res = await call(`${c.url}/baru?setelah=${after}&keadaan=${encodeURIComponent(key)}&tunggu=${after === 0 ? 0 : 20}`, { headers: { accept: 'application/json', cookie: c.cookie } })
          if (res.status !== 200) throw new Error(`poll ${res.status}`)
          const d = JSON.parse(res.text) as { after: number; lines: Array<{ body: string | null }>; state: { key: string } }
          const now = performance.now()
          for (const line of d.lines) {
            const sent = line.body ? sentAt.get(line.body) : undefined
            if (sent === undefined) continue
            sentAt.delete(line.body!)
            ;(line.body!.startsWith('agent') ? lat.agent : lat.participant).push(now - sent)
            const done = doneAt.get(line.body!)
            delivery.push(done === undefined ? 0 : Math.max(0, now - done))
            doneAt.delete(line.body!)
          }
          if (after === 0) firstDone++
          after = d.after
          key = d.state.key
        } catch (err) {
          if (!running) break
          pollErrors++
          if (pollErrors <= 3) console.error(String(err))
          await new Promise((r) => setTimeout(r, 500))
        } finally {
          holding--
        }
      }
    })())
  }
  // Sending starts once every poll has had its first answer and the server has caught up
  // (a non-waiting poll answers in under a second twice in a row): then the polls are held.
  const settleDeadline = Date.now() + 180_000
  while (Date.now() < settleDeadline && firstDone < o.chats) await new Promise((r) => setTimeout(r, 200))
  for (let quick = 0; quick < 2 && Date.now() < settleDeadline; ) {
    const p0 = performance.now()
    await call(`${chats[0]!.url}/baru?tunggu=0`, { headers: { accept: 'application/json', cookie: chats[0]!.cookie } })
    quick = performance.now() - p0 < 1000 ? quick + 1 : 0
  }
  const settled = (performance.now() - t0) / 1000

  let sent = 0
  let limited = 0
  let sendErrors = 0
  let n = 0
  const deadline = Date.now() + o.durationMs
  const s0 = performance.now()
  await Promise.all(Array.from({ length: o.senders }, async (_, w) => {
    while (Date.now() < deadline) {
      const i = n++
      const c = chats[i % chats.length]!
      try {
        // One sender in four is an agent answering in the console; the rest are participants typing.
        if (w % 4 === 3) {
          const body = `agent ${i}`
          sentAt.set(body, performance.now())
          await agentAct(hd, staff, c.id, { kind: 'reply', body, then: 'open' })
          if (sentAt.has(body)) doneAt.set(body, performance.now())
        } else {
          const body = `participant ${i}`
          sentAt.set(body, performance.now())
          const res = await call(c.url, { method: 'POST', headers: { accept: 'text/html', cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token, message: body }).toString() })
          if (res.status === 429) {
            sentAt.delete(body)
            limited++
            continue
          }
          if (res.status !== 303) throw new Error(`send ${res.status}`)
          if (sentAt.has(body)) doneAt.set(body, performance.now())
        }
        sent++
      } catch (err) {
        sendErrors++
        if (sendErrors <= 3) console.error(String(err))
      }
    }
  }))
  const sendSeconds = (performance.now() - s0) / 1000
  // Lines still on their way get two seconds to arrive; whatever has not is counted as lost.
  const drain = Date.now() + 2000
  while (sentAt.size > 0 && Date.now() < drain) await new Promise((r) => setTimeout(r, 50))
  const lost = sentAt.size
  running = false
  const sockets = Object.values(agent.sockets).reduce((n, xs) => n + (xs?.length ?? 0), 0)
  stop.abort()
  await Promise.allSettled(stopped)
  agent.destroy()

  const delivered = lat.participant.length + lat.agent.length
  console.log(`chat on PostgreSQL, ${os.cpus().length} cores: ${o.chats} chats opened in ${opened.toFixed(1)} s, all polls answered once and held by ${settled.toFixed(1)} s; ${maxHolding} long-polls held open at once (${sockets} sockets open at the end); ${o.senders} senders for ${sendSeconds.toFixed(1)} s`)
  console.log(`chat lines sent: ${sent} (${(sent / sendSeconds).toFixed(1)}/s), delivered to the held connection: ${delivered} (${(delivered / sendSeconds).toFixed(1)}/s), not delivered within 2 s: ${lost}, refused as flooding: ${limited}, send errors ${sendErrors}, poll errors ${pollErrors}`)
  for (const [kind, xs] of Object.entries(lat)) console.log(`  ${kind.padEnd(11)} ${xs.length} lines, p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms (send → arrival)`)
  console.log(`  delivery    ${delivery.length} lines, p50 ${pct(delivery, 50).toFixed(1)} ms, p99 ${pct(delivery, 99).toFixed(1)} ms (send returned → arrival; 0 when it arrived first)`)
}
