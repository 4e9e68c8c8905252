/**
 * The completion half of the partner API (providers): session attendance, assignment statuses
 * and completions, one row or a batch of up to 100 000, each idempotent by the provider's
 * `reportId`, with a result per row. Attendance can also be committed live, at the start of a
 * session, with POST /api/v1/partner/redeem-codes/commit.
 */
import { Type } from '@sinclair/typebox'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { AppError } from '../../platform/errors.ts'
import type { CsvRows } from './csv.ts'
import { csvUnreadable, readCsvBody, refuseDeclaredSize } from './csv-body.ts'
import { bodyError, readJsonReportsBody } from './json-body.ts'
import { MALFORMED_CSV_LINE } from './rows.ts'
import { ingestReports as ingestUnderRules, type LearningDeps, type RowResult } from './learning.service.ts'
import { loadCompletionRules } from './rules.repository.ts'

/** Every report is verified under the rules the programme office last set (/pmo/penyelesaian/aturan). */
const ingestReports = async (deps: LearningDeps, providerCode: string, rows: readonly unknown[]) => ingestUnderRules(deps, providerCode, rows, await loadCompletionRules(deps.db))

export const MAX_ROWS = 100_000
/** 100 000 rows of a few hundred bytes each; anything larger is refused before it is read. */
export const BULK_BODY_LIMIT = 64 * 1024 * 1024

export function learningDeps(deps: AppDeps): LearningDeps {
  return { db: deps.database.db, clock: deps.clock, mail: deps.mail }
}

const Row = Type.Object(
  {
    reportId: Type.String({ description: 'Your id for this report: sending it again is answered "duplicate" and changes nothing.', examples: ['LP-2026-000123'] }),
    type: Type.String({ enum: ['attendance', 'assignment', 'completion'] }),
    voucherCode: Type.Optional(Type.String({ description: 'The participant’s voucher code (or give purchaseId).', examples: ['VABC-DEF0-1234'] })),
    purchaseId: Type.Optional(Type.String({ format: 'uuid' })),
    grade: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'completion: 0–100' })),
    completedAt: Type.Optional(Type.String({ format: 'date-time', description: 'completion: after the purchased session ends, not in the future' })),
    certificateNumber: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    certificateUrl: Type.Optional(Type.Union([Type.String({ description: 'https only' }), Type.Null()])),
    assignmentRef: Type.Optional(Type.String({ maxLength: 64, description: 'assignment: your id of the assignment' })),
    status: Type.Optional(Type.String({ enum: ['not_submitted', 'pending', 'success', 'failed'] })),
    redeemCode: Type.Optional(Type.String({ maxLength: 20, description: 'attendance: the session redeem code the participant gave you (it must be this purchase’s, for its session)', examples: ['R0K7M2QX'] })),
  },
  {
    description:
      'One report. Checked row by row, so this schema documents the fields but a bad row is answered in its result, not by refusing the request. A completion for a course already completed is accepted as a `correction`: kept in the history, the certificate unchanged.',
    examples: [
      { reportId: 'LP-ATT-000123', type: 'attendance', voucherCode: 'VABC-DEF0-1234', redeemCode: 'R0K7M2QX' },
      { reportId: 'LP-ASG-000124', type: 'assignment', voucherCode: 'VABC-DEF0-1234', assignmentRef: 'proyek-akhir', status: 'success' },
      { reportId: 'LP-CMP-000125', type: 'completion', voucherCode: 'VABC-DEF0-1234', grade: 87, completedAt: '2026-12-05T10:00:00Z', certificateNumber: 'LP-2026-7781', certificateUrl: 'https://lp.example/sertifikat/7781.pdf' },
    ],
  },
)

const Result = Type.Object({
  index: Type.Integer(),
  reportId: Type.Union([Type.String(), Type.Null()]),
  result: Type.String({ enum: ['accepted', 'duplicate', 'rejected'] }),
  purchaseId: Type.Optional(Type.String()),
  outcome: Type.Optional(Type.String({ enum: ['recorded', 'completed', 'review', 'correction'] })),
  certificateNumber: Type.Optional(Type.String()),
  reviewDueAt: Type.Optional(Type.String({ format: 'date-time' })),
  brokenRules: Type.Optional(Type.Array(Type.String())),
  reason: Type.Optional(Type.Object({ code: Type.String(), id: Type.String(), en: Type.String() })),
})

function summary(results: readonly RowResult[]) {
  let accepted = 0
  let duplicates = 0
  let rejected = 0
  for (const r of results) {
    if (r.result === 'accepted') accepted++
    else if (r.result === 'duplicate') duplicates++
    else rejected++
  }
  return { accepted, duplicates, rejected, results }
}

export function registerLearningApi(app: FastifyInstance, deps: AppDeps): void {
  const ld = learningDeps(deps)
  const provider = { access: { partner: 'provider' as const } }

  // The JSON bulk body is read as a stream too (json-body.ts): a parser for this route only,
  // in its own scope, so every other JSON route keeps Fastify's parser.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json')
    scope.addContentTypeParser('application/json', (req: FastifyRequest, payload: IncomingMessage) => readJsonReportsBody(req, payload, BULK_BODY_LIMIT, MAX_ROWS))
    scope.post(
      '/api/v1/partner/learning/reports',
      {
        config: provider,
        bodyLimit: BULK_BODY_LIMIT,
        onRequest: async (req) => refuseDeclaredSize(req, BULK_BODY_LIMIT, MAX_ROWS),
        // After the signature check (a route's hooks run after the app's): a bad body from an unsigned caller is a 401.
        preValidation: async (req) => {
          const err = bodyError(req.body)
          if (err) throw err
        },
        schema: {
          tags: ['partner'],
          summary: 'Report attendance, assignments and completions in bulk, up to 100 000 rows (provider)',
          description:
            'Each row is applied on its own and never half-applied; a bad row is answered `rejected` with its reason and the rest are applied. A completion that meets the rules (voucher redeemed, the session attended, assignments passed, completed after the session ended) completes the course and issues the certificate at once; otherwise it goes to the programme office’s review queue and the row says `review` with the due date. Bodies over 64 MB are refused (413) before they are read, with how to split them. A completion for a course already completed is accepted as a `correction` (kept in the history; the certificate stays as issued).',
          body: Type.Object({ reports: Type.Array(Type.Unknown({ description: 'A report row, see the single-report endpoint for its fields.' }), { minItems: 1, maxItems: MAX_ROWS }) }, { examples: [{ reports: Row.examples }] }),
          response: { 200: Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(), results: Type.Array(Result) }) },
        },
      },
      async (req) => summary(await ingestReports(ld, req.partner!.code, (req.body as { reports: unknown[] }).reports)),
    )
  })

  // CSV is read as a stream (csv-body.ts): rows while it arrives, the signature's body hash on the way.
  app.addContentTypeParser('text/csv', (req: FastifyRequest, payload: IncomingMessage) => readCsvBody(req, payload, BULK_BODY_LIMIT, MAX_ROWS))

  app.post(
    '/api/v1/partner/learning/reports.csv',
    {
      config: provider,
      bodyLimit: BULK_BODY_LIMIT,
      onRequest: async (req) => refuseDeclaredSize(req, BULK_BODY_LIMIT, MAX_ROWS),
      schema: {
        tags: ['partner'],
        summary: 'Report attendance, assignments and completions as CSV, up to 100 000 lines, streamed (provider)',
        description:
          'Send `Content-Type: text/csv`. The first line names the columns, from: reportId, type, voucherCode, purchaseId, grade, completedAt, certificateNumber, certificateUrl, assignmentRef, status, redeemCode. The file is read as a stream, line by line. Quoted fields may hold commas but not line breaks. A malformed line is answered `rejected` (CSV_ROW_MALFORMED) and the rest are applied; `index` counts the data lines from 0, blank lines skipped. Otherwise as the JSON bulk endpoint.',
        response: { 200: Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer(), rejected: Type.Integer(), results: Type.Array(Result) }) },
      },
    },
    async (req) => {
      if (typeof req.body !== 'object' || req.body === null || !('rows' in req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE')
      const { rows, headerError } = req.body as CsvRows
      if (headerError) throw csvUnreadable(headerError)
      if (rows.length === 0) throw csvUnreadable('no data lines.')
      return summary(await ingestReports(ld, req.partner!.code, rows.map((r) => r ?? MALFORMED_CSV_LINE)))
    },
  )

  app.post(
    '/api/v1/partner/learning/report',
    {
      config: provider,
      schema: {
        tags: ['partner'],
        summary: 'Report one attendance, assignment status or completion (provider)',
        description: 'As one row of the bulk endpoint: `type` attendance (redeemCode: the session redeem code the participant gave), assignment (assignmentRef, status not_submitted / pending / success / failed) or completion (grade, completedAt, certificateNumber, certificateUrl https or null), with voucherCode or purchaseId and your reportId. 200 for accepted and duplicate, 422 for a rejected row with its reason.',
        body: Type.Record(Type.String(), Type.Unknown(), { description: `Fields: ${Object.keys(Row.properties).join(', ')}. ${Row.description}`, examples: Row.examples }),
        response: { 200: Result, 422: Result },
      },
    },
    async (req, reply) => {
      const [r] = await ingestReports(ld, req.partner!.code, [req.body])
      if (r!.result === 'rejected') reply.code(422)
      return r
    },
  )
}
