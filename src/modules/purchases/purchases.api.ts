/**
 * The buying half of the partner API. Platforms: start → authorise (the participant's
 * code) → confirm. Providers: take vouchers, commit session redeem codes, cancel sessions.
 * The legacy path `/api/v1/integration/payment/redeem-code/commit` is kept as the real
 * programme has it, so providers move over unchanged.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { authorisePurchase, confirmPurchase, getPurchase, startPurchase, type PurchasesDeps } from './purchases.service.ts'
import { cancelSession, commitRedeemCode, redeemVoucher } from './redemption.service.ts'

const PurchaseOut = Type.Object({
  id: Type.String({ format: 'uuid' }),
  orderRef: Type.String(),
  status: Type.String({ examples: ['otp_sent'] }),
  courseId: Type.String(),
  sessionId: Type.Union([Type.String(), Type.Null()]),
  price: Type.Integer(),
  voucherCode: Type.Union([Type.String(), Type.Null()]),
  holdExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  otpExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  waitsFor: Type.Union([Type.String(), Type.Null()]),
})

const StartBody = Type.Object({
  orderRef: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description: 'Your order id: the same order sent twice returns the same purchase.', examples: ['ORD-2026-000123'] }),
  cardNumber: Type.String({ pattern: '^[0-9 -]{16,19}$', examples: ['5480 1234 5678 9012'] }),
  courseId: Type.String({ format: 'uuid' }),
  sessionId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  platformUserRef: Type.String({ minLength: 1, maxLength: 128, description: 'Your user id for the buyer: one card per platform account.' }),
})

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) })

export function purchasesDeps(deps: AppDeps): PurchasesDeps {
  return { db: deps.database.db, clock: deps.clock, jobs: deps.jobs, mail: deps.mail, secret: deps.config.secret }
}

export function registerPurchaseApi(app: FastifyInstance, deps: AppDeps): void {
  const pd = purchasesDeps(deps)
  const platform = { access: { partner: 'platform' as const } }
  const provider = { access: { partner: 'provider' as const } }

  app.post(
    '/api/v1/partner/purchases',
    {
      config: platform,
      schema: {
        tags: ['partner'],
        summary: 'Start a purchase with a card number (platform)',
        description: 'Checks the card, the course, the seat and the balance, then sends the participant a one-time code (SMS and Karya inbox). Nothing is held yet.',
        body: StartBody,
        response: { 200: Type.Intersect([PurchaseOut, Type.Object({ sentTo: Type.String({ description: 'Where the code went, masked.' }) })]) },
      },
    },
    async (req) => startPurchase(pd, req.partner!.code, req.body as Static<typeof StartBody>),
  )

  app.post(
    '/api/v1/partner/purchases/:id/authorise',
    {
      config: platform,
      schema: {
        tags: ['partner'],
        summary: 'Give the participant’s one-time code: holds the price and reserves the seat (platform)',
        description: 'On success the price is held and the seat taken, together, for 15 minutes. Confirm within that time or both are released.',
        params: Id,
        body: Type.Object({ otp: Type.String({ pattern: '^[0-9]{6}$', examples: ['123456'] }) }),
        response: { 200: PurchaseOut },
      },
    },
    async (req) => authorisePurchase(pd, req.partner!.code, (req.params as { id: string }).id, (req.body as { otp: string }).otp),
  )

  app.post(
    '/api/v1/partner/purchases/:id/confirm',
    {
      config: platform,
      schema: { tags: ['partner'], summary: 'Confirm the purchase: posts the payment and issues the voucher (platform)', params: Id, response: { 200: PurchaseOut } },
    },
    async (req) => confirmPurchase(pd, req.partner!.code, (req.params as { id: string }).id),
  )

  app.get(
    '/api/v1/partner/purchases/:id',
    { config: platform, schema: { tags: ['partner'], summary: 'A purchase and its status (platform)', params: Id, response: { 200: PurchaseOut } } },
    async (req) => getPurchase(pd.db, req.partner!.code, (req.params as { id: string }).id),
  )

  const Redeemed = Type.Object({
    purchaseId: Type.String(),
    courseId: Type.String(),
    participantName: Type.String(),
    redeemCodes: Type.Array(Type.Object({ code: Type.String(), sessionId: Type.String(), validFrom: Type.String({ format: 'date-time' }), validUntil: Type.String({ format: 'date-time' }) })),
  })

  app.post(
    '/api/v1/partner/vouchers/redeem',
    {
      config: provider,
      schema: {
        tags: ['partner'],
        summary: 'Take a participant’s voucher: enrols them and issues session redeem codes (provider)',
        body: Type.Object({ voucherCode: Type.String({ minLength: 4, maxLength: 20, examples: ['VABC-DEF0-1234'] }) }),
        response: { 200: Redeemed },
      },
    },
    async (req) => redeemVoucher(pd, req.partner!.code, (req.body as { voucherCode: string }).voucherCode),
  )

  const Attended = Type.Object({ purchaseId: Type.String(), sessionId: Type.String(), participantName: Type.String() })
  app.post(
    '/api/v1/partner/redeem-codes/commit',
    {
      config: provider,
      schema: {
        tags: ['partner'],
        summary: 'Commit a session redeem code: attendance (provider)',
        description: 'Valid from 1 hour before to 1 hour after the session starts.',
        body: Type.Object({ redeemCode: Type.String({ minLength: 4, maxLength: 20 }) }),
        response: { 200: Attended },
      },
    },
    async (req) => commitRedeemCode(pd, req.partner!.code, (req.body as { redeemCode: string }).redeemCode),
  )

  app.post(
    '/api/v1/integration/payment/redeem-code/commit',
    {
      config: provider,
      schema: {
        tags: ['partner'],
        summary: 'Legacy: commit a redeem code, as the real programme’s API (provider)',
        description: 'Same as POST /api/v1/partner/redeem-codes/commit with the body and signature scheme of the programme’s old API (`client_code`, `timestamp`, `signature` = HMAC-SHA1).',
        body: Type.Object({ redeem_code: Type.String({ minLength: 4, maxLength: 20, examples: ['code'] }) }),
        response: { 200: Type.Object({ success: Type.Boolean(), message: Type.String(), data: Attended }) },
      },
    },
    async (req) => {
      const data = await commitRedeemCode(pd, req.partner!.code, (req.body as { redeem_code: string }).redeem_code)
      return { success: true, message: 'Kode redeem berhasil digunakan', data }
    },
  )

  app.post(
    '/api/v1/partner/sessions/:id/cancel',
    {
      config: provider,
      schema: {
        tags: ['partner'],
        summary: 'Cancel a session: everyone who paid is refunded to their balance (provider)',
        params: Id,
        body: Type.Object({ reason: Type.String({ minLength: 5, maxLength: 300 }) }),
        response: { 200: Type.Object({ refunded: Type.Integer(), released: Type.Integer() }) },
      },
    },
    async (req) => cancelSession(pd, { providerCode: req.partner!.code }, (req.params as { id: string }).id, (req.body as { reason: string }).reason),
  )
}
