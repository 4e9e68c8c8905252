import { sql, type Kysely } from 'kysely'

// A hold's resolution (post, void, expiry) as one statement, as ledger_move is for movements
// (decision 0009): a purchase's confirmation posts a hold on every purchase, and the five
// round trips it took (read the hold, lock both accounts, look for a resolution, look up the
// key, append, change the balances) kept the platform's account — shared by every buyer —
// locked across all of them. The rules stay in TypeScript: this function reads, locks,
// checks the deadline and the amount, appends and updates, and answers what it found
// ({status, hold, transfer}); the service turns that into the result or a typed error.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function ledger_resolve(p_hold_id bigint, p_kind text, p_amount bigint, p_key text, p_now timestamptz)
    returns jsonb language plpgsql as $$
    declare
      h ledger_transfers;
      r ledger_transfers;
      v_amount bigint;
      v_due boolean;
    begin
      if p_kind not in ('post', 'void', 'expire') then
        raise exception 'ledger_resolve: kind % is not a resolution', p_kind;
      end if;
      select * into h from ledger_transfers where id = p_hold_id;
      if not found or h.kind <> 'pending' then
        return jsonb_build_object('status', 'unknown_hold');
      end if;
      -- Every resolution of this hold locks the same rows first (in id order), so they run one at a time.
      perform 1 from ledger_accounts where id in (h.debit_account_id, h.credit_account_id) order by id for update;
      select * into r from ledger_transfers where pending_id = h.id;
      if found then
        return jsonb_build_object('status', 'resolved', 'hold', to_jsonb(h), 'transfer', to_jsonb(r));
      end if;
      if p_kind <> 'expire' then
        select * into r from ledger_transfers where idempotency_key = p_key;
        if found then
          return jsonb_build_object('status', 'key_taken', 'hold', to_jsonb(h), 'transfer', to_jsonb(r));
        end if;
      end if;
      v_due := h.expires_at is not null and p_now >= h.expires_at;
      if p_kind = 'expire' and not v_due then
        return jsonb_build_object('status', 'not_due', 'hold', to_jsonb(h));
      end if;
      -- Past its deadline the hold is as good as expired; the expiry job writes it down.
      if p_kind <> 'expire' and v_due then
        return jsonb_build_object('status', 'expired', 'hold', to_jsonb(h));
      end if;
      v_amount := case when p_kind = 'post' then coalesce(p_amount, h.amount) else h.amount end;
      if v_amount > h.amount then
        return jsonb_build_object('status', 'exceeds', 'hold', to_jsonb(h));
      end if;
      insert into ledger_transfers (kind, debit_account_id, credit_account_id, amount, code, reference_type,
          reference_id, idempotency_key, pending_id, timeout_seconds, expires_at, memo, created_at)
        values (p_kind, h.debit_account_id, h.credit_account_id, v_amount, h.code, h.reference_type,
          h.reference_id, p_key, h.id, null, null, null, p_now)
        on conflict do nothing
        returning * into r;
      if not found then
        return jsonb_build_object('status', 'conflict', 'hold', to_jsonb(h));
      end if;
      -- A post of P from a hold of H posts P and releases all of H.
      update ledger_accounts set
        debits_posted = debits_posted + case when id = h.debit_account_id and p_kind = 'post' then v_amount else 0 end,
        credits_posted = credits_posted + case when id = h.credit_account_id and p_kind = 'post' then v_amount else 0 end,
        debits_pending = debits_pending - case when id = h.debit_account_id then h.amount else 0 end,
        credits_pending = credits_pending - case when id = h.credit_account_id then h.amount else 0 end
      where id in (h.debit_account_id, h.credit_account_id);
      return jsonb_build_object('status', 'created', 'hold', to_jsonb(h), 'transfer', to_jsonb(r));
    end $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists ledger_resolve(bigint, text, bigint, text, timestamptz)`.execute(db)
}
