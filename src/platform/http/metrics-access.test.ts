import { describe, expect, it } from 'vitest'
import { metricsAccess } from './ops.routes.ts'
import { loadConfig } from '../../config.ts'

const TOKEN = 'scraper-token-0123456789abcdef'

describe('who may read /metrics', () => {
  it('is open outside production when no token is set (npm start, tests)', () => {
    expect(metricsAccess(null, false, undefined)).toBe('ok')
  })

  it('is off in production when no token is set', () => {
    expect(metricsAccess(null, true, undefined)).toBe('off')
    expect(metricsAccess(null, true, `Bearer ${TOKEN}`)).toBe('off')
  })

  it('wants the token as a bearer token once one is set, in any environment', () => {
    for (const production of [true, false]) {
      expect(metricsAccess(TOKEN, production, `Bearer ${TOKEN}`)).toBe('ok')
      expect(metricsAccess(TOKEN, production, undefined)).toBe('unauthorized')
      expect(metricsAccess(TOKEN, production, TOKEN)).toBe('unauthorized')
      expect(metricsAccess(TOKEN, production, `Bearer ${TOKEN.slice(0, -1)}`)).toBe('unauthorized')
      expect(metricsAccess(TOKEN, production, `Bearer ${TOKEN}x`)).toBe('unauthorized')
      expect(metricsAccess(TOKEN, production, 'Bearer ')).toBe('unauthorized')
    }
  })

  it('refuses a short token at start-up, saying what to do', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN.*at least 24/)
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN)
    expect(loadConfig({}).metricsToken).toBeNull()
  })
})
