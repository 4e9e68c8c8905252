import { type Kysely } from 'kysely'

// Every purchase start asks whether the card already has this course, and every
// confirmation whether the card has an unfinished earlier course: both by card, which had
// no index, so each was a scan of all purchases (decision 0009).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('purchases_card_idx').on('purchases').columns(['card_id', 'course_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('purchases_card_idx').execute()
}
