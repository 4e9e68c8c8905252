/**
 * A session's seats, split into shards (course_session_seats, up to 8 rows per session, kept
 * in step with course_sessions by a trigger; decision 0009). Buyers of one session take
 * seats in different rows, so they do not queue on one row lock until each commits. Each
 * shard has its share of the seats and a CHECK that refuses an oversold shard; the shares
 * add up to the session's seats, so the session cannot be oversold either.
 */
import { sql, type RawBuilder } from 'kysely'
import type { Executor, Trx } from '../../platform/db/database.ts'

/** SQL for the seats taken in a session (the sum of its shards); `sessionId` is a column or value. */
export function seatsTaken(sessionId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(select coalesce(sum(z.seats_taken), 0)::int from course_session_seats z where z.session_id = ${sessionId})`
}

/**
 * Takes one seat of a scheduled session that has not started, in the caller's transaction;
 * returns the shard it came from, or null when the session is full, cancelled or started.
 * The session row is share-locked (buyers do not block each other; a cancellation or a
 * change of its seats waits for them, and they for it). The seat comes from the shard
 * `prefer` points at when it has one; else from any shard with a free seat that no one else
 * is taking this instant; else it waits its turn on one that has a free seat (rechecked after
 * the wait), so "full" is only said when every shard is full.
 */
export async function takeSeat(trx: Trx, sessionId: string, now: Date, prefer: number): Promise<number | null> {
  for (const wait of [false, true]) {
    const r = await sql<{ shard: number }>`
      with open as (
        select id from course_sessions where id = ${sessionId}::uuid and status = 'scheduled' and starts_at > ${now}::timestamptz for share
      )
      update course_session_seats z set seats_taken = z.seats_taken + 1
      from (
        select shard from course_session_seats
        where session_id = (select id from open) and seats_taken < seats
        order by (shard - ${prefer}::int + 64) % 64
        limit 1 for update ${wait ? sql`` : sql`skip locked`}
      ) pick
      where z.session_id = ${sessionId}::uuid and z.shard = pick.shard and z.seats_taken < z.seats
      returning z.shard`.execute(trx)
    if (r.rows.length > 0) return r.rows[0]!.shard
  }
  return null
}

/** Gives a seat back to its shard (a purchase made before shards: to any shard with a seat taken). */
export async function giveSeatBack(ex: Executor, sessionId: string, shard: number | null): Promise<void> {
  await sql`
    update course_session_seats z set seats_taken = z.seats_taken - 1
    where z.session_id = ${sessionId}::uuid and z.shard = (
      select shard from course_session_seats
      where session_id = ${sessionId}::uuid and seats_taken > 0
      order by shard = ${shard ?? -1}::int desc, shard
      limit 1 for update)`.execute(ex)
}
