import { sql, type Kysely } from 'kysely'

// Whether an account's identity checks passed, kept on the account (decision 0015): true
// when, in the account's newest round, all three checks (civil registry, education,
// exclusions) have a passed row. The draw reads it instead of aggregating every account's
// check history (3 rows per account and round: 30 million rows at 10 million applicants).
//
// Kept by a trigger on registration_checks, the append-only table every check is written
// to, so no writer (the check jobs, a new round when a profile is saved again or the
// helpdesk re-runs the checks, fixtures, imports) can leave it stale. Settlements of one
// account's three checks run as concurrent jobs: each takes the account row's lock before
// looking, so the last of them sees the others' rows (read committed: each statement of the
// function sees what was committed before it started). Bulk loads that switch triggers off
// (session_replication_role = replica) must set the flag themselves, as the backfill below.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table accounts add column checks_passed boolean not null default false`.execute(db)
  await sql`
    create function registration_checks_keep_passed() returns trigger language plpgsql as $$
    declare
      ok boolean;
    begin
      perform 1 from accounts where id = new.account_id for no key update;
      select count(distinct kind) = 3 into ok
        from registration_checks
        where account_id = new.account_id and outcome = 'passed'
          and round = (select max(round) from registration_checks where account_id = new.account_id);
      update accounts set checks_passed = ok where id = new.account_id and checks_passed is distinct from ok;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger registration_checks_keep_passed after insert on registration_checks
    for each row execute function registration_checks_keep_passed()`.execute(db)
  // Backfill: the same rule, set-based, for every account with checks.
  await sql`
    update accounts a set checks_passed = true
    from (
      select account_id
      from registration_checks
      group by account_id
      having max(round) filter (where kind = 'civil_registry' and outcome = 'passed') = max(round)
        and max(round) filter (where kind = 'education' and outcome = 'passed') = max(round)
        and max(round) filter (where kind = 'exclusions' and outcome = 'passed') = max(round)
    ) p
    where a.id = p.account_id`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists registration_checks_keep_passed on registration_checks`.execute(db)
  await sql`drop function if exists registration_checks_keep_passed()`.execute(db)
  await sql`alter table accounts drop column checks_passed`.execute(db)
}
