import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/db.ts'
import { loadConfig } from '../config.ts'
import { systemClock } from '../platform/clock.ts'
import { createJobs, type Jobs } from '../platform/jobs/jobs.ts'
import { createMail } from '../platform/mail/index.ts'
import { createIdentityCipher } from '../platform/crypto/identity.ts'
import { seedDemo, DEMO_LOGINS } from './seed.ts'

let db: TestDatabase
let jobs: Jobs
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await jobs?.stop()
  await db?.dispose()
})

async function snapshot() {
  const accounts = await db.db.selectFrom('accounts').select(['id', 'email', 'role', 'password_hash']).orderBy('email').execute()
  const outbox = await db.db.selectFrom('mail_outbox').select(['id']).orderBy('id').execute()
  const inbox = await db.db.selectFrom('inbox_messages').select(['id']).orderBy('id').execute()
  const courses = await db.db.selectFrom('courses').select(['id', 'status']).orderBy('id').execute()
  const sessions = await db.db.selectFrom('course_sessions').select(['id']).orderBy('id').execute()
  const credentials = await db.db.selectFrom('partner_credentials').select(['client_code']).orderBy('client_code').execute()
  return { accounts, outbox, inbox, courses, sessions, credentials }
}

describe('demo data', () => {
  it('loads one account per demo login and a welcome message, and a second run changes nothing', async () => {
    const config = loadConfig({ NODE_ENV: 'test' })
    jobs = createJobs(db, { runWorkers: false })
    const mail = createMail({ jobs, config, clock: systemClock })
    await jobs.start()
    const deps = { database: db, mail, clock: systemClock, identity: createIdentityCipher(config.identityKeys, config.identityLookupKey), config }

    const first = await seedDemo(deps)
    expect(first.created).toHaveLength(DEMO_LOGINS.length)
    const after1 = await snapshot()
    expect(after1.accounts).toHaveLength(DEMO_LOGINS.length)
    expect(after1.inbox).toHaveLength(1)
    // The demo marketplace: four approved courses, two sessions ahead for each one with sessions.
    expect(after1.courses.map((c) => c.status)).toEqual(['approved', 'approved', 'approved', 'approved'])
    expect(after1.sessions).toHaveLength(6)
    expect(after1.credentials.map((c) => c.client_code)).toEqual(['demo-platform-sandbox', 'demo-provider-sandbox'])

    const second = await seedDemo(deps)
    expect(second.created).toEqual([])
    expect(second.existing).toHaveLength(DEMO_LOGINS.length)
    expect(await snapshot()).toEqual(after1)
  })
})
