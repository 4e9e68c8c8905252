import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import nodemailer from 'nodemailer'
import { startTestApp, type TestApp } from '../../../test/app.ts'
import { fixedClock } from '../../platform/clock.ts'
import { helpdeskDeps } from './deps.ts'
import { startInboundSmtp, type InboundSmtp } from './inbound-email.ts'

const clock = fixedClock(new Date('2026-12-01T03:00:00Z'))
let t: TestApp
let smtp: InboundSmtp
const TO = 'pengaduan@karya.localhost'

beforeAll(async () => {
  t = await startTestApp({ clock })
  smtp = await startInboundSmtp(helpdeskDeps(t.deps), { port: 0, host: '127.0.0.1', ownAddresses: [TO, 'no-reply@karya.localhost'] })
})
afterAll(async () => {
  await smtp?.close()
  await t?.close()
})

function send(msg: { from: string; to?: string; subject: string; text: string; headers?: Record<string, string>; messageId?: string }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true })
  return transport.sendMail({ to: TO, ...msg })
}

const ticketsFrom = (email: string) => t.database.db.selectFrom('helpdesk_tickets').selectAll().where('contact_email', '=', email).execute()
const messagesOf = (id: string) => t.database.db.selectFrom('helpdesk_messages').selectAll().where('ticket_id', '=', id).orderBy('id').execute()

describe('the e-mail channel', () => {
  it('turns a new e-mail into a ticket and threads the reply by the tracking number in the subject', async () => {
    await send({ from: 'Budi Santoso <budi@contoh.test>', subject: 'Voucher tidak muncul', text: 'Saldo saya terpotong tapi voucher tidak muncul.' })
    const [ticket] = await ticketsFrom('budi@contoh.test')
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Voucher tidak muncul', contact_name: 'Budi Santoso' })
    const ack = await t.database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'budi@contoh.test').executeTakeFirstOrThrow()
    expect(ack.subject).toContain(`[${ticket!.tracking}]`)

    await send({ from: 'budi@contoh.test', subject: `Re: ${ack.subject}`, text: 'Ini foto layarnya.\n\nPada 1 Des 2026 Karya menulis:\n> Pengaduan Anda sudah kami terima' })
    expect(await ticketsFrom('budi@contoh.test')).toHaveLength(1)
    const msgs = await messagesOf(ticket!.id)
    expect(msgs.map((m) => [m.via, m.body])).toEqual([
      ['email', 'Saldo saya terpotong tapi voucher tidak muncul.'],
      ['email', 'Ini foto layarnya.'],
    ])
  })

  it('does not thread a reply from another sender into someone’s ticket: it becomes its own ticket', async () => {
    const [ticket] = await ticketsFrom('budi@contoh.test')
    const before = (await messagesOf(ticket!.id)).length
    await send({ from: 'eve@contoh.test', subject: `Re: [${ticket!.tracking}] Voucher tidak muncul`, text: 'Tolong kirim voucher Budi ke saya.' })
    expect(await messagesOf(ticket!.id)).toHaveLength(before)
    const [eve] = await ticketsFrom('eve@contoh.test')
    expect(eve!.tracking).not.toBe(ticket!.tracking)
    const seen = await t.database.db.selectFrom('helpdesk_inbound_emails').selectAll().where('ticket_id', '=', eve!.id).executeTakeFirstOrThrow()
    expect(seen.outcome).toBe('forged_new')
  })

  it('drops auto-replies, bulk mail and our own messages with a record, and never answers them', async () => {
    const outboxBefore = await t.database.db.selectFrom('mail_outbox').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    await send({ from: 'cuti@contoh.test', subject: 'Out of office', text: 'Saya sedang cuti', headers: { 'Auto-Submitted': 'auto-replied' } })
    await send({ from: 'promo@contoh.test', subject: 'Diskon', text: 'Promo', headers: { Precedence: 'bulk' } })
    await send({ from: 'Karya <no-reply@karya.localhost>', subject: '[KRY-2612-00000] Pengaduan diterima', text: 'loop' })
    for (const who of ['cuti@contoh.test', 'promo@contoh.test', 'no-reply@karya.localhost']) expect(await ticketsFrom(who)).toHaveLength(0)
    const outboxAfter = await t.database.db.selectFrom('mail_outbox').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    expect(outboxAfter.n).toBe(outboxBefore.n)
    const dropped = await t.database.db.selectFrom('helpdesk_inbound_emails').select('outcome').where('outcome', 'like', 'dropped:%').execute()
    expect(dropped.map((d) => d.outcome).sort()).toEqual(['dropped:auto_submitted', 'dropped:own_address', 'dropped:precedence'])
  })

  it('creates one ticket for a redelivered message and refuses mail for other mailboxes', async () => {
    const messageId = '<sama-123@contoh.test>'
    await send({ from: 'ulang@contoh.test', subject: 'Dua kali', text: 'Halo', messageId })
    await send({ from: 'ulang@contoh.test', subject: 'Dua kali', text: 'Halo', messageId })
    expect(await ticketsFrom('ulang@contoh.test')).toHaveLength(1)
    await expect(send({ from: 'a@contoh.test', to: 'orang@karya.localhost', subject: 'x', text: 'y' })).rejects.toThrow(/550|not here/)
  })

  it('keeps an over-long e-mail up to the limit and says it was cut', async () => {
    await send({ from: 'panjang@contoh.test', subject: 'Panjang', text: 'kata '.repeat(20_000) })
    const [tk] = await ticketsFrom('panjang@contoh.test')
    const [m] = await messagesOf(tk!.id)
    expect(m!.body.length).toBeLessThanOrEqual(5000)
    expect(m!.body).toContain('e-mail asli')
  })
})
