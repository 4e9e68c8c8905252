import Fastify from 'fastify'
import helmet from '@fastify/helmet'
import { describe, expect, it } from 'vitest'
import { registerSecurityHeaders, securityHeaderOptions } from './security-headers.ts'

// The headers Helmet would add through @fastify/helmet, and ours, on a page and on a 404.
async function headersOf(kind: 'plugin' | 'ours', publicUrl: string, url: string) {
  const app = Fastify()
  if (kind === 'plugin') await app.register(helmet, securityHeaderOptions(publicUrl))
  else registerSecurityHeaders(app, publicUrl)
  app.get('/', async () => 'ok')
  const res = await app.inject({ method: 'GET', url })
  await app.close()
  const { date: _date, ...rest } = res.headers
  return { status: res.statusCode, headers: rest }
}

describe('security headers built once', () => {
  for (const publicUrl of ['http://localhost:3000', 'https://karya.example.id']) {
    for (const url of ['/', '/nowhere']) {
      it(`are the ones @fastify/helmet sends (${publicUrl}${url})`, async () => {
        const ours = await headersOf('ours', publicUrl, url)
        expect(ours).toEqual(await headersOf('plugin', publicUrl, url))
        expect(ours.headers['content-security-policy']).toContain("frame-ancestors 'none'")
        if (publicUrl.startsWith('https')) expect(ours.headers['strict-transport-security']).toBeDefined()
        else expect(ours.headers['strict-transport-security']).toBeUndefined()
      })
    }
  }
})
