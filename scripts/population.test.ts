import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/population.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    )
  })
}

describe('npm run population', () => {
  it('writes one person a line to stdout, the same for the same seed, and a summary to stderr', async () => {
    const a = await run(['--size', '200', '--seed', '5'])
    expect(a.code).toBe(0)
    const lines = a.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(200)
    expect(JSON.parse(lines[0]!)).toMatchObject({ nik: expect.stringMatching(/^\d{16}$/), kk: expect.stringMatching(/^\d{16}$/) })
    expect(a.stderr).toMatch(/people: 200/)
    expect(a.stderr).toMatch(/by province:/)
    expect((await run(['--size', '200', '--seed', '5'])).stdout).toBe(a.stdout)
  })

  it('writes to a file with --out', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'population-')), 'people.ndjson')
    const r = await run(['--size', '50', '--out', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(fs.readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(50)
  })

  it('refuses a missing or malformed size with exit 2 and the usage', async () => {
    for (const args of [[], ['--size', 'ten'], ['--size', '5', '--bogus']]) {
      const r = await run(args)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('usage: npm run population')
    }
  })
})
