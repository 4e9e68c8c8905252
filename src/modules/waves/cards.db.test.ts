/**
 * From the draw to the card and past its deadline: cards issued once with the balance
 * credited once through the ledger, the person told by e-mail, SMS and inbox; people not
 * selected carried into the next wave; a card unused by its deadline revoked, its money
 * returned to the programme fund, its NIK blacklisted, idempotently.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db.ts'
import { createLedger } from '../ledger/index.ts'
import { isValidCardNumber } from './card-number.ts'
import { issueCards, markFirstPurchase, revokeCard, revokeOverdueCards, sendCardReminder } from './cards.service.ts'
import { carryOver, joinWave, requestNotify, waveState } from './participation.service.ts'
import { fundProgramme, participant, waveForm, wavesFixture, type Person, type WavesFixture } from './testing.ts'
import { drawAndIssue } from './waves.jobs.ts'
import * as repo from './waves.repository.ts'
import { closeWave, commitWave, createWave, openWave, type Actor } from './waves.service.ts'

const DAY = 86_400_000
let db: TestDatabase
let f: WavesFixture
const pmo: Actor = { id: null, role: 'pmo_admin' }
const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'karya-cards-'))

beforeAll(async () => {
  db = await openTestDatabase()
  f = await wavesFixture(db, exportDir)
  await fundProgramme(f.deps)
})
afterAll(async () => {
  await f?.stop()
  await db?.dispose()
  fs.rmSync(exportDir, { recursive: true, force: true })
})

const ledger = () => createLedger(f.deps)
async function trainingBalance(accountId: string): Promise<number> {
  const a = await ledger().findAccount(db.db, 'participant_training', accountId)
  return a ? (await ledger().balance(db.db, a.id)).posted : 0
}
async function fundBalance(): Promise<number> {
  const a = await ledger().openAccount(db.db, 'programme_fund')
  return (await ledger().balance(db.db, a.id)).posted
}
async function transfersOf(type: string) {
  return db.db.selectFrom('ledger_transfers').select(['code', 'amount', 'reference_id']).where('reference_type', '=', type).execute()
}
async function messages(to: string, template: string) {
  return db.db.selectFrom('mail_outbox').select(['channel', 'text_body']).where('to_address', '=', to).where('template', '=', template).execute()
}

let waveId: string
let people: Person[]
let selected: Person[]
let notSelected: Person[]

describe('a wave from joining to cards', () => {
  it('walks a person through the dashboard states: none, join, waiting, processing, selected with a card', async () => {
    people = [await participant(db.db, f.deps.identity), await participant(db.db, f.deps.identity), await participant(db.db, f.deps.identity)]
    const watcher = people[0]!
    expect((await waveState(f.deps, watcher.accountId)).kind).toBe('none')
    waveId = await createWave(f.deps, pmo, waveForm({ code: 'G-CARDS', nationalQuota: '2' }))
    await commitWave(f.deps, pmo, waveId)
    const none = await waveState(f.deps, watcher.accountId)
    expect(none.kind === 'none' && none.next?.code).toBe('G-CARDS')
    await openWave(f.deps, pmo, waveId)
    const join = await waveState(f.deps, watcher.accountId)
    expect(join.kind === 'join' && join.readiness.ready).toBe(true)
    for (const p of people) await joinWave(f.deps, p.accountId, 'G-CARDS')
    expect((await waveState(f.deps, watcher.accountId)).kind).toBe('waiting')
    await closeWave(f.deps, pmo, waveId)
    expect((await waveState(f.deps, watcher.accountId)).kind).toBe('processing')

    const fundBefore = await fundBalance()
    const r = await drawAndIssue(f.deps, waveId)
    expect(r.draw.alreadyRan).toBe(false)
    expect(r.draw.selected).toBe(2)
    expect(r.cards.issued).toBe(2)
    const outcomes = await db.db
      .selectFrom('wave_applications as a')
      .innerJoin('wave_outcomes as o', 'o.application_id', 'a.id')
      .select(['a.account_id', 'o.outcome'])
      .where('a.wave_id', '=', waveId)
      .execute()
    selected = people.filter((p) => outcomes.find((o) => o.account_id === p.accountId)?.outcome === 'selected')
    notSelected = people.filter((p) => outcomes.find((o) => o.account_id === p.accountId)?.outcome === 'not_selected')
    expect(selected).toHaveLength(2)
    expect(notSelected).toHaveLength(1)
    expect(await fundBalance()).toBe(fundBefore - 2 * 3_500_000)

    for (const p of selected) {
      const card = await repo.cardOfAccount(db.db, p.accountId)
      expect(card).toBeDefined()
      expect(isValidCardNumber(card!.card_number)).toBe(true)
      expect(card!.first_purchase_deadline.getTime() - card!.issued_at.getTime()).toBe(30 * DAY)
      expect(await trainingBalance(p.accountId)).toBe(3_500_000)
      const state = await waveState(f.deps, p.accountId)
      expect(state.kind === 'card' && state.card.card_number).toBe(card!.card_number)
      const email = await messages(p.email, 'waves.card-issued')
      const sms = await messages(p.phone, 'waves.card-issued')
      expect(email).toHaveLength(1)
      expect(email[0]!.text_body).toContain(card!.card_number.slice(0, 4))
      expect(sms).toHaveLength(1)
      expect(sms[0]!.channel).toBe('sms')
      const inbox = await db.db.selectFrom('inbox_messages').select('id').where('account_id', '=', p.accountId).execute()
      expect(inbox).toHaveLength(1)
    }
    expect((await waveState(f.deps, notSelected[0]!.accountId)).kind).toBe('not_selected')
    // The one not selected is told so, and what happens next, by e-mail (with an inbox copy) and SMS; the selected are not.
    expect(r.notSelectedNotified).toBe(1)
    const told = await messages(notSelected[0]!.email, 'waves.not-selected')
    expect(told).toHaveLength(1)
    expect(told[0]!.text_body).toContain('belum terpilih')
    expect(told[0]!.text_body).toContain('not selected')
    expect(await messages(notSelected[0]!.phone, 'waves.not-selected')).toHaveLength(1)
    expect(await db.db.selectFrom('inbox_messages').select('id').where('account_id', '=', notSelected[0]!.accountId).execute()).toHaveLength(1)
    for (const p of selected) expect(await messages(p.email, 'waves.not-selected')).toHaveLength(0)
  })

  it('issues nothing twice and credits once, however often it runs', async () => {
    const credits = (await transfersOf('wave_card')).length
    expect(credits).toBe(2)
    expect((await issueCards(f.deps, waveId)).issued).toBe(0)
    const again = await drawAndIssue(f.deps, waveId)
    expect(again.draw.alreadyRan).toBe(true)
    expect(again.cards.issued).toBe(0)
    expect(again.notSelectedNotified).toBe(0)
    expect(await messages(notSelected[0]!.email, 'waves.not-selected')).toHaveLength(1)
    expect(await transfersOf('wave_card')).toHaveLength(credits)
    for (const p of selected) expect(await trainingBalance(p.accountId)).toBe(3_500_000)
  })

  it('carries a person not selected into the next wave and tells them and everyone who asked', async () => {
    const asker = await participant(db.db, f.deps.identity)
    await requestNotify(f.deps, asker.accountId)
    const next = await createWave(f.deps, pmo, waveForm({ code: 'G-NEXT', opensAt: '2026-12-10T08:00', closesAt: '2026-12-20T23:59' }))
    await commitWave(f.deps, pmo, next)
    const before = await waveState(f.deps, notSelected[0]!.accountId)
    expect(before.kind === 'not_selected' && before.next?.code).toBe('G-NEXT')
    await openWave(f.deps, pmo, next)
    const r = await carryOver(f.deps, next)
    expect(r).toEqual({ carried: 1, notified: 1 })
    const apps = await db.db.selectFrom('wave_applications').selectAll().where('wave_id', '=', next).execute()
    expect(apps).toHaveLength(1)
    expect(apps[0]).toMatchObject({ account_id: notSelected[0]!.accountId, carried_from: waveId })
    expect(await db.db.selectFrom('wave_outcomes').select('outcome').where('application_id', '=', apps[0]!.id).executeTakeFirst()).toBeUndefined()
    const state = await waveState(f.deps, notSelected[0]!.accountId)
    expect(state.kind === 'waiting' && state.application.carried_from).toBe(waveId)
    expect(await messages(notSelected[0]!.email, 'waves.opened')).toHaveLength(1)
    expect(await messages(asker.email, 'waves.opened')).toHaveLength(1)
    expect((await db.db.selectFrom('wave_notify_requests').select('notified_at').where('account_id', '=', asker.accountId).executeTakeFirstOrThrow()).notified_at).not.toBeNull()
    expect(await carryOver(f.deps, next)).toEqual({ carried: 0, notified: 0 })
    // The selected ones hold cards: never carried.
    expect(apps.some((a) => selected.some((p) => p.accountId === a.account_id))).toBe(false)
  })
})

describe('the first-purchase deadline', () => {
  it('schedules reminders 7, 3 and 1 days before the deadline, and the revocation at it', async () => {
    const card = (await repo.cardOfAccount(db.db, selected[0]!.accountId))!
    const jobs = (await db.db
      .selectFrom('pgboss.job' as never)
      .select(['name', 'start_after', 'data'] as never[])
      .where('name' as never, 'in', ['waves.card-reminder', 'waves.card-deadline'] as never)
      .execute()) as Array<{ name: string; start_after: Date; data: { cardId: string; daysBefore?: number } }>
    const mine = jobs.filter((j) => j.data.cardId === card.id)
    const at = (d: number) => new Date(card.first_purchase_deadline.getTime() - d * DAY).toISOString()
    expect(mine.filter((j) => j.name === 'waves.card-reminder').map((j) => [j.data.daysBefore, new Date(j.start_after).toISOString()]).sort()).toEqual(
      [[1, at(1)], [3, at(3)], [7, at(7)]],
    )
    expect(mine.filter((j) => j.name === 'waves.card-deadline').map((j) => new Date(j.start_after).toISOString())).toEqual([at(0)])
  })

  it('reminds only while the card waits for its first purchase', async () => {
    const card = (await repo.cardOfAccount(db.db, selected[0]!.accountId))!
    expect(await sendCardReminder(f.deps, card.id, 7)).toBe(true)
    expect(await messages(selected[0]!.email, 'waves.card-reminder')).toHaveLength(1)
  })

  it('revokes an unused card at its deadline: money back to the fund, NIK blacklisted, person told; once', async () => {
    const [buyer, idle] = selected as [Person, Person]
    const idleCard = (await repo.cardOfAccount(db.db, idle.accountId))!
    expect(await revokeCard(f.deps, idleCard.id)).toBe(false)
    expect(await markFirstPurchase(db.db, buyer.accountId, f.clock.now())).toBe(true)
    expect(await markFirstPurchase(db.db, buyer.accountId, f.clock.now())).toBe(false)
    const buyerCard = (await repo.cardOfAccount(db.db, buyer.accountId))!
    expect(await sendCardReminder(f.deps, buyerCard.id, 3)).toBe(false)

    f.clock.set(new Date(idleCard.first_purchase_deadline.getTime() + 1000))
    const fundBefore = await fundBalance()
    expect(await revokeOverdueCards(f.deps)).toBe(1)
    const revoked = (await repo.cardOfAccount(db.db, idle.accountId))!
    expect(revoked).toMatchObject({ status: 'revoked', revoke_reason: 'no_first_purchase', recovered_amount: 3_500_000 })
    expect(await trainingBalance(idle.accountId)).toBe(0)
    expect(await fundBalance()).toBe(fundBefore + 3_500_000)
    expect((await transfersOf('wave_card')).map((t) => t.code).sort()).toEqual(['credit_balance', 'credit_balance', 'forfeit', 'recover'])
    expect(await repo.isBlacklisted(db.db, f.deps.identity.lookupHash(idle.nik))).toBe(true)
    expect(await repo.isBlacklisted(db.db, f.deps.identity.lookupHash(buyer.nik))).toBe(false)
    const told = await messages(idle.email, 'waves.card-revoked')
    expect(told).toHaveLength(1)
    expect(told[0]!.text_body).toMatch(/no first course was bought by the deadline/)
    expect(await messages(idle.phone, 'waves.card-revoked')).toHaveLength(1)
    expect((await repo.cardOfAccount(db.db, buyer.accountId))!.status).toBe('active')
    const log = await db.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', idleCard.id).execute()
    expect(log).toEqual([{ action: 'card.revoke', details: expect.objectContaining({ recovered: 3_500_000 }) }])

    // Again: nothing moves, nobody is told twice.
    expect(await revokeOverdueCards(f.deps)).toBe(0)
    expect(await revokeCard(f.deps, idleCard.id)).toBe(false)
    expect(await fundBalance()).toBe(fundBefore + 3_500_000)
    expect(await messages(idle.email, 'waves.card-revoked')).toHaveLength(1)
  })

  it('shows PMO the revoked place and the recovered money in the funnel', async () => {
    const rows = await repo.funnel(db.db, waveId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ province_code: '13', applicants: 3, eligible: 3, selected: 2, not_selected: 1, cards_active: 1, cards_revoked: 1, recovered: 3_500_000 })
  })
})
