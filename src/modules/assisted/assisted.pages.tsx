/** The officer's routes: register a person in their presence, then help with each step until they activate. */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { getRegency } from '../regions/index.ts'
import { STEPS, checkStatus, profileView, type Step } from '../registration/index.ts'
import { documentsView, type DocumentKind } from '../documents/index.ts'
import { acceptMultipart, type MultipartBody } from '../documents/multipart.ts'
import {
  confirmPhone,
  issueActivationCode,
  listForOfficer,
  personForOfficer,
  registerPerson,
  resendPhoneCode,
  saveStep,
  uploadDocument,
  type AssistedDeps,
  type Officer,
  type Origin,
} from './assisted.service.ts'
import { T } from './assisted-texts.ts'
import { listPage, personPage, registerPage, slipPage } from './assisted.views.tsx'
import { stepPage } from './assisted-steps.tsx'

const access = { access: ['officer'] as const }
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) })
const StepParams = Type.Object({ id: Type.String({ format: 'uuid' }), step: Type.Union(STEPS.map((s) => Type.Literal(s))) })
const Form = Type.Record(Type.String(), Type.String({ maxLength: 300 }))
const PersonQuery = Type.Object({ hasil: Type.Optional(Type.String({ maxLength: 20 })) })
const NOTICES: Record<string, keyof typeof T> = { baru: 'created', hp: 'phoneOk', kirim: 'resent', tersimpan: 'saved', diterima: 'docSavedAccepted', ditolak: 'docSavedRejected' }

function officerOf(req: FastifyRequest): Officer {
  const a = req.account!
  return { id: a.id, displayName: a.displayName, regionCode: a.regionCode }
}

function originOf(req: FastifyRequest): Origin {
  return { requestId: String(req.id), ip: req.ip }
}

function regionOf(officer: Officer) {
  const region = officer.regionCode ? getRegency(officer.regionCode) : null
  if (!region) throw new AppError('OFFICER_NO_REGION')
  return region
}

export function registerAssistedRoutes(app: FastifyInstance, deps: AppDeps): void {
  const adeps: AssistedDeps = { db: deps.database.db, clock: deps.clock, config: deps.config, mail: deps.mail, jobs: deps.jobs, identity: deps.identity }
  const ddeps = { db: deps.database.db, clock: deps.clock, uploadsDir: deps.config.uploadsDir, maxBytes: deps.config.uploadMaxBytes }
  const devMailbox = deps.config.mail.devMailbox

  async function showPerson(req: FastifyRequest, reply: FastifyReply, state: { notice: string | null; message: string | null; fields: readonly FieldError[] }) {
    const { id } = req.params as { id: string }
    const person = await personForOfficer(adeps, officerOf(req), id, originOf(req), 'overview')
    const [profile, checks, docs] = await Promise.all([profileView(adeps, id), checkStatus(adeps.db, id), documentsView(ddeps, id)])
    const ctx = pageContext(req, reply, { devMailbox })
    return sendPage(reply.header('cache-control', 'no-store'), personPage(ctx, { person, profile, checks, documents: docs.status, ...state }))
  }

  app.get('/petugas', { config: access, schema: { hide: true } }, async (req, reply) => {
    const { region, rows } = await listForOfficer(adeps, officerOf(req), originOf(req))
    const steps = new Map<string, number>()
    for (const r of rows) if (!r.activated) steps.set(r.account_id, (await profileView(adeps, r.account_id)).stepsDone.length)
    return sendPage(reply.header('cache-control', 'no-store'), listPage(pageContext(req, reply, { devMailbox }), region, rows, steps))
  })

  app.get('/petugas/daftar', { config: access, schema: { hide: true } }, async (req, reply) => {
    const region = regionOf(officerOf(req))
    return sendPage(reply, registerPage(pageContext(req, reply, { devMailbox }), region, {}, [], null))
  })

  app.post('/petugas/daftar', { config: access, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    const officer = officerOf(req)
    const region = regionOf(officer)
    try {
      const { accountId } = await registerPerson(
        adeps,
        officer,
        { consent: b.consent === 'ya', consentMethod: b.consentMethod ?? '', name: b.name ?? '', email: b.email ?? '', phone: b.phone ?? '', noPhone: b.noPhone === 'ya' },
        originOf(req),
      )
      return reply.redirect(`/petugas/orang/${accountId}?hasil=baru`, 303)
    } catch (err) {
      if (!(err instanceof AppError) || !['CONSENT_REQUIRED', 'VALIDATION_FAILED', 'EMAIL_TAKEN', 'PHONE_TAKEN', 'CODE_LIMIT'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      const { _csrf: _drop, ...typed } = b
      return sendPage(reply, registerPage(ctx, region, typed, err.fields, errorMessage(err.code, ctx.locale)))
    }
  })

  app.get('/petugas/orang/:id', { config: access, schema: { hide: true, params: IdParam, querystring: PersonQuery } }, async (req, reply) => {
    const key = NOTICES[(req.query as { hasil?: string }).hasil ?? '']
    return showPerson(req, reply, { notice: key ? tr(req.locale, T[key]) : null, message: null, fields: [] })
  })

  app.post('/petugas/orang/:id/telepon', { config: access, schema: { hide: true, params: IdParam, body: Form } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    try {
      await confirmPhone(adeps, officerOf(req), id, (req.body as Record<string, string>).code ?? '', originOf(req))
    } catch (err) {
      if (!(err instanceof AppError) || !['CODE_INVALID', 'CODE_EXPIRED'].includes(err.code)) throw err
      reply.code(err.status)
      return showPerson(req, reply, { notice: null, message: errorMessage(err.code, req.locale), fields: err.fields })
    }
    return reply.redirect(`/petugas/orang/${id}?hasil=hp#hp`, 303)
  })

  app.post('/petugas/orang/:id/telepon/kirim-ulang', { config: access, schema: { hide: true, params: IdParam } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    try {
      await resendPhoneCode(adeps, officerOf(req), id, originOf(req))
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
      reply.code(err.status)
      return showPerson(req, reply, { notice: null, message: errorMessage(err.code, req.locale), fields: err.fields })
    }
    return reply.redirect(`/petugas/orang/${id}?hasil=kirim#hp`, 303)
  })

  app.get('/petugas/orang/:id/profil/:step', { config: access, schema: { hide: true, params: StepParams } }, async (req, reply) => {
    const { id, step } = req.params as { id: string; step: Step }
    const officer = officerOf(req)
    const person = await personForOfficer(adeps, officer, id, originOf(req), `profile:${step}`)
    const view = await profileView(adeps, id)
    return sendPage(reply.header('cache-control', 'no-store'), stepPage(pageContext(req, reply, { devMailbox }), person, regionOf(officer), step, view, null, [], null))
  })

  app.post('/petugas/orang/:id/profil/:step', { config: access, schema: { hide: true, params: StepParams, body: Form } }, async (req, reply) => {
    const { id, step } = req.params as { id: string; step: Step }
    const b = req.body as Record<string, string>
    const officer = officerOf(req)
    try {
      await saveStep(adeps, officer, id, step, (k) => b[k] ?? '', originOf(req))
    } catch (err) {
      if (!(err instanceof AppError) || !['VALIDATION_FAILED', 'NIK_TAKEN', 'STEP_ORDER', 'REGION_OUTSIDE'].includes(err.code)) throw err
      const ctx = pageContext(req, reply, { devMailbox })
      reply.code(err.status)
      const person = await personForOfficer(adeps, officer, id, originOf(req), `profile:${step}`)
      const view = await profileView(adeps, id)
      const { _csrf: _drop, ...typed } = b
      return sendPage(reply.header('cache-control', 'no-store'), stepPage(ctx, person, regionOf(officer), step, view, typed, err.fields, errorMessage(err.code, ctx.locale)))
    }
    const view = await profileView(adeps, id)
    return reply.redirect(view.nextStep ? `/petugas/orang/${id}/profil/${view.nextStep}` : `/petugas/orang/${id}?hasil=tersimpan#data-diri`, 303)
  })

  app.register(async (scope) => {
    acceptMultipart(scope, deps.config.uploadMaxBytes)
    scope.post('/petugas/orang/:id/dokumen', { config: access, schema: { hide: true, params: IdParam } }, async (req, reply) => {
      const { id } = req.params as { id: string }
      const body = (req.body ?? {}) as MultipartBody
      const kind = body.kind
      const file = body.file
      if (kind !== 'ktp' && kind !== 'selfie') throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'kind', id: 'Jenis dokumen tidak dikenal.', en: 'Unknown document kind.' }] })
      if (!file || typeof file === 'string') {
        reply.code(400)
        return showPerson(req, reply, { notice: null, message: tr(req.locale, T.noFile), fields: [] })
      }
      const judged = await uploadDocument({ ...adeps, uploadsDir: ddeps.uploadsDir, maxBytes: ddeps.maxBytes }, officerOf(req), id, kind as DocumentKind, file.bytes, originOf(req))
      return reply.redirect(`/petugas/orang/${id}?hasil=${judged.reason ? 'ditolak' : 'diterima'}#dokumen-${kind}`, 303)
    })
  })

  // The code is shown in this answer only: it is not stored, so the page cannot be opened again.
  app.post('/petugas/orang/:id/slip', { config: access, schema: { hide: true, params: IdParam } }, async (req, reply) => {
    const { id } = req.params as { id: string }
    try {
      const slip = await issueActivationCode(adeps, officerOf(req), id, originOf(req))
      return sendPage(reply.header('cache-control', 'no-store'), slipPage(pageContext(req, reply, { devMailbox }), id, slip, deps.config.publicUrl))
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'CODE_LIMIT')) throw err
      reply.code(err.status)
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
      return showPerson(req, reply, { notice: null, message: errorMessage(err.code, req.locale), fields: err.fields })
    }
  })
}
