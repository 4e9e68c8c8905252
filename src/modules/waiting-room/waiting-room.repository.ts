/**
 * The waiting room's database side: the shared sequence of places, the watermark row
 * (advanced under a row lock, so any number of processes agree) and admission use counts.
 */
import { sql } from 'kysely'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { advance, formLine, type LineSettings, type LineState } from './line.ts'

function toState(r: {
  admitted_through: number
  advanced_at: Date
  episode_start_seq: string | null
  episode_started_at: Date | null
  opening_last_seq: string | null
  issued_seen: string
  drained_at: Date | null
}): LineState {
  return {
    admittedThrough: Number(r.admitted_through),
    advancedAt: new Date(r.advanced_at),
    episodeStartSeq: r.episode_start_seq === null ? null : Number(r.episode_start_seq),
    episodeStartedAt: r.episode_started_at === null ? null : new Date(r.episode_started_at),
    openingLastSeq: r.opening_last_seq === null ? null : Number(r.opening_last_seq),
    issuedSeen: Number(r.issued_seen),
    drainedAt: r.drained_at === null ? null : new Date(r.drained_at),
  }
}

/** A new place: one round trip, no row lock (sequences never wait for each other). */
export async function drawSeq(db: Db): Promise<number> {
  const r = await sql<{ seq: string }>`select nextval('waiting_room_seq') as seq`.execute(db)
  return Number(r.rows[0]!.seq)
}

async function lastIssued(db: Executor): Promise<number> {
  const r = await sql<{ last_value: string; is_called: boolean }>`select last_value, is_called from waiting_room_seq`.execute(db)
  const row = r.rows[0]!
  return row.is_called ? Number(row.last_value) : 0
}

/**
 * Advances the watermark to `now` and returns the state. If `startEpisodeAt` is given and the
 * seq is still beyond the watermark with no episode running, the line forms at that seq.
 */
export async function advanceLine(db: Db, now: Date, cfg: LineSettings, startEpisodeAt: number | null = null): Promise<LineState> {
  return transaction(db, async (trx) => {
    const row = await trx.selectFrom('waiting_room_state').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow()
    // Read inside the lock: a seq drawn after this is beyond `issued` and waits for the next advance.
    const issued = await lastIssued(trx)
    let next = advance(toState(row), issued, now, cfg)
    if (startEpisodeAt !== null && next.episodeStartSeq === null && startEpisodeAt > next.admittedThrough) {
      next = formLine(next, startEpisodeAt, now)
    }
    await trx
      .updateTable('waiting_room_state')
      .set({
        admitted_through: next.admittedThrough,
        advanced_at: next.advancedAt,
        episode_start_seq: next.episodeStartSeq,
        episode_started_at: next.episodeStartedAt,
        opening_last_seq: next.openingLastSeq,
        issued_seen: next.issuedSeen,
        drained_at: next.drainedAt,
      })
      .where('id', '=', 1)
      .execute()
    return next
  })
}

/** Counts one sign-up POST under an admission; returns the count including this one. */
export async function countSignUpPost(db: Db, seq: number, now: Date): Promise<number> {
  const r = await db
    .insertInto('waiting_room_admissions')
    .values({ seq, sign_up_posts: 1, first_post_at: now })
    .onConflict((oc) => oc.column('seq').doUpdateSet({ sign_up_posts: sql`waiting_room_admissions.sign_up_posts + 1` }))
    .returning('sign_up_posts')
    .executeTakeFirstOrThrow()
  return r.sign_up_posts
}
