/** All SQL for Karya's certificates as the participant and the public see them (issue #7). */
import type { Executor } from '../../platform/db/database.ts'

export interface CertificateRecord {
  readonly number: string
  readonly purchaseId: string
  readonly accountId: string
  readonly holder: string
  readonly courseTitle: string
  readonly providerName: string
  readonly grade: number
  readonly completedOn: Date
  readonly issuedAt: Date
  readonly providerUrl: string | null
  readonly showFullName: boolean
  readonly showGrade: boolean
}

function base(db: Executor) {
  return db
    .selectFrom('certificates as c')
    .innerJoin('courses as co', 'co.id', 'c.course_id')
    .innerJoin('partners as pv', 'pv.code', 'c.provider_code')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.number', 'c.purchase_id', 'c.account_id', 'a.display_name', 'co.title', 'pv.name', 'c.grade', 'c.completed_on', 'c.issued_at', 'c.provider_url', 'c.show_full_name', 'c.show_grade'])
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>

function toRecord(r: Row): CertificateRecord {
  return {
    number: r.number,
    purchaseId: r.purchase_id,
    accountId: r.account_id,
    holder: r.display_name,
    courseTitle: r.title,
    providerName: r.name,
    grade: r.grade,
    completedOn: r.completed_on,
    issuedAt: r.issued_at,
    providerUrl: r.provider_url,
    showFullName: r.show_full_name,
    showGrade: r.show_grade,
  }
}

/** The participant's own certificate for one purchase; undefined for anyone else's. */
export async function certificateOfPurchase(db: Executor, accountId: string, purchaseId: string): Promise<CertificateRecord | undefined> {
  const r = await base(db).where('c.purchase_id', '=', purchaseId).where('c.account_id', '=', accountId).executeTakeFirst()
  return r ? toRecord(r) : undefined
}

export async function certificateByNumber(db: Executor, number: string): Promise<CertificateRecord | undefined> {
  const r = await base(db).where('c.number', '=', number).executeTakeFirst()
  return r ? toRecord(r) : undefined
}

/** Locks the row so two quick changes are recorded one after the other, old → new. */
export async function lockCertificateOfPurchase(db: Executor, accountId: string, purchaseId: string) {
  return db.selectFrom('certificates').select(['number', 'show_full_name', 'show_grade']).where('purchase_id', '=', purchaseId).where('account_id', '=', accountId).forUpdate().executeTakeFirst()
}

export async function saveConsent(db: Executor, number: string, choice: { showFullName: boolean; showGrade: boolean }): Promise<void> {
  await db.updateTable('certificates').set({ show_full_name: choice.showFullName, show_grade: choice.showGrade }).where('number', '=', number).execute()
}

/** A step on the purchase's timeline (the same append-only history the rest of #7 writes). */
export async function addPurchaseEvent(db: Executor, purchaseId: string, accountId: string, kind: string, at: Date, details: Record<string, unknown>): Promise<void> {
  await db.insertInto('purchase_events').values({ purchase_id: purchaseId, account_id: accountId, kind, details: JSON.stringify(details), at }).execute()
}
