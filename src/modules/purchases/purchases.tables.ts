import type { ColumnType, Generated } from 'kysely'

export type PurchaseStatus = 'otp_sent' | 'held' | 'paid' | 'redeemed' | 'completed' | 'expired' | 'refunded' | 'cancelled'

export interface PlatformCardBindingsTable {
  platform_code: string
  platform_user_ref: string
  card_id: string
  bound_at: Date
}

export interface PurchasesTable {
  id: Generated<string>
  platform_code: string
  order_ref: string
  platform_user_ref: string
  card_id: string
  account_id: string
  course_id: string
  provider_code: string
  session_id: string | null
  price: number
  status: PurchaseStatus
  otp_hash: string | null
  otp_attempts: Generated<number>
  otp_expires_at: Date | null
  hold_id: number | null
  /** The shard of the session's seats this purchase took (course_session_seats). */
  seat_shard: number | null
  hold_expires_at: Date | null
  after_purchase_id: string | null
  voucher_code: string | null
  created_at: Date
  held_at: Date | null
  paid_at: Date | null
  redeemed_at: Date | null
  completed_at: Date | null
  ended_at: Date | null
  end_reason: string | null
}

export interface PurchaseEventsTable {
  id: Generated<number>
  purchase_id: string
  account_id: string
  kind: string
  details: ColumnType<Record<string, unknown>, string | undefined, never>
  at: Date
}

export interface RedeemCodesTable {
  code: string
  purchase_id: string
  session_id: string
  valid_from: Date
  valid_until: Date
  used_at: Date | null
  cancelled_at: Date | null
}

export interface PurchasesTables {
  platform_card_bindings: PlatformCardBindingsTable
  purchases: PurchasesTable
  purchase_events: PurchaseEventsTable
  redeem_codes: RedeemCodesTable
}
