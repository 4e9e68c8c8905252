/**
 * Demo data for waves: money in the programme fund and one open wave on the 2023 scheme,
 * so a demo participant who completes the profile can join it at once; PMO closes it and
 * runs the draw from /pmo/gelombang. Idempotent: the deposit has a fixed idempotency key
 * and the wave a fixed code.
 */
import { createLedger } from '../ledger/index.ts'
import { toWibInput } from './wave-form.ts'
import * as repo from './waves.repository.ts'
import { commitWave, createWave, openWave, type Actor, type WavesDeps } from './waves.service.ts'

export const DEMO_WAVE_CODE = 'G2026-DEMO'
const DEMO_ACTOR: Actor = { id: null, role: 'demo_seed' }
const DAY = 86_400_000

export async function seedDemoWaves(deps: WavesDeps): Promise<{ created: boolean }> {
  const ledger = createLedger(deps)
  const budget = await ledger.openAccount(deps.db, 'state_budget')
  const fund = await ledger.openAccount(deps.db, 'programme_fund')
  await ledger.transfer(deps.db, {
    debitAccountId: budget.id,
    creditAccountId: fund.id,
    amount: 10_000_000_000,
    code: 'fund_deposit',
    reference: { type: 'budget_allocation', id: 'APBN-DEMO' },
    idempotencyKey: 'demo-fund-deposit',
    memo: 'Demo: APBN allocation for the demo waves',
  })
  if (await repo.findWaveByCode(deps.db, DEMO_WAVE_CODE)) return { created: false }
  const now = deps.clock.now()
  const id = await createWave(deps, DEMO_ACTOR, {
    code: DEMO_WAVE_CODE,
    name: 'Gelombang Demo 2026',
    opensAt: toWibInput(new Date(now.getTime() - DAY)),
    closesAt: toWibInput(new Date(now.getTime() + 14 * DAY)),
    nationalQuota: '1000',
    quotas: '13=200\n13.06=50',
    preset: '2023',
  })
  // No jobs: nothing is waiting in the queue of a fresh demo (tests wait for an idle queue),
  // nobody is there to carry over, and PMO closes the demo wave by hand.
  await commitWave(deps, DEMO_ACTOR, id, { scheduleJobs: false })
  await openWave(deps, DEMO_ACTOR, id, { carryOver: false })
  return { created: true }
}
