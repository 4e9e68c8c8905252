/** All SQL for the evaluation surveys' responses (issue #7). */
import type { Executor } from '../../platform/db/database.ts'
import type { Answers } from './surveys.ts'

export interface SurveyAnswered {
  readonly surveyId: string
  readonly purchaseId: string
  readonly answeredAt: Date
}

/** Every survey the participant answered, oldest first. */
export async function surveysAnsweredBy(db: Executor, accountId: string): Promise<SurveyAnswered[]> {
  const rows = await db.selectFrom('survey_responses').select(['survey_id', 'purchase_id', 'answered_at']).where('account_id', '=', accountId).orderBy('answered_at').orderBy('id').execute()
  return rows.map((r) => ({ surveyId: r.survey_id, purchaseId: r.purchase_id, answeredAt: r.answered_at }))
}

/** The participant's purchase, locked so two answers to the same survey queue up. */
export async function lockOwnPurchase(db: Executor, accountId: string, purchaseId: string) {
  return db.selectFrom('purchases').select(['id', 'status', 'completed_at']).where('id', '=', purchaseId).where('account_id', '=', accountId).forUpdate().executeTakeFirst()
}

export async function ownPurchase(db: Executor, accountId: string, purchaseId: string) {
  return db.selectFrom('purchases as p').innerJoin('courses as c', 'c.id', 'p.course_id').select(['p.id', 'p.status', 'c.title']).where('p.id', '=', purchaseId).where('p.account_id', '=', accountId).executeTakeFirst()
}

/** The first course the participant completed: the one the programme survey (and the incentive) belongs to. */
export async function firstCompletedPurchase(db: Executor, accountId: string): Promise<string | null> {
  const r = await db.selectFrom('purchases').select('id').where('account_id', '=', accountId).where('status', '=', 'completed').where('completed_at', 'is not', null).orderBy('completed_at').orderBy('id').limit(1).executeTakeFirst()
  return r?.id ?? null
}

/** False when this survey was already answered for this purchase (nothing is overwritten). */
export async function insertResponse(db: Executor, r: { surveyId: string; purchaseId: string; accountId: string; answers: Answers; at: Date }): Promise<boolean> {
  const res = await db
    .insertInto('survey_responses')
    .values({ survey_id: r.surveyId, purchase_id: r.purchaseId, account_id: r.accountId, answers: JSON.stringify(r.answers), answered_at: r.at })
    .onConflict((oc) => oc.columns(['survey_id', 'purchase_id']).doNothing())
    .executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function hasRated(db: Executor, purchaseId: string): Promise<boolean> {
  return (await db.selectFrom('course_ratings').select('purchase_id').where('purchase_id', '=', purchaseId).executeTakeFirst()) !== undefined
}
