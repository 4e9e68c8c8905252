/** Buying courses with the card: purchases, vouchers, redeem codes, refunds. */
export * from './purchases.service.ts'
export * from './redemption.service.ts'
export * from './timeline.ts'
export { registerPurchaseApi, purchasesDeps } from './purchases.api.ts'
export { registerPurchasePages } from './purchases.pages.tsx'
export { formatVoucher, normaliseCode } from './codes.ts'
export type { PurchaseStatus } from './purchases.tables.ts'
