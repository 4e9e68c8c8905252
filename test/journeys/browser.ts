/**
 * Helpers for journeys in a real browser: Debian's Chromium driven by playwright-core,
 * axe-core for accessibility, and screenshots for the README when SCREENSHOTS=1.
 */
import { readFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core'
import type { Result as AxeResult, ImpactValue } from 'axe-core'
import type { AddressInfo } from 'node:net'
import { startTestApp, type TestApp } from '../app.ts'

const CHROMIUM = '/usr/bin/chromium'
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
}

/** A cheap Android phone, the device most participants use. */
export const SMALL_PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

/** A fresh context (no cookies) per journey; `phone` emulates a 360×740 screen. */
export function newJourney(
  browser: Browser,
  opts: { baseURL: string; phone?: boolean; javaScriptEnabled?: boolean },
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: opts.baseURL,
    ...(opts.phone ? SMALL_PHONE : { viewport: { width: 1280, height: 900 } }),
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    locale: 'id-ID',
  })
}

/**
 * Everything that went wrong while a page was used: responses of 400 and more (with their
 * address), failed requests, console errors (a CSP refusal shows up here) and uncaught
 * script errors. A journey asserts the list stays empty.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`)
  })
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? ''
    // A sub-resource still loading when the page navigates away is aborted by the browser: not a fault.
    if (why === 'net::ERR_ABORTED' && r.resourceType() !== 'document' && r.resourceType() !== 'fetch' && r.resourceType() !== 'xhr') return
    problems.push(`failed ${new URL(r.url()).pathname}: ${why}`)
  })
  page.on('console', (m) => {
    // A failed load of the page's own requests is already recorded above, with its address.
    // (Chromium's own /favicon.ico fetch is outside the page and not a journey's concern.)
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return problems
}

const AXE_SOURCE = readFileSync(
  path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'),
  'utf8',
)

export interface Violation {
  page: string
  rule: string
  impact: ImpactValue | null
  help: string
  targets: string[]
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

type AxeRun = { violations: AxeResult[]; incomplete: AxeResult[] }

/**
 * Runs axe-core on the page as it is now, with WCAG 2 A/AA rules, and returns every violation.
 * Text with a 1:1 contrast against its background (invisible) is only "needs review" to axe;
 * here it counts as the serious color-contrast violation it is for the person looking.
 * The pages send a strict CSP (no inline scripts), so axe is evaluated through the DevTools
 * protocol rather than as an inline <script> tag, which the CSP would rightly refuse.
 */
export async function checkAccessibility(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate('typeof globalThis.axe === "object"')
  if (!loaded) await page.evaluate(AXE_SOURCE)
  const results = (await page.evaluate(
    (tags) =>
      (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<unknown> } }).axe.run(
        (globalThis as unknown as { document: unknown }).document,
        { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] },
      ),
    WCAG_TAGS,
  )) as AxeRun
  const pathname = new URL(page.url()).pathname
  const found: Violation[] = results.violations.map((v) => ({
    page: pathname,
    rule: v.id,
    impact: v.impact ?? null,
    help: v.help,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }))
  for (const r of results.incomplete) {
    if (r.id !== 'color-contrast') continue
    const invisible = r.nodes.filter((n) => n.any.some((c) => (c.data as { messageKey?: string } | null)?.messageKey === 'equalRatio'))
    if (invisible.length === 0) continue
    found.push({
      page: pathname,
      rule: 'color-contrast',
      impact: 'serious',
      help: 'Text is invisible: 1:1 contrast with its background',
      targets: invisible.map((n) => n.target.map(String).join(' ')),
    })
  }
  return found
}

/** Serious and critical violations: the ones a journey fails on. */
export function blocking(violations: readonly Violation[]): Violation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `[${v.impact ?? '?'}] ${v.page} ${v.rule}: ${v.help} — ${v.targets.join(', ')}`).join('\n')
}

const SCREENSHOT_DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** Saves docs/screenshots/<name>.png (the whole page) when SCREENSHOTS=1; otherwise does nothing. */
export async function screenshot(page: Page, name: string): Promise<string | null> {
  if (process.env.SCREENSHOTS !== '1') return null
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Clicks something that loads a new page (link or form) and waits until that page has loaded. */
export async function follow(page: Page, target: Locator): Promise<Response> {
  const [document] = await Promise.all([
    page.waitForResponse(
      (r) =>
        r.request().isNavigationRequest() &&
        r.request().frame() === page.mainFrame() &&
        (r.status() < 300 || r.status() >= 400),
    ),
    page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }),
    target.click(),
  ])
  await page.waitForLoadState('load')
  return document
}

/** Nothing wider than the screen: no sideways scrolling to read the page on a phone. */
export async function expectFitsScreen(page: Page): Promise<void> {
  const [content, screen] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number]
  expect(content, `${new URL(page.url()).pathname} is ${content}px wide on a ${screen}px screen`).toBeLessThanOrEqual(screen)
}


/** No serious or critical axe violation, and nothing wider than the screen. */
export async function expectAccessible(page: Page): Promise<void> {
  const found = blocking(await checkAccessibility(page))
  expect(found, describeViolations(found)).toEqual([])
  await expectFitsScreen(page)
}

/**
 * Reads the newest message to `to` (an e-mail address or a +62 phone number) in the dev
 * mailbox, in a tab of its own as a person would, and returns the first group of `pattern`.
 * `subject` narrows it to messages whose subject contains it.
 */
export async function readDevMailbox(context: BrowserContext, to: string, pattern: RegExp, subject?: string): Promise<string> {
  const mailbox = await context.newPage()
  try {
    await mailbox.goto('/dev/mailbox')
    let rows = mailbox.locator('tbody tr').filter({ has: mailbox.getByRole('cell', { name: to, exact: true }) })
    if (subject) rows = rows.filter({ hasText: subject })
    await follow(mailbox, rows.first().getByRole('link'))
    const text = (await mailbox.locator('pre').textContent()) ?? ''
    const m = pattern.exec(text)
    if (!m) throw new Error(`nothing matching ${pattern} in the message to ${to}: ${text}`)
    return m[1]!
  } finally {
    await mailbox.close()
  }
}

/**
 * Waits until `done()` answers true, asking every 100 ms, and fails after `timeoutMs` naming
 * `what`. For work the app does in the background (jobs), where the queue may also hold jobs
 * due much later.
 */
export async function waitUntil(what: string, done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The app on a real port with workers running, and a browser: what every journey starts from. */
export interface JourneyApp {
  readonly t: TestApp
  readonly browser: Browser
  readonly baseURL: string
  /** A fresh browser context (a phone when asked), closed with the app. */
  context(opts?: { phone?: boolean; javaScriptEnabled?: boolean }): Promise<BrowserContext>
  close(): Promise<void>
}

export async function startJourneyApp(opts: Parameters<typeof startTestApp>[0] = {}): Promise<JourneyApp> {
  const t = await startTestApp({ runWorkers: true, ...opts })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const baseURL = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  const browser = await launchBrowser()
  const contexts: BrowserContext[] = []
  return {
    t,
    browser,
    baseURL,
    async context(o = {}) {
      const c = await newJourney(browser, { baseURL, ...o })
      contexts.push(c)
      return c
    },
    async close() {
      for (const c of contexts) await c.close()
      await browser.close()
      await t.close()
    },
  }
}

/** Logs in through the login form (an account without a phone: no SMS step) and returns the page. */
export async function logInWithPassword(j: JourneyApp, email: string, password: string, opts: { phone?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await j.context({ phone: opts.phone ?? false })
  const page = await context.newPage()
  const problems = watchProblems(page)
  await page.goto('/masuk')
  await page.getByLabel('Alamat e-mail').fill(email)
  await page.getByLabel('Kata sandi').fill(password)
  await follow(page, page.locator('form[action="/masuk"]').getByRole('button', { name: 'Masuk' }))
  return { page, problems }
}
