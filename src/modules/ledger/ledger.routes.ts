/** The ledger's JSON API (a participant's own balance and history) and its pages. */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { formatRupiah } from './amount.ts'
import { ACCOUNT_TYPES, TRANSFER_CODES } from './codes.ts'
import { describeMovement } from './history.ts'
import { listHistory, participantBalances } from './ledger.history.ts'
import { registerLedgerPages } from './ledger.pages.tsx'

const BalanceItem = Type.Object({
  accountId: Type.Integer(),
  type: Type.Union(ACCOUNT_TYPES.map((t) => Type.Literal(t))),
  posted: Type.Integer({ description: 'Rupiah that have really arrived minus those that have left' }),
  held: Type.Integer({ description: 'Rupiah reserved by open holds (purchases waiting for confirmation)' }),
  available: Type.Integer({ description: 'posted − held: what can be spent now' }),
})

const MovementItem = Type.Object({
  transferId: Type.Integer(),
  accountId: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: Type.Union(['single', 'pending', 'post', 'void', 'expire'].map((k) => Type.Literal(k))),
  code: Type.Union(Object.keys(TRANSFER_CODES).map((c) => Type.Literal(c))),
  amount: Type.Integer(),
  availableChange: Type.Integer({ description: 'Effect on the available balance, in rupiah' }),
  description: Type.String({ description: 'What happened, in plain words in the caller’s language' }),
})

export function registerLedgerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  app.get(
    '/api/v1/me/balance',
    {
      config: { access: ['participant'] },
      schema: {
        tags: ['me'],
        summary: 'My training balance and incentive entitlement, with every movement, newest first',
        querystring: Type.Object({
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'nextBefore of the previous page' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
        }),
        response: {
          200: Type.Object({
            currency: Type.Literal('IDR'),
            balances: Type.Array(BalanceItem),
            movements: Type.Array(MovementItem),
            nextBefore: Type.Union([Type.Integer(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query as { before?: number; limit?: number }
      const l = req.locale
      const balances = await participantBalances(db, req.account!.id)
      const page = await listHistory(db, balances.map((b) => b.id), { beforeId: q.before ?? null, limit: q.limit ?? 30 })
      return {
        currency: 'IDR' as const,
        balances: balances.map((b) => ({ accountId: b.id, type: b.type, posted: b.posted, held: b.held, available: b.available })),
        movements: page.movements.map((m) => ({
          transferId: m.transferId,
          accountId: m.accountId,
          at: m.at.toISOString(),
          kind: m.kind,
          code: m.code,
          amount: m.amount,
          availableChange: m.availableChange,
          description: describeMovement(l, m, (n) => formatRupiah(l, n)),
        })),
        nextBefore: page.nextBeforeId,
      }
    },
  )
  registerLedgerPages(app, deps)
}
