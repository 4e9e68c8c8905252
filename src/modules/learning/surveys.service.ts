/**
 * Answering the evaluation surveys (issue #7): only for a completed course of one's own,
 * once per survey and course, never changed afterwards; each answer is a step on the
 * course's timeline. The incentives module reads `surveysAnsweredBy` to pay for them.
 */
import type { Clock } from '../../platform/clock.ts'
import { transaction, type Db, type Executor } from '../../platform/db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { addPurchaseEvent } from './certificate.repository.ts'
import { firstCompletedPurchase, insertResponse, lockOwnPurchase, surveysAnsweredBy } from './surveys.repository.ts'
import { checkAnswers, SURVEYS, surveyById, type Survey } from './surveys.ts'

export interface SurveyState {
  readonly survey: Survey
  readonly answeredAt: Date | null
}

/** The surveys offered for a completed purchase, answered or not; none before completion. */
export async function surveysFor(db: Executor, accountId: string, purchaseId: string, status: string): Promise<SurveyState[]> {
  if (status !== 'completed') return []
  const [answered, first] = await Promise.all([surveysAnsweredBy(db, accountId), firstCompletedPurchase(db, accountId)])
  return Object.values(SURVEYS)
    .filter((s) => s.scope === 'course' || first === purchaseId)
    .map((s) => ({ survey: s, answeredAt: answered.find((a) => a.surveyId === s.id && a.purchaseId === purchaseId)?.answeredAt ?? null }))
}

export async function answerSurvey(deps: { db: Db; clock: Clock }, accountId: string, purchaseId: string, surveyId: string, raw: Record<string, string | undefined>): Promise<void> {
  const survey = surveyById(surveyId)
  if (!survey) throw new AppError('NOT_FOUND')
  const checked = checkAnswers(survey, raw)
  if (!checked.ok) throw new AppError('VALIDATION_FAILED', { fields: checked.fields })
  const now = deps.clock.now()
  await transaction(deps.db, async (trx) => {
    const p = await lockOwnPurchase(trx, accountId, purchaseId)
    if (!p) throw new AppError('NOT_FOUND')
    if (p.status !== 'completed') throw new AppError('COURSE_NOT_COMPLETED')
    if (survey.scope === 'programme' && (await firstCompletedPurchase(trx, accountId)) !== purchaseId) throw new AppError('NOT_FOUND')
    if (!(await insertResponse(trx, { surveyId, purchaseId, accountId, answers: checked.answers, at: now }))) throw new AppError('SURVEY_ALREADY_ANSWERED')
    await addPurchaseEvent(trx, purchaseId, accountId, 'survey_answered', now, { survey: surveyId })
  })
}
