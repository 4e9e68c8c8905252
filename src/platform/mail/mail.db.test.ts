import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { loadConfig } from '../../config.ts'
import { fixedClock } from '../clock.ts'
import { transaction } from '../db/database.ts'
import { createJobs, type Jobs } from '../jobs/jobs.ts'
import {
  countUnread,
  createMail,
  createTransport,
  DELIVER_JOB,
  getOutbox,
  listInbox,
  listOutbox,
  markInboxRead,
  type Mail,
  type OutgoingMessage,
  type Transport,
} from './index.ts'

const SENT_AT = new Date('2026-11-24T03:00:00.000Z')

describe('mail on the real database', () => {
  let database: TestDatabase
  let jobs: Jobs
  let mail: Mail
  let accountA: string
  let accountB: string
  const calls: OutgoingMessage[] = []
  /** Recipient → how many more deliveries to it fail. */
  const failures = new Map<string, number>()

  beforeAll(async () => {
    database = await openTestDatabase()
    const config = loadConfig({ NODE_ENV: 'test' })
    const real = createTransport(config)
    const transport: Transport = async (msg) => {
      calls.push(msg)
      const left = failures.get(msg.to) ?? 0
      if (left > 0) {
        failures.set(msg.to, left - 1)
        throw new Error(`421 service not available (${msg.to})`)
      }
      return real(msg)
    }
    jobs = createJobs(database, { runWorkers: true, pollingIntervalSeconds: 0.5 })
    mail = createMail({
      jobs,
      config,
      clock: fixedClock(SENT_AT),
      transport,
      delivery: { retryLimit: 3, retryDelay: 0, retryBackoff: false },
    })
    await jobs.start()
    const accounts = await database.db
      .insertInto('accounts')
      .values([
        { display_name: 'Sari', role: 'participant' },
        { display_name: 'Budi', role: 'participant' },
      ])
      .returning('id')
      .execute()
    accountA = accounts[0]!.id
    accountB = accounts[1]!.id
  })

  afterAll(async () => {
    await jobs?.stop()
    await database?.dispose()
  })

  const callsTo = (to: string) => calls.filter((c) => c.to === to)
  const jobsFor = async (outboxId: string) => {
    const { rows } = await sql<{ state: string }>`
      select state::text from pgboss.job where name = ${DELIVER_JOB} and data->>'outboxId' = ${outboxId}`.execute(database.db)
    return rows.map((r) => r.state)
  }

  it('queues in the caller transaction, then the worker sends and the inbox keeps a copy', async () => {
    const { outboxId } = await transaction(database.db, async (trx) => {
      const sent = await mail.send(trx, {
        accountId: accountA,
        to: 'sari@example.id',
        template: 'test.welcome',
        subject: 'Selamat datang',
        text: 'Akun Anda sudah aktif.',
        html: '<p>Akun Anda sudah aktif.</p>',
        link: '/akun',
      })
      const row = await getOutbox(trx, sent.outboxId)
      expect(row?.status).toBe('queued')
      expect(callsTo('sari@example.id')).toHaveLength(0)
      return sent
    })
    await jobs.waitIdle(15_000)

    const row = await getOutbox(database.db, outboxId)
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      channel: 'email',
      account_id: accountA,
      provider_message_id: `<${outboxId}@karya.localhost>`,
      last_error: null,
    })
    expect(row?.sent_at?.toISOString()).toBe(SENT_AT.toISOString())
    expect(callsTo('sari@example.id')).toEqual([
      expect.objectContaining({ id: outboxId, subject: 'Selamat datang', html: '<p>Akun Anda sudah aktif.</p>' }),
    ])

    const inbox = await listInbox(database.db, accountA, { limit: 10 })
    expect(inbox).toEqual([
      expect.objectContaining({ outbox_id: outboxId, subject: 'Selamat datang', body: 'Akun Anda sudah aktif.', link: '/akun', read_at: null }),
    ])
    expect(await countUnread(database.db, accountA)).toBe(1)
    expect((await listOutbox(database.db, { limit: 10, offset: 0 })).map((r) => r.id)).toContain(outboxId)
  })

  it('leaves no outbox row, inbox message or job when the transaction rolls back', async () => {
    let outboxId = ''
    await expect(
      transaction(database.db, async (trx) => {
        outboxId = (await mail.send(trx, { accountId: accountB, to: 'budi@example.id', template: 't', subject: 's', text: 'x' })).outboxId
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(outboxId).not.toBe('')
    await jobs.waitIdle(15_000)
    expect(await getOutbox(database.db, outboxId)).toBeUndefined()
    expect(await listInbox(database.db, accountB, { limit: 10 })).toEqual([])
    expect(await jobsFor(outboxId)).toEqual([])
    expect(callsTo('budi@example.id')).toHaveLength(0)
  })

  it('retries a failing transport and records the attempts', async () => {
    failures.set('flaky@example.id', 2)
    const { outboxId } = await transaction(database.db, (trx) =>
      mail.send(trx, { to: 'flaky@example.id', template: 't', subject: 'Coba lagi', text: 'x' }),
    )
    await jobs.waitIdle(20_000)
    const row = await getOutbox(database.db, outboxId)
    expect(row).toMatchObject({ status: 'sent', attempts: 3 })
    expect(row?.last_error).toContain('421 service not available')
    expect(callsTo('flaky@example.id')).toHaveLength(3)
    expect(await jobsFor(outboxId)).toEqual(['completed'])
  })

  it('marks the row failed once the last retry fails', async () => {
    failures.set('dead@example.id', 100)
    const { outboxId } = await transaction(database.db, (trx) =>
      mail.send(trx, { to: 'dead@example.id', template: 't', subject: 'Tidak sampai', text: 'x' }),
    )
    await jobs.waitIdle(20_000)
    expect(await getOutbox(database.db, outboxId)).toMatchObject({ status: 'failed', attempts: 4, sent_at: null })
    expect(callsTo('dead@example.id')).toHaveLength(4)
    expect(await jobsFor(outboxId)).toEqual(['failed'])
  })

  it('sends once when the delivery job runs twice', async () => {
    const { outboxId } = await transaction(database.db, async (trx) => {
      const sent = await mail.send(trx, { to: 'twice@example.id', template: 't', subject: 'Sekali', text: 'x' })
      await jobs.enqueue(trx, DELIVER_JOB, { outboxId: sent.outboxId })
      return sent
    })
    await jobs.waitIdle(15_000)
    await jobs.enqueue(database.db, DELIVER_JOB, { outboxId })
    await jobs.waitIdle(15_000)
    expect(await jobsFor(outboxId)).toEqual(['completed', 'completed', 'completed'])
    expect(callsTo('twice@example.id')).toHaveLength(1)
    expect(await getOutbox(database.db, outboxId)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('delivers SMS through the same outbox and job', async () => {
    const { outboxId } = await transaction(database.db, (trx) =>
      mail.send(trx, { accountId: accountB, channel: 'sms', to: '+6281234567890', template: 't', subject: 'Kode', text: 'Kode Anda 123456' }),
    )
    await jobs.waitIdle(15_000)
    expect(await getOutbox(database.db, outboxId)).toMatchObject({
      status: 'sent',
      channel: 'sms',
      provider_message_id: `dev-sms-${outboxId}`,
    })
    expect((await listInbox(database.db, accountB, { limit: 10 })).map((m) => m.outbox_id)).toEqual([outboxId])
  })

  it('lets only the owner mark an inbox message read', async () => {
    const [message] = await listInbox(database.db, accountA, { limit: 1 })
    expect(message).toBeDefined()
    expect(await markInboxRead(database.db, accountB, message!.id)).toBe(false)
    expect(await countUnread(database.db, accountA)).toBe(1)
    expect(await markInboxRead(database.db, accountA, 'not-a-uuid')).toBe(false)
    expect(await markInboxRead(database.db, accountA, message!.id)).toBe(true)
    expect(await countUnread(database.db, accountA)).toBe(0)
    const [read] = await listInbox(database.db, accountA, { limit: 1 })
    expect(read?.read_at).toBeInstanceOf(Date)
  })

  it('refuses a message with no usable recipient', async () => {
    await expect(mail.send(database.db, { to: '  ', template: 't', subject: 's', text: 'x' })).rejects.toThrow(/no recipient/)
    await expect(mail.send(database.db, { to: '0812', template: 't', subject: 's', text: 'x' })).rejects.toThrow(/not an e-mail/)
    expect(await getOutbox(database.db, 'not-a-uuid')).toBeUndefined()
  })
})
