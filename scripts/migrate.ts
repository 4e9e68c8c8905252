/** `npm run migrate`: applies pending migrations and lists what ran. */
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/platform/db/database.ts'
import { migrateToLatest } from '../src/platform/db/migrate.ts'

const config = loadConfig()
const database = await openDatabase(config.database)
try {
  const results = await migrateToLatest(database.db)
  if (results.length === 0) console.log('Database is up to date; no migration to run.')
  for (const r of results) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`)
} finally {
  await database.close()
}
