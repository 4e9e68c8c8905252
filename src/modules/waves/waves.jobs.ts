/**
 * The wave's jobs: open and close at the wave's times (scheduled when the commitment is
 * published), the carry-over when it opens, the draw and the cards after it, the reminders
 * before the first-purchase deadline and the revocation at it.
 */
import type { Jobs } from '../../platform/jobs/jobs.ts'
import { record } from '../../platform/audit/index.ts'
import { runDraw, type DrawSummary } from './draw/draw.service.ts'
import { CARD_DEADLINE_JOB, CARD_REMINDER_JOB, issueCards, revokeCard, sendCardReminder, type CardDeadlineJob, type CardReminderJob, type IssueSummary } from './cards.service.ts'
import { carryOver, notifyNotSelected } from './participation.service.ts'
import { CARRY_OVER_JOB, CLOSE_JOB, closeWave, DRAW_JOB, OPEN_JOB, openWave, SYSTEM, type WaveJob, type WavesDeps } from './waves.service.ts'

export interface WaveJobsDeps extends WavesDeps {
  /** Where draw exports are written (config.dataDir/draws). */
  readonly exportDir: string
}

/** The draw (W1's runDraw: changes nothing when it already ran), every missing card, then the message to everyone not selected. */
export async function drawAndIssue(deps: WaveJobsDeps, waveId: string): Promise<{ draw: DrawSummary; cards: IssueSummary; notSelectedNotified: number }> {
  const draw = await runDraw({ db: deps.db, clock: deps.clock, identity: deps.identity, exportDir: deps.exportDir }, waveId)
  if (!draw.alreadyRan) {
    await record(
      deps.db,
      {
        actorId: null,
        actorRole: 'system',
        action: 'wave.drawn',
        subjectType: 'wave',
        subjectId: waveId,
        details: { applicants: draw.applicants, eligible: draw.eligible, selected: draw.selected, exportSha256: draw.exportSha256 },
      },
      deps.clock,
    )
  }
  const cards = await issueCards(deps, waveId)
  const { notified } = await notifyNotSelected(deps, waveId)
  return { draw, cards, notSelectedNotified: notified }
}

export function defineWaveJobs(jobs: Jobs, deps: WaveJobsDeps): void {
  jobs.define<WaveJob>(OPEN_JOB, async ({ waveId }) => {
    await openWave(deps, SYSTEM, waveId)
  })
  jobs.define<WaveJob>(CLOSE_JOB, async ({ waveId }) => {
    await closeWave(deps, SYSTEM, waveId)
  })
  jobs.define<WaveJob>(CARRY_OVER_JOB, async ({ waveId }) => {
    await carryOver(deps, waveId)
  })
  jobs.define<WaveJob>(DRAW_JOB, async ({ waveId }) => {
    await drawAndIssue(deps, waveId)
  }, { expireInSeconds: 3600, retryLimit: 3, retryDelay: 60 })
  jobs.define<CardReminderJob>(CARD_REMINDER_JOB, async ({ cardId, daysBefore }) => {
    await sendCardReminder(deps, cardId, daysBefore)
  })
  jobs.define<CardDeadlineJob>(CARD_DEADLINE_JOB, async ({ cardId }) => {
    await revokeCard(deps, cardId)
  })
}
