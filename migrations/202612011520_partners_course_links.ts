import type { Kysely } from 'kysely'

// Where a participant buys a course: the platform's page for it. `{id}` is replaced by
// Karya's course id, so the catalogue can link straight to the platform's checkout.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partners').addColumn('course_url_template', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partners').dropColumn('course_url_template').execute()
}
