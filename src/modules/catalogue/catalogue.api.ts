/**
 * The catalogue's partner API: providers submit and withdraw courses; platforms read what
 * they may sell. Every call is signed (modules/partners).
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { getCourse, listProviderCourses, submitCourse, withdrawCourse } from './catalogue.service.ts'
import { searchCatalogue } from './catalogue.search.ts'

const Ref = Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', examples: ['AYAM-01'] })
const PartnerCode = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$', examples: ['demo-platform'] })

const SessionBody = Type.Object({
  ref: Ref,
  startsAt: Type.String({ format: 'date-time', examples: ['2027-01-10T01:00:00Z'] }),
  endsAt: Type.String({ format: 'date-time', examples: ['2027-01-10T09:00:00Z'] }),
  seats: Type.Integer({ minimum: 1, examples: [25] }),
})

const CourseBody = Type.Object({
  title: Type.String({ maxLength: 200, examples: ['Beternak ayam petelur untuk pemula'] }),
  description: Type.String({ maxLength: 5000 }),
  category: Type.String({ examples: ['livestock'], description: 'agriculture, livestock, fisheries, culinary, sewing, beauty, automotive, construction, digital_marketing, technology, entrepreneurship, office, language, hospitality, care' }),
  mode: Type.Union([Type.Literal('webinar'), Type.Literal('self_paced'), Type.Literal('offline')]),
  hours: Type.Integer({ minimum: 1, examples: [16] }),
  price: Type.Integer({ minimum: 1, examples: [900000] }),
  marketPrice: Type.Integer({ minimum: 1, description: 'The price of the same course outside the programme; must not be lower than price.', examples: [1100000] }),
  regencyCode: Type.Optional(Type.Union([Type.String({ examples: ['13.06'] }), Type.Null()])),
  address: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
  sessions: Type.Array(SessionBody, { maxItems: 60 }),
})

const Submitted = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.String({ examples: ['submitted'] }),
  version: Type.Integer(),
  created: Type.Boolean(),
})

export function registerCatalogueApi(app: FastifyInstance, deps: AppDeps): void {
  const cd = { db: deps.database.db, clock: deps.clock }

  app.put(
    '/api/v1/partner/courses/:platformCode/:ref',
    {
      config: { access: { partner: 'provider' } },
      schema: {
        tags: ['partner'],
        summary: 'Submit or update a course (provider)',
        description:
          'Idempotent: the same body twice changes nothing. A changed course goes back to PMO review (status `submitted`) and is not sold until approved again. Sessions are matched by `ref`; seats cannot go below those already taken.',
        params: Type.Object({ platformCode: PartnerCode, ref: Ref }),
        body: CourseBody,
        response: { 200: Submitted },
      },
    },
    async (req) => {
      const { platformCode, ref } = req.params as { platformCode: string; ref: string }
      const b = req.body as Static<typeof CourseBody>
      return submitCourse(cd, req.partner!.code, { ...b, ref, platformCode })
    },
  )

  app.post(
    '/api/v1/partner/courses/:platformCode/:ref/withdraw',
    {
      config: { access: { partner: 'provider' } },
      schema: { tags: ['partner'], summary: 'Withdraw a course from sale (provider)', params: Type.Object({ platformCode: PartnerCode, ref: Ref }), response: { 200: Type.Object({ status: Type.Literal('withdrawn') }) } },
    },
    async (req) => {
      const { platformCode, ref } = req.params as { platformCode: string; ref: string }
      await withdrawCourse(cd, req.partner!.code, platformCode, ref)
      return { status: 'withdrawn' as const }
    },
  )

  app.get(
    '/api/v1/partner/courses',
    {
      config: { access: { partner: 'provider' } },
      schema: {
        tags: ['partner'],
        summary: 'My courses and their review status (provider)',
        response: {
          200: Type.Object({
            courses: Type.Array(
              Type.Object({ id: Type.String(), ref: Type.String(), platformCode: Type.String(), title: Type.String(), status: Type.String(), version: Type.Integer(), lastReason: Type.Union([Type.String(), Type.Null()]) }),
            ),
          }),
        },
      },
    },
    async (req) => ({ courses: await listProviderCourses(cd.db, req.partner!.code) }),
  )

  app.get(
    '/api/v1/partner/catalogue',
    {
      config: { access: { partner: 'platform' } },
      schema: {
        tags: ['partner'],
        summary: 'Approved courses this platform may sell, with the next session that has seats (platform)',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      },
    },
    async (req) => {
      const q = req.query as { q?: string; offset?: number; limit?: number }
      const hits = await searchCatalogue(cd.db, { platformCode: req.partner!.code, ...(q.q ? { q: q.q } : {}), offset: q.offset ?? 0, limit: q.limit ?? 50 }, deps.clock.now())
      const courses = []
      for (const h of hits) {
        const c = await getCourse(cd.db, h.id)
        if (!c) continue
        courses.push({
          id: c.id,
          title: c.title,
          description: c.description,
          category: c.category,
          mode: c.mode,
          hours: c.hours,
          price: c.price,
          regencyCode: c.regencyCode,
          address: c.address,
          provider: { code: c.providerCode, name: c.providerName },
          sessions: c.sessions.filter((s) => s.status === 'scheduled' && s.startsAt > deps.clock.now()).map((s) => ({ id: s.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), seatsLeft: s.seatsLeft })),
        })
      }
      return { courses }
    },
  )
}
