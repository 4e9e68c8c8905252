import { describe, expect, it } from 'vitest'
import { parseLoadArgs } from './load.ts'

describe('npm run load arguments', () => {
  it('loads only loopback servers', () => {
    expect(parseLoadArgs(['--scenario', 'opening-night', '--url', 'https://karya.example.id'])).toMatch(/loopback/)
    expect(parseLoadArgs(['--scenario', 'opening-night', '--url', 'http://10.0.0.5:3000'])).toMatch(/loopback/)
    expect(parseLoadArgs(['--scenario', 'opening-night', '--url', 'http://127.0.0.1:3000', '--database-url', 'postgres://db.example.id/x'])).toMatch(/loopback/)
    expect(parseLoadArgs(['--scenario', 'opening-night', '--url', 'http://localhost:4000'])).toMatchObject({ url: 'http://localhost:4000' })
  })
  it('is bounded in time and count, and names the scenario', () => {
    expect(parseLoadArgs(['--scenario', 'opening-night', '--duration', '100000'])).toMatch(/--duration/)
    expect(parseLoadArgs(['--scenario', 'opening-night', '--count', '0'])).toMatch(/--count/)
    expect(parseLoadArgs(['--scenario', 'black-friday'])).toMatch(/--scenario/)
    expect(parseLoadArgs(['--scenario', 'opening-night'])).toMatchObject({ durationSeconds: 30, count: 1000, arrivalsPerSecond: 50 })
  })
})
