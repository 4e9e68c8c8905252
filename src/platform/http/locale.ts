import type { FastifyInstance } from 'fastify'
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/index.ts'

export const LOCALE_COOKIE = 'karya_lang'

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale
  }
}

/** The switch the person pressed wins, then their account's choice, then Bahasa Indonesia. */
export function registerLocale(app: FastifyInstance): void {
  app.decorateRequest('locale', DEFAULT_LOCALE)
  app.addHook('onRequest', async (req) => {
    const fromCookie = req.cookies[LOCALE_COOKIE]
    if (isLocale(fromCookie)) req.locale = fromCookie
    else if (req.account) req.locale = req.account.locale
  })
}
