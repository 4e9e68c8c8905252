/**
 * npm run load -- --scenario opening-night [--url http://127.0.0.1:3000] [--arrivals-per-second 50]
 *                 [--duration 30] [--count 1000] [--database-url postgres://…] [--seed S] [--no-profile]
 *
 * A synthetic crowd from the population generator runs the real registration flow over HTTP
 * against a running Karya: arrive at /daftar (waiting in the waiting room when told, honouring
 * Retry-After), sign up, verify e-mail and phone, first profile step. Codes are read from the
 * dev mailbox pages, or from the outbox when --database-url is given (cheaper for the server).
 * Bounded: arrivals stop after --duration seconds or --count people, whichever first; people
 * still in line 60 s after that are counted as still waiting. Loopback addresses only.
 * Exit 0: no errors; 1: some person saw an error; 2: bad arguments.
 */
import { parseArgs } from 'node:util'
import pg from 'pg'
import { Client, mailboxCodes, percentile, register, STEPS, WaitTimeout, type CodeSource, type Step } from './load/crowd.ts'
import { generatePeople, type Person } from '../src/sandboxes/population/index.ts'
import { ageOn, todayInJakarta } from '../src/modules/registration/index.ts'

const USAGE =
  'usage: npm run load -- --scenario opening-night [--url http://127.0.0.1:3000] [--arrivals-per-second N] [--duration S] [--count N] [--database-url URL] [--seed S] [--no-profile]'
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])
const GRACE_MS = 60_000

export interface LoadArgs {
  url: string
  arrivalsPerSecond: number
  durationSeconds: number
  count: number
  databaseUrl: string | null
  seed: number
  profile: boolean
}

export function parseLoadArgs(argv: string[]): LoadArgs | string {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        url: { type: 'string', default: 'http://127.0.0.1:3000' },
        'arrivals-per-second': { type: 'string', default: '50' },
        duration: { type: 'string', default: '30' },
        count: { type: 'string', default: '1000' },
        'database-url': { type: 'string' },
        seed: { type: 'string' },
        'no-profile': { type: 'boolean', default: false },
      },
      strict: true,
    }))
  } catch (e) {
    return (e as Error).message
  }
  if (values.scenario !== 'opening-night') return '--scenario must be opening-night (the only scenario so far)'
  let url: URL
  try {
    url = new URL(values.url!)
  } catch {
    return `--url is not a URL: ${values.url}`
  }
  if (!LOOPBACK.has(url.hostname)) return `--url must be a loopback address (127.0.0.1, localhost, ::1): this harness never loads someone else's server, got ${url.hostname}`
  const n = (s: string | undefined, name: string, max: number) => {
    const v = Number(s)
    return Number.isInteger(v) && v >= 1 && v <= max ? v : `${name} must be a whole number from 1 to ${max}`
  }
  const rate = n(values['arrivals-per-second'], '--arrivals-per-second', 5_000)
  const duration = n(values.duration, '--duration', 600)
  const count = n(values.count, '--count', 200_000)
  for (const v of [rate, duration, count]) if (typeof v === 'string') return v
  const dbUrl = values['database-url'] ?? null
  if (dbUrl && !LOOPBACK.has(new URL(dbUrl).hostname)) return '--database-url must be on a loopback address'
  return {
    url: url.origin,
    arrivalsPerSecond: rate as number,
    durationSeconds: duration as number,
    count: count as number,
    databaseUrl: dbUrl,
    seed: values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed),
    profile: !values['no-profile'],
  }
}

export interface LoadReport {
  arrivals: number
  straightThrough: number
  admittedAfterWaiting: number
  completed: number
  stillWaiting: number
  errors: number
  errorSamples: string[]
  seconds: number
  waitedMs: number[]
  steps: Map<Step, number[]>
}

/** Runs the crowd; `onTick` is called about four times a second with the running counts. */
export async function runCrowd(args: LoadArgs, codes: CodeSource, onTick?: (r: LoadReport, elapsedS: number) => void): Promise<LoadReport> {
  const report: LoadReport = { arrivals: 0, straightThrough: 0, admittedAfterWaiting: 0, completed: 0, stillWaiting: 0, errors: 0, errorSamples: [], seconds: 0, waitedMs: [], steps: new Map(STEPS.map((s) => [s, []])) }
  const today = todayInJakarta()
  const people: Iterator<Person> = (function* () {
    for (const p of generatePeople({ seed: args.seed, size: 10_000_000 })) {
      const age = ageOn(p.dateOfBirth, today)
      if (age >= 18 && age <= 64) yield p
    }
  })()
  const t0 = Date.now()
  const arrivalsEnd = t0 + args.durationSeconds * 1000
  const tick = setInterval(() => onTick?.(report, (Date.now() - t0) / 1000), 250)
  const running: Promise<void>[] = []
  const one = async (i: number) => {
    const person = people.next().value as Person
    const c = new Client([args.url])
    let waitingNow = false
    try {
      const out = await register(c, {
        person,
        email: `crowd${args.seed}.${i}@example.id`,
        phone: `+6285${String(args.seed % 100).padStart(2, '0')}${String(i).padStart(7, '0')}`,
        codes,
        maxWaitMs: Math.max(0, arrivalsEnd + GRACE_MS - Date.now()),
        profile: args.profile,
        onWait: () => {
          if (!waitingNow) report.stillWaiting++
          waitingNow = true
        },
      })
      if (waitingNow) report.stillWaiting--
      if (out.admittedAfterWaiting) {
        report.admittedAfterWaiting++
        report.waitedMs.push(out.waitedMs)
      } else report.straightThrough++
      for (const [step, ms] of Object.entries(out.timings) as Array<[Step, number]>) report.steps.get(step)!.push(ms)
      report.completed++
    } catch (err) {
      if (err instanceof WaitTimeout) return // still waiting when the run ended: counted, not an error
      if (waitingNow) report.stillWaiting--
      report.errors++
      if (report.errorSamples.length < 5) report.errorSamples.push(String(err))
    }
  }
  // Arrivals spread evenly over each second, like a crowd pressing refresh at opening.
  for (let i = 0; i < args.count && Date.now() < arrivalsEnd; i++) {
    const due = t0 + (i * 1000) / args.arrivalsPerSecond
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
    if (Date.now() >= arrivalsEnd) break
    report.arrivals++
    running.push(one(i))
  }
  await Promise.all(running)
  clearInterval(tick)
  report.seconds = (Date.now() - t0) / 1000
  return report
}

export function formatReport(r: LoadReport): string {
  const lines = [
    '| figure | value |',
    '| --- | ---: |',
    `| arrivals | ${r.arrivals} |`,
    `| let straight through (room invisible) | ${r.straightThrough} |`,
    `| admitted after waiting | ${r.admittedAfterWaiting} |`,
    `| registrations completed | ${r.completed} |`,
    `| still waiting when the run ended | ${r.stillWaiting} |`,
    `| errors seen by anyone | ${r.errors} |`,
    `| wait in line p50 / p99 (s) | ${(percentile(r.waitedMs, 50) / 1000).toFixed(1)} / ${(percentile(r.waitedMs, 99) / 1000).toFixed(1)} |`,
    `| run time (s) | ${r.seconds.toFixed(1)} |`,
    '',
    '| step | p50 ms | p99 ms | count |',
    '| --- | ---: | ---: | ---: |',
  ]
  for (const [step, xs] of r.steps) if (xs.length > 0) lines.push(`| ${step} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} | ${xs.length} |`)
  for (const e of r.errorSamples) lines.push(`error: ${e}`)
  return lines.join('\n')
}

function progress(r: LoadReport, elapsed: number, args: LoadArgs): void {
  const share = Math.min(1, elapsed / args.durationSeconds)
  const width = 24
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.')
  process.stderr.write(`\r[${bar}] ${elapsed.toFixed(0)}s arrivals ${r.arrivals} waiting ${r.stillWaiting} completed ${r.completed} errors ${r.errors}   `)
}

async function main(): Promise<number> {
  const args = parseLoadArgs(process.argv.slice(2))
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`)
    return 2
  }
  let pool: pg.Pool | null = null
  let codes: CodeSource = mailboxCodes(args.url)
  if (args.databaseUrl) {
    pool = new pg.Pool({ connectionString: args.databaseUrl, max: 4 })
    const p = pool
    codes = async (to, channel) => {
      const r = await p.query<{ text_body: string }>('select text_body from mail_outbox where to_address = $1 and channel = $2 order by created_at desc limit 1', [to, channel])
      const m = (channel === 'email' ? /e-mail Anda: (\d{6})/ : /(\d{6})/).exec(r.rows[0]?.text_body ?? '')
      if (!m) throw new Error(`no ${channel} code for ${to} in the outbox`)
      return m[1]!
    }
  }
  const ready = await fetch(`${args.url}/ready`).catch(() => null)
  if (!ready || ready.status !== 200) {
    process.stderr.write(`Karya is not ready at ${args.url} (start it with npm start)\n`)
    return 2
  }
  const tty = process.stderr.isTTY
  const report = await runCrowd(args, codes, tty ? (r, e) => progress(r, e, args) : undefined)
  if (tty) process.stderr.write('\n')
  await pool?.end()
  process.stdout.write(`opening night against ${args.url}: ${args.arrivalsPerSecond} arrivals/s for up to ${args.durationSeconds} s or ${args.count} people, seed ${args.seed}\n\n${formatReport(report)}\n`)
  return report.errors > 0 ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main()
