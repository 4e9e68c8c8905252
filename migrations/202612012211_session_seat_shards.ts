import { sql, type Kysely } from 'kysely'

// A session's seat counter was one row (course_sessions.seats_taken) that every buyer of the
// session updated and held until commit, so concurrent buyers of one popular session queued
// on it, one disk flush after another (decision 0009, "Not done"). The seats are now split
// into a few rows, course_session_seats (up to 8 per session, each with its own share of the
// seats and its own count). A buyer takes a seat in any shard that has one, preferring its
// own; the database still refuses an oversold shard (CHECK), and as the shares add up to the
// session's seats, the session cannot be oversold either. Seats taken = the sum of the shards.
//
// The shards follow course_sessions by trigger: created with the session, and the free seats
// spread again over them when its seats change (never below what is taken). A purchase
// remembers its shard (purchases.seat_shard) to give the seat back there.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table course_session_seats (
      session_id uuid not null references course_sessions (id),
      shard smallint not null,
      seats integer not null,
      seats_taken integer not null default 0,
      primary key (session_id, shard),
      constraint course_session_seats_count check (seats_taken >= 0 and seats_taken <= seats)
    )`.execute(db)
  // Existing sessions: what is taken stays in shard 0; the free seats are spread over all.
  await sql`
    insert into course_session_seats (session_id, shard, seats, seats_taken)
    select s.id, g.shard,
      case when g.shard = 0 then s.seats_taken else 0 end
        + (s.seats - s.seats_taken) / least(8, s.seats)
        + case when g.shard < (s.seats - s.seats_taken) % least(8, s.seats) then 1 else 0 end,
      case when g.shard = 0 then s.seats_taken else 0 end
    from course_sessions s
    cross join lateral (select generate_series(0, least(8, s.seats) - 1)::smallint as shard) g`.execute(db)
  await sql`alter table course_sessions drop column seats_taken`.execute(db)
  await sql`alter table purchases add column seat_shard smallint`.execute(db)
  await sql`
    create function course_session_seats_spread() returns trigger language plpgsql as $$
    declare
      n integer;
      taken integer;
      free integer;
      i integer := 0;
      r record;
    begin
      if tg_op = 'INSERT' then
        n := least(8, new.seats);
        insert into course_session_seats (session_id, shard, seats, seats_taken)
          select new.id, g, new.seats / n + case when g < new.seats % n then 1 else 0 end, 0
          from generate_series(0, n - 1) g;
        return null;
      end if;
      if new.seats = old.seats then
        return null;
      end if;
      -- Every shard locked (in shard order) before counting, so no seat is taken meanwhile.
      perform 1 from course_session_seats where session_id = new.id order by shard for update;
      select count(*), coalesce(sum(seats_taken), 0) into n, taken from course_session_seats where session_id = new.id;
      if taken > new.seats then
        raise exception 'session % has % seats taken, more than %', new.id, taken, new.seats using errcode = '23514';
      end if;
      free := new.seats - taken;
      for r in select shard, seats_taken from course_session_seats where session_id = new.id order by shard loop
        update course_session_seats set seats = r.seats_taken + free / n + case when i < free % n then 1 else 0 end
          where session_id = new.id and shard = r.shard;
        i := i + 1;
      end loop;
      return null;
    end $$`.execute(db)
  await sql`
    create trigger course_session_seats_follow after insert or update of seats on course_sessions
    for each row execute function course_session_seats_spread()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger course_session_seats_follow on course_sessions`.execute(db)
  await sql`drop function course_session_seats_spread()`.execute(db)
  await sql`alter table purchases drop column seat_shard`.execute(db)
  await sql`alter table course_sessions add column seats_taken integer not null default 0`.execute(db)
  await sql`update course_sessions s set seats_taken = (select coalesce(sum(z.seats_taken), 0) from course_session_seats z where z.session_id = s.id)`.execute(db)
  await sql`alter table course_sessions add constraint course_sessions_seats check (seats_taken >= 0 and seats_taken <= seats)`.execute(db)
  await sql`drop table course_session_seats`.execute(db)
}
