import { sql, type Kysely } from 'kysely'

// The money ledger: accounts with cached balances, an append-only transfer log (holds and
// their resolutions are rows too), and the results of invariant checks.
// Account types that may go below zero: money entering from or leaving to the outside world.
const NEGATIVE_ALLOWED = ['state_budget', 'settlement', 'platform_receivable']
const ACCOUNT_TYPES = [
  'state_budget',
  'programme_fund',
  'participant_training',
  'participant_incentive',
  'platform_receivable',
  'platform_payable',
  'payout_clearing',
  'forfeited',
  'settlement',
]

const list = (xs: string[]) => sql.raw(xs.map((x) => `'${x}'`).join(','))

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in (${list(ACCOUNT_TYPES)})`))
    .addColumn('owner_ref', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('IDR').check(sql`currency = 'IDR'`))
    .addColumn('may_go_negative', 'boolean', (c) => c.notNull())
    .addColumn('debits_posted', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`debits_posted >= 0`))
    .addColumn('credits_posted', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`credits_posted >= 0`))
    .addColumn('debits_pending', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`debits_pending >= 0`))
    .addColumn('credits_pending', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`credits_pending >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ledger_accounts_negative_rule', sql`may_go_negative = (type in (${list(NEGATIVE_ALLOWED)}))`)
    // The last line of defence: whatever the code does, a non-negative account's available
    // balance (posted minus outgoing holds) cannot be stored below zero.
    .addCheckConstraint(
      'ledger_accounts_not_negative',
      sql`may_go_negative or credits_posted - debits_posted - debits_pending >= 0`,
    )
    .execute()
  await sql`create unique index ledger_accounts_owner_key on ledger_accounts (type, coalesce(owner_ref, ''))`.execute(db)

  await db.schema
    .createTable('ledger_transfers')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('single','pending','post','void','expire')`))
    .addColumn('debit_account_id', 'bigint', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('credit_account_id', 'bigint', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount > 0 and amount <= 9007199254740991`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('IDR').check(sql`currency = 'IDR'`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reference_type', 'text', (c) => c.notNull())
    .addColumn('reference_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('pending_id', 'bigint', (c) => c.references('ledger_transfers.id'))
    .addColumn('timeout_seconds', 'integer')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('memo', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ledger_transfers_idempotency_key', ['idempotency_key'])
    .addCheckConstraint('ledger_transfers_two_accounts', sql`debit_account_id <> credit_account_id`)
    .addCheckConstraint('ledger_transfers_resolution', sql`(kind in ('post','void','expire')) = (pending_id is not null)`)
    .addCheckConstraint(
      'ledger_transfers_deadline',
      sql`(kind = 'pending') = (expires_at is not null) and (kind = 'pending') = (timeout_seconds is not null)`,
    )
    .execute()
  // A hold is resolved at most once (posted, voided or expired), even under races.
  await sql`create unique index ledger_transfers_one_resolution on ledger_transfers (pending_id) where pending_id is not null`.execute(db)
  await sql`create index ledger_transfers_debit_idx on ledger_transfers (debit_account_id, id)`.execute(db)
  await sql`create index ledger_transfers_credit_idx on ledger_transfers (credit_account_id, id)`.execute(db)
  await sql`create index ledger_transfers_deadline_idx on ledger_transfers (expires_at) where kind = 'pending'`.execute(db)

  // Nothing in the money history is ever changed or removed: corrections are new transfers.
  await sql`
    create function ledger_transfers_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger_transfers is append-only (% refused)', tg_op using errcode = '55000';
    end $$`.execute(db)
  await sql`
    create trigger ledger_transfers_no_change before update or delete on ledger_transfers
    for each row execute function ledger_transfers_append_only()`.execute(db)
  await sql`
    create trigger ledger_transfers_no_truncate before truncate on ledger_transfers
    for each statement execute function ledger_transfers_append_only()`.execute(db)

  // The hot path of a transfer as one statement (one round trip): lock both accounts in id
  // order, check they exist, that the code may take this route and that the debited account
  // can afford it, append the transfer (a taken idempotency key returns the stored one) and
  // change the cached balances. The rules come from the caller (p_routes); this only
  // applies them atomically. Answers {status, transfer}.
  await sql`
    create function ledger_move(
      p_kind text, p_debit bigint, p_credit bigint, p_amount bigint, p_code text, p_routes text[],
      p_reference_type text, p_reference_id text, p_key text,
      p_timeout_seconds integer, p_expires_at timestamptz, p_memo text, p_created_at timestamptz
    ) returns jsonb language plpgsql as $$
    declare
      d ledger_accounts;
      c ledger_accounts;
      t ledger_transfers;
    begin
      if p_kind not in ('single', 'pending') then
        raise exception 'ledger_move: kind % is not a movement', p_kind;
      end if;
      -- Row locks in id order, so transfers crossing in opposite directions cannot deadlock.
      if p_debit < p_credit then
        select * into d from ledger_accounts where id = p_debit for update;
        select * into c from ledger_accounts where id = p_credit for update;
      else
        select * into c from ledger_accounts where id = p_credit for update;
        select * into d from ledger_accounts where id = p_debit for update;
      end if;
      if d.id is null or c.id is null then
        return jsonb_build_object('status', 'unknown_account');
      end if;
      if p_routes is not null and not ((d.type || '>' || c.type) = any (p_routes)) then
        return jsonb_build_object('status', 'route_not_allowed');
      end if;
      if not d.may_go_negative and d.credits_posted - d.debits_posted - d.debits_pending < p_amount then
        -- A retry of the request that took the last rupiah gets its first result.
        select * into t from ledger_transfers where idempotency_key = p_key;
        if found then
          return jsonb_build_object('status', 'exists', 'transfer', to_jsonb(t));
        end if;
        return jsonb_build_object('status', 'insufficient_funds');
      end if;
      insert into ledger_transfers (kind, debit_account_id, credit_account_id, amount, code, reference_type,
          reference_id, idempotency_key, timeout_seconds, expires_at, memo, created_at)
        values (p_kind, p_debit, p_credit, p_amount, p_code, p_reference_type,
          p_reference_id, p_key, p_timeout_seconds, p_expires_at, p_memo, p_created_at)
        on conflict do nothing
        returning * into t;
      if not found then
        select * into t from ledger_transfers where idempotency_key = p_key;
        return jsonb_build_object('status', 'exists', 'transfer', to_jsonb(t));
      end if;
      if p_kind = 'single' then
        update ledger_accounts set
          debits_posted = debits_posted + case when id = p_debit then p_amount else 0 end,
          credits_posted = credits_posted + case when id = p_credit then p_amount else 0 end
        where id in (p_debit, p_credit);
      else
        update ledger_accounts set
          debits_pending = debits_pending + case when id = p_debit then p_amount else 0 end,
          credits_pending = credits_pending + case when id = p_credit then p_amount else 0 end
        where id in (p_debit, p_credit);
      end if;
      return jsonb_build_object('status', 'created', 'transfer', to_jsonb(t));
    end $$`.execute(db)

  await db.schema
    .createTable('ledger_checks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'uuid')
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['ledger_checks', 'ledger_transfers', 'ledger_accounts']) {
    await db.schema.dropTable(t).ifExists().execute()
  }
  await sql`drop function if exists ledger_move(text, bigint, bigint, bigint, text, text[], text, text, text, integer, timestamptz, text, timestamptz)`.execute(db)
  await sql`drop function if exists ledger_transfers_append_only()`.execute(db)
}
