import { sql, type Kysely } from 'kysely'

// A platform's payable account is credited by every purchase on that platform (the hold at
// authorisation, the post at confirmation), so one row serialised every buyer of a platform
// on its row lock, one disk flush after another (decision 0009, "Not done"). A platform now
// has several payable accounts, one per shard: a purchase's hold goes to the shard chosen by
// its id. Each shard is an ordinary account (its own balances, the same checks and
// invariants); the platform's balance is the sum of its shards. Only platform_payable is
// sharded; every other account keeps shard 0.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table ledger_accounts add column shard smallint not null default 0`.execute(db)
  await sql`alter table ledger_accounts add constraint ledger_accounts_shard check (shard >= 0 and shard < 64 and (shard = 0 or type = 'platform_payable'))`.execute(db)
  await sql`drop index ledger_accounts_owner_key`.execute(db)
  await sql`create unique index ledger_accounts_owner_key on ledger_accounts (type, coalesce(owner_ref, ''), shard)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  // Only possible while no shard other than 0 holds an account.
  await sql`drop index ledger_accounts_owner_key`.execute(db)
  await sql`create unique index ledger_accounts_owner_key on ledger_accounts (type, coalesce(owner_ref, ''))`.execute(db)
  await sql`alter table ledger_accounts drop constraint ledger_accounts_shard`.execute(db)
  await sql`alter table ledger_accounts drop column shard`.execute(db)
}
