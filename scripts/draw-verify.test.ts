import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../test/db.ts'
import { fixedClock } from '../src/platform/clock.ts'
import { createIdentityCipher } from '../src/platform/crypto/identity.ts'
import { insertApplicants, insertWave } from '../src/modules/waves/draw/draw.fixtures.ts'
import { runDraw } from '../src/modules/waves/draw/draw.service.ts'
import { verifyExportFile } from '../src/modules/waves/draw/verify.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function runCli(file: string, script: string[] = ['--import', 'tsx', 'scripts/draw-verify.ts']): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, file],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' }, timeout: 60_000 },
      (err, stdout) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout }),
    )
  })
}

let database: TestDatabase
let dir: string
let exportPath: string
let lines: string[]

function writeVariant(name: string, edit: (lines: string[]) => string[]): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, zlib.gzipSync(`${edit([...lines]).join('\n')}\n`))
  return file
}

function editLine(lines: string[], i: number, change: (o: Record<string, unknown>) => void): string[] {
  const o = JSON.parse(lines[i]!) as Record<string, unknown>
  change(o)
  lines[i] = JSON.stringify(o)
  return lines
}

beforeAll(async () => {
  database = await openTestDatabase()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-draw-verify-'))
  const identity = createIdentityCipher([{ id: 't1', key: crypto.randomBytes(32) }], crypto.randomBytes(32))
  const wave = await insertWave(database.db, identity, { national: 12, quotas: { '13': 4, '32.73': 3 }, seed: '5eed'.repeat(16) })
  await insertApplicants(database.db, wave.id, [
    ...Array.from({ length: 10 }, (_, i) => ({ pseudonym: `KA${String(i).padStart(2, '0')}`, province: '13', kk: `a${i % 4}`, priority: i === 7 })),
    ...Array.from({ length: 6 }, (_, i) => ({ pseudonym: `KB${i}`, province: '32', regency: '32.73' })),
    ...Array.from({ length: 8 }, (_, i) => ({ pseudonym: `KC${i}`, province: '51', kk: 'big' })),
    { pseudonym: 'KX1', checks: 'failed' as const },
  ])
  const summary = await runDraw({ db: database.db, clock: fixedClock(new Date('2026-11-10T03:00:00Z')), identity, exportDir: dir }, wave.id)
  exportPath = summary.exportPath
  lines = zlib.gunzipSync(fs.readFileSync(exportPath)).toString('utf8').trim().split('\n')
})

afterAll(async () => {
  await database?.dispose()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('npm run draw:verify', () => {
  it('verifies a real export and says so in Indonesian and English (exit 0)', async () => {
    const run = await runCli(exportPath)
    expect(run.stdout).toContain('HASIL: COCOK')
    expect(run.stdout).toContain('RESULT: MATCH')
    expect(run.stdout).toMatch(/13\s+4\s+10\s+4/)
    expect(run.code).toBe(0)
  })

  it('fails on a flipped selection flag and names the applicant (exit 1)', async () => {
    const i = lines.findIndex((l) => l.includes('"s":1'))
    const p = (JSON.parse(lines[i]!) as { p: string }).p
    const file = writeVariant('flipped.ndjson.gz', (ls) => editLine(ls, i, (o) => (o.s = 0)))
    const run = await runCli(file)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('RESULT: MISMATCH')
    expect(run.stdout).toContain(p)
  })

  it('fails on a changed seed: it no longer matches the commitment, and the winners change', async () => {
    const report = await verifyExportFile(writeVariant('seed.ndjson.gz', (ls) => editLine(ls, 0, (o) => (o.seed = 'c'.repeat(64)))))
    expect(report.ok).toBe(false)
    expect(report.commitmentOk).toBe(false)
  })

  it('fails on a changed seed even when the commitment is changed to match it (the order and the winners differ)', async () => {
    const seed = 'd'.repeat(64)
    const commitment = crypto.createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex')
    const report = await verifyExportFile(
      writeVariant('seed2.ndjson.gz', (ls) => editLine(ls, 0, (o) => Object.assign(o, { seed, commitment }))),
      1000,
    )
    expect(report.commitmentOk).toBe(true)
    expect(report.ok).toBe(false)
    const problems = report.problems.map((p) => p.en).join(' ')
    // Each area's lines are in the draw order of the real seed, not of this one...
    expect(problems).toMatch(/out of order/)
    // ...and the recomputed winners are not the published ones.
    expect(problems).toMatch(/the recomputation says/)
  })

  it('fails on a pseudonym listed twice, in another area or with the priority flag', async () => {
    const i = lines.findIndex((l) => l.includes('"a":"13"') && l.includes('"g":0'))
    const twice = (o: Record<string, unknown>) => (ls: string[]) => [...ls.slice(0, -1), JSON.stringify({ ...(JSON.parse(ls[i]!) as Record<string, unknown>), ...o }), ls.at(-1)!]
    // The ineligible line (KX1) stays last; the copy goes just before it, after area 51's lines.
    for (const [name, change] of [['area', { a: '51' }], ['priority', { a: '51', g: 1 }]] as const) {
      const report = await verifyExportFile(writeVariant(`twice-${name}.ndjson.gz`, twice(change)), 1000)
      expect(report.ok).toBe(false)
      expect(report.problems.map((p) => p.en).join(' ')).toMatch(/is listed more than once/)
    }
  })

  it('fails on a removed line, even of someone not selected', async () => {
    const i = lines.findIndex((l, n) => n > 0 && l.includes('"s":0'))
    const report = await verifyExportFile(writeVariant('removed.ndjson.gz', (ls) => ls.filter((_, n) => n !== i)))
    expect(report.ok).toBe(false)
    expect(report.problems.map((p) => p.en).join(' ')).toMatch(/lines were removed or added/)
  })

  it('fails on a changed quota', async () => {
    const report = await verifyExportFile(writeVariant('quota.ndjson.gz', (ls) => editLine(ls, 0, (o) => ((o.quotas as Record<string, number>)['13'] = 3))))
    expect(report.ok).toBe(false)
  })

  it('fails on a priority flag given afterwards and on reordered lines', async () => {
    // Area 32.73: six applicants in their own KKs for three places; one left out made priority would have won.
    const i = lines.findIndex((l) => l.includes('"a":"32.73"') && l.includes('"s":0'))
    expect((await verifyExportFile(writeVariant('prio.ndjson.gz', (ls) => editLine(ls, i, (o) => (o.g = 1))))).ok).toBe(false)
    const swapped = await verifyExportFile(writeVariant('order.ndjson.gz', (ls) => [ls[0]!, ls[2]!, ls[1]!, ...ls.slice(3)]))
    expect(swapped.problems.map((p) => p.en).join(' ')).toMatch(/out of order/)
  })

  it('the stand-alone script published in docs/draw-verification.md gives the same answers', async () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/draw-verification.md'), 'utf8')
    const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(code).toBeDefined()
    const script = path.join(dir, 'check.mjs')
    fs.writeFileSync(script, code!)
    const good = await runCli(exportPath, [script])
    expect(good.stdout).toContain('seed matches commitment: true')
    expect(good.stdout).toContain('MATCH: same winners')
    const i = lines.findIndex((l) => l.includes('"s":1'))
    const bad = await runCli(writeVariant('flipped-doc.ndjson.gz', (ls) => editLine(ls, i, (o) => (o.s = 0))), [script])
    expect(bad.stdout).toContain('MISMATCH: 1 applicants differ')
  })

  it('an unreadable file exits 2', async () => {
    const file = path.join(dir, 'garbage.gz')
    fs.writeFileSync(file, Buffer.from([0x1f, 0x8b, 1, 2, 3]))
    expect((await runCli(file)).code).toBe(2)
  })
})
