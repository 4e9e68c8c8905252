/**
 * The ledger's invariants, judged from facts read out of the tables in one snapshot:
 * every debit has its credit, cached balances equal the sums of their transfers, no
 * non-negative account is below zero, and every hold is open, posted, voided or expired
 * exactly once, with a resolution that matches it.
 */
import type { AccountMismatch, HoldStates, LedgerTotals, TransferProblemRow } from './ledger.repository.ts'

export type ProblemKind =
  | 'unbalanced'
  | 'cache_mismatch'
  | 'negative_balance'
  | 'negative_pending'
  | TransferProblemRow['problem']

export interface Problem {
  kind: ProblemKind
  accountId?: number
  transferId?: number
  detail: string
}

export interface CheckFacts {
  totals: LedgerTotals
  holds: HoldStates
  accounts: { rows: AccountMismatch[]; count: number }
  transfers: TransferProblemRow[]
}

export interface CheckReport {
  ok: boolean
  accounts: number
  transfers: number
  /** Sums over every account, derived from the transfers. */
  totals: { debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number }
  holds: HoldStates
  problems: Problem[]
  /** All problems found, including those not listed. */
  problemCount: number
}

const COLUMNS = ['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'] as const

export function judge(f: CheckFacts): CheckReport {
  const problems: Problem[] = []
  let extra = 0
  const { cached, derived } = f.totals
  if (derived.dp !== derived.cp || derived.dq !== derived.cq) {
    problems.push({ kind: 'unbalanced', detail: `transfers: debits ${derived.dp}/${derived.dq} (posted/pending) vs credits ${derived.cp}/${derived.cq}` })
  }
  if (cached.dp !== cached.cp || cached.dq !== cached.cq) {
    problems.push({ kind: 'unbalanced', detail: `accounts: debits ${cached.dp}/${cached.dq} (posted/pending) vs credits ${cached.cp}/${cached.cq}` })
  }
  for (const a of f.accounts.rows) {
    const [dp, cp, dq, cq] = a.derived
    const differs = COLUMNS.filter((_, i) => a.cached[i] !== a.derived[i])
    if (differs.length > 0) {
      problems.push({
        kind: 'cache_mismatch',
        accountId: a.id,
        detail: differs.map((c) => `${c} stored ${a.cached[COLUMNS.indexOf(c)]}, transfers give ${a.derived[COLUMNS.indexOf(c)]}`).join('; '),
      })
    }
    if (!a.may_go_negative && cp - dp - dq < 0) {
      problems.push({ kind: 'negative_balance', accountId: a.id, detail: `${a.type} available ${cp - dp - dq} < 0` })
    }
    if (dq < 0 || cq < 0) problems.push({ kind: 'negative_pending', accountId: a.id, detail: `pending ${dq}/${cq} below zero` })
  }
  extra += Math.max(0, f.accounts.count - f.accounts.rows.length)
  for (const t of f.transfers) problems.push({ kind: t.problem, transferId: t.id, detail: TRANSFER_PROBLEMS[t.problem] })
  return {
    ok: problems.length === 0 && extra === 0,
    accounts: f.totals.accounts,
    transfers: f.totals.transfers,
    totals: { debitsPosted: derived.dp, creditsPosted: derived.cp, debitsPending: derived.dq, creditsPending: derived.cq },
    holds: f.holds,
    problems,
    problemCount: problems.length + extra,
  }
}

const TRANSFER_PROBLEMS: Record<TransferProblemRow['problem'], string> = {
  not_a_hold: 'resolves a transfer that is not a hold',
  accounts_differ: 'resolution moves between other accounts than its hold',
  post_exceeds_hold: 'posts more than its hold reserved',
  release_differs: 'void or expiry releases another amount than was held',
  expired_early: 'expired before the hold deadline',
  two_resolutions: 'hold resolved more than once',
  bad_row: 'amount not positive, currency not IDR or same account on both sides',
}
