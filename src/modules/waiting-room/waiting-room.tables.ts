import type { ColumnType } from 'kysely'

/** The single row (id = 1) every process reads and advances; see line.ts for the meaning. */
export interface WaitingRoomStateTable {
  id: number
  admitted_through: number
  advanced_at: Date
  // bigint columns come back as strings from pg: read through Number() in the repository.
  episode_start_seq: ColumnType<string | null, number | null, number | null>
  episode_started_at: Date | null
  opening_last_seq: ColumnType<string | null, number | null, number | null>
  issued_seen: ColumnType<string, number, number>
  drained_at: Date | null
}

/** One row per admission that reached the sign-up form's POST, counting its attempts. */
export interface WaitingRoomAdmissionsTable {
  seq: ColumnType<string, number, number>
  sign_up_posts: number
  first_post_at: Date
}

export interface WaitingRoomTables {
  waiting_room_state: WaitingRoomStateTable
  waiting_room_admissions: WaitingRoomAdmissionsTable
}
