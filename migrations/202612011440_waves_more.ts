import type { Kysely } from 'kysely'

// What a revoked card gave back to the programme fund, so PMO can see the recovered money
// per region and plan the next wave with it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cards').addColumn('recovered_amount', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cards').dropColumn('recovered_amount').execute()
}
