/** Runs the frozen migrations in `migrations/` (timestamp order) with Kysely's Migrator. */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { pathToFileURL } from 'node:url'
import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely/migration'
import type { Db } from './database.ts'

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations')

/**
 * Imports from this module rather than from inside Kysely, so whatever loads our
 * TypeScript (tsx, Vitest) loads the migrations too.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{12}_.+\.ts$/.test(f)).sort()
    const migrations: Record<string, Migration> = {}
    for (const f of files) {
      migrations[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, f)).href)) as Migration
    }
    return migrations
  },
}

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider })
}

export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    })
  }
  return results ?? []
}

/** Names of migrations present on disk but not yet applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}
