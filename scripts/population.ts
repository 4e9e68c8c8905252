/**
 * npm run population -- --size N [--seed S] [--out file.ndjson] [--as-of YYYY-MM-DD]
 * Writes a synthetic population for the sandbox civil registry as NDJSON, one person a line,
 * to stdout or a file, and a summary to stderr. Same seed, same people.
 * Exit 0: written; 2: bad arguments.
 */
import fs from 'node:fs'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { DEFAULT_AS_OF, generateHouseholds, type Person } from '../src/sandboxes/population/index.ts'

const USAGE = 'usage: npm run population -- --size N [--seed S] [--out file.ndjson] [--as-of YYYY-MM-DD]'

interface Args {
  size: number
  seed: number
  out: string | null
  asOf: string
}

function parse(argv: string[]): Args | string {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { size: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, 'as-of': { type: 'string' } },
      strict: true,
    }))
  } catch (e) {
    return (e as Error).message
  }
  const size = Number(values.size)
  const seed = Number(values.seed ?? '1')
  if (values.size === undefined || !Number.isSafeInteger(size) || size < 0) return '--size must be a whole number of people'
  if (!Number.isSafeInteger(seed)) return '--seed must be a whole number'
  const asOf = values['as-of'] ?? DEFAULT_AS_OF
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return '--as-of must be YYYY-MM-DD'
  return { size, seed, out: values.out ?? null, asOf }
}

class Summary {
  households = 0
  people = 0
  readonly byProvince = new Map<string, number>()
  readonly ages = new Map<string, number>()
  readonly sizes = new Map<number, number>()
  readonly flags = { civilServant: 0, military: 0, police: 0, villageOfficial: 0, stateOfficial: 0, student: 0, otherProgrammes: 0 }
  women = 0
  eligibleAge = 0

  constructor(private readonly asOf: string) {}

  add(members: readonly Person[]): void {
    this.households++
    this.sizes.set(members.length, (this.sizes.get(members.length) ?? 0) + 1)
    for (const p of members) {
      this.people++
      if (p.sex === 'F') this.women++
      const province = p.address.province
      this.byProvince.set(province, (this.byProvince.get(province) ?? 0) + 1)
      const age = Number(this.asOf.slice(0, 4)) - Number(p.dateOfBirth.slice(0, 4)) - (this.asOf.slice(5) < p.dateOfBirth.slice(5) ? 1 : 0)
      if (age >= 18 && age <= 64) this.eligibleAge++
      const band = age >= 80 ? '80+' : `${Math.floor(age / 10) * 10}–${Math.floor(age / 10) * 10 + 9}`
      this.ages.set(band, (this.ages.get(band) ?? 0) + 1)
      for (const k of ['civilServant', 'military', 'police', 'villageOfficial', 'stateOfficial', 'student'] as const) if (p.flags[k]) this.flags[k]++
      if (p.flags.otherProgrammes.length > 0) this.flags.otherProgrammes++
    }
  }

  lines(seconds: number): string[] {
    const pct = (n: number) => `${((100 * n) / Math.max(1, this.people)).toFixed(1)} %`
    const rate = Math.round(this.people / Math.max(seconds, 1e-9))
    const out = [
      `households: ${this.households}   people: ${this.people}   mean household: ${(this.people / Math.max(1, this.households)).toFixed(2)}`,
      `time: ${seconds.toFixed(2)} s   ${rate} people/s`,
      `women: ${pct(this.women)}   aged 18–64: ${pct(this.eligibleAge)}`,
      `household sizes: ${[...this.sizes].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join('  ')}`,
      `ages: ${[...this.ages].sort((a, b) => parseInt(a[0]) - parseInt(b[0])).map(([b, n]) => `${b} ${pct(n)}`).join('  ')}`,
      `flags: ${Object.entries(this.flags).map(([k, n]) => `${k} ${n} (${pct(n)})`).join('  ')}`,
      'by province:',
    ]
    for (const [name, n] of [...this.byProvince].sort((a, b) => b[1] - a[1])) out.push(`  ${name.padEnd(36)} ${String(n).padStart(9)}  ${pct(n)}`)
    return out
  }
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2))
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`)
    return 2
  }
  const sink = args.out ? fs.createWriteStream(args.out) : process.stdout
  let closed = false
  // A reader that stops early (`| head`) is not an error worth a stack trace.
  sink.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
    closed = true
  })
  const summary = new Summary(args.asOf)
  const started = performance.now()
  let chunk = ''
  for (const household of generateHouseholds({ seed: args.seed, size: args.size, asOf: args.asOf })) {
    summary.add(household.members)
    for (const p of household.members) chunk += `${JSON.stringify(p)}\n`
    if (chunk.length > 1 << 16) {
      if (closed) break
      if (!sink.write(chunk)) await once(sink, 'drain').catch(() => (closed = true))
      chunk = ''
    }
  }
  if (!closed && chunk) sink.write(chunk)
  if (args.out) await new Promise<void>((resolve, reject) => (sink as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())))
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(`${[`seed ${args.seed}, as of ${args.asOf}${args.out ? `, written to ${args.out}` : ''}`, ...summary.lines(seconds)].join('\n')}\n`)
  return 0
}

process.exitCode = await main()
