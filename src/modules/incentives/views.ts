/** What the participant's and PMO's incentive pages show, read in a few queries. */
import type { Db } from '../../platform/db/database.ts'
import { maskAccount } from './gateway.ts'
import type { ClaimStatus, FindingKind, PayoutStatus } from './incentives.tables.ts'
import type { PayoutLine } from './incentives.texts.ts'
import { eligibility, type Eligibility } from './schedule.service.ts'

export interface MyIncentives {
  readonly eligibility: Eligibility
  readonly account: { partner: string; masked: string; holderName: string; usableFrom: Date | null } | null
  readonly payouts: (PayoutLine & { id: string })[]
  readonly claim: { amount: number; status: ClaimStatus; dueAt: Date; reason: string } | null
}

export async function myIncentives(db: Db, accountId: string): Promise<MyIncentives> {
  const [e, a, payouts, claim] = await Promise.all([
    eligibility(db, accountId),
    db.selectFrom('payout_accounts').select(['partner', 'account_number', 'holder_name', 'usable_from']).where('account_id', '=', accountId).where('status', '=', 'active').executeTakeFirst(),
    db.selectFrom('incentive_payouts').selectAll().where('account_id', '=', accountId).orderBy('due_at').orderBy('sequence').execute(),
    db.selectFrom('repayment_claims').select(['amount', 'status', 'due_at', 'reason']).where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(1).executeTakeFirst(),
  ])
  return {
    eligibility: e,
    account: a ? { partner: a.partner, masked: maskAccount(a.account_number), holderName: a.holder_name, usableFrom: a.usable_from } : null,
    payouts: payouts.map((p) => ({
      id: p.id,
      amount: Number(p.amount),
      kind: p.kind,
      sequence: p.sequence,
      status: p.status,
      dueAt: p.due_at,
      partner: p.partner,
      maskedAccount: p.masked_account,
      sentAt: p.sent_at,
      paidAt: p.paid_at,
      failedAt: p.failed_at,
      failure: p.failure,
    })),
    claim: claim ? { amount: Number(claim.amount), status: claim.status, dueAt: claim.due_at, reason: claim.reason } : null,
  }
}

export interface PmoOverview {
  readonly byStatus: { status: PayoutStatus; count: number; total: number }[]
  readonly findings: { id: number; partner: string; day: string; kind: FindingKind; partnerKey: string; details: Record<string, unknown> }[]
  readonly statements: { partner: string; day: string; lines: number; total: number; reconciledAt: Date }[]
  readonly claims: { id: string; accountId: string; name: string; amount: number; status: ClaimStatus; dueAt: Date; reason: string }[]
}

export async function pmoOverview(db: Db): Promise<PmoOverview> {
  const [byStatus, findings, statements, claims] = await Promise.all([
    db
      .selectFrom('incentive_payouts')
      .select((eb) => ['status', eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('amount').as('total')])
      .groupBy('status')
      .orderBy('status')
      .execute(),
    db.selectFrom('reconciliation_findings').selectAll().orderBy('id', 'desc').limit(200).execute(),
    db.selectFrom('payout_statements').selectAll().orderBy('day', 'desc').orderBy('partner').limit(60).execute(),
    db
      .selectFrom('repayment_claims as c')
      .innerJoin('accounts as a', 'a.id', 'c.account_id')
      .select(['c.id', 'c.account_id', 'a.display_name', 'c.amount', 'c.status', 'c.due_at', 'c.reason'])
      .orderBy('c.created_at', 'desc')
      .limit(100)
      .execute(),
  ])
  return {
    byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count), total: Number(r.total ?? 0) })),
    findings: findings.map((f) => ({ id: f.id, partner: f.partner, day: f.day, kind: f.kind, partnerKey: f.partner_key, details: f.details })),
    statements: statements.map((s) => ({ partner: s.partner, day: s.day, lines: s.lines, total: Number(s.total), reconciledAt: s.reconciled_at })),
    claims: claims.map((c) => ({ id: c.id, accountId: c.account_id, name: c.display_name ?? '', amount: Number(c.amount), status: c.status, dueAt: c.due_at, reason: c.reason })),
  }
}
