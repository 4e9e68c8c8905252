/**
 * PMO onboards partners (/pmo/mitra); a partner rotates its own API secret from its console
 * (/mitra/kredensial). A secret is shown once, right after it is made, and never again.
 */
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage, type PageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Radios } from '../../web/choices.tsx'
import { formatDateTime, tr } from '../../platform/i18n/index.ts'
import { AppError, errorMessage, type FieldError } from '../../platform/errors.ts'
import { createPartner, findPartner, listAffiliations, listCredentials, listPartners, recordAffiliation, rotateCredential, setPartnerStatus, type Actor, type IssuedCredential } from './partners.service.ts'

const T = {
  title: { id: 'Mitra: platform dan lembaga pelatihan', en: 'Partners: platforms and training providers' },
  intro: {
    id: 'Platform digital menjual pelatihan dan menerima pembayaran dengan kartu; lembaga pelatihan (LP) menyelenggarakannya. Setiap mitra memanggil API Karya dengan tanda tangan HMAC.',
    en: 'Digital platforms sell courses and take the card as payment; training providers run the courses. Every partner calls the Karya API with an HMAC signature.',
  },
  code: { id: 'Kode mitra', en: 'Partner code' },
  codeHint: { id: 'Huruf kecil, angka dan tanda minus, misalnya "belajar-maju".', en: 'Lower-case letters, digits and hyphens, e.g. "belajar-maju".' },
  name: { id: 'Nama', en: 'Name' },
  kind: { id: 'Jenis', en: 'Kind' },
  platform: { id: 'Platform digital', en: 'Digital platform' },
  provider: { id: 'Lembaga pelatihan', en: 'Training provider' },
  email: { id: 'E-mail kontak teknis (boleh kosong)', en: 'Technical contact e-mail (optional)' },
  courseUrl: { id: 'Alamat halaman kursus di platform (khusus platform, boleh kosong)', en: 'Course page address on the platform (platforms only, optional)' },
  courseUrlHint: { id: 'Diawali https:// dan memuat {id}, yang diganti ID kursus Karya. Katalog Karya menautkan tombol "Beli" ke sana.', en: 'Starts with https:// and contains {id}, replaced by the Karya course id. The Karya catalogue links its "Buy" button there.' },
  legacy: { id: 'Izinkan skema tanda tangan lama (HMAC-SHA1) untuk mitra yang pindah dari sistem lama', en: 'Allow the legacy signature scheme (HMAC-SHA1) for a partner moving from the old system' },
  add: { id: 'Tambah mitra', en: 'Add partner' },
  status: { id: 'Status', en: 'Status' },
  active: { id: 'aktif', en: 'active' },
  suspended: { id: 'ditangguhkan', en: 'suspended' },
  suspend: { id: 'Tangguhkan', en: 'Suspend' },
  reinstate: { id: 'Aktifkan kembali', en: 'Reinstate' },
  none: { id: 'Belum ada mitra.', en: 'No partners yet.' },
  secretTitle: { id: 'Kunci API baru — simpan sekarang', en: 'New API key — save it now' },
  secretWarn: {
    id: 'Kunci rahasia ini hanya ditampilkan sekali. Karya menyimpannya terenkripsi dan tidak bisa menampilkannya lagi. Bila hilang, buat kunci baru.',
    en: 'This secret is shown only once. Karya keeps it encrypted and cannot show it again. If it is lost, make a new one.',
  },
  clientCode: { id: 'Kode klien', en: 'Client code' },
  secret: { id: 'Kunci rahasia', en: 'Secret' },
  retiring: { id: 'Kunci lama {code} tetap berlaku sampai {when}, agar Anda sempat memasang yang baru.', en: 'The old key {code} keeps working until {when}, so you have time to install the new one.' },
  back: { id: 'Kembali', en: 'Back' },
  credsTitle: { id: 'Kunci API', en: 'API keys' },
  credsIntro: {
    id: 'Ganti kunci secara berkala atau segera bila bocor. Kunci lama tetap berlaku 24 jam setelah penggantian; kunci yang lebih lama lagi langsung berhenti.',
    en: 'Rotate your key regularly, or at once if it leaked. The old key keeps working 24 hours after rotation; any older key stops at once.',
  },
  created: { id: 'Dibuat', en: 'Created' },
  state: { id: 'Keadaan', en: 'State' },
  live: { id: 'berlaku', en: 'live' },
  until: { id: 'berlaku sampai {when}', en: 'live until {when}' },
  dead: { id: 'tidak berlaku', en: 'no longer valid' },
  rotate: { id: 'Buat kunci baru', en: 'Make a new key' },
  noPartner: { id: 'Akun Anda belum terhubung ke mitra. Hubungi PMO.', en: 'Your account is not linked to a partner yet. Contact the PMO.' },
  affTitle: { id: 'Afiliasi platform dan lembaga pelatihan', en: 'Platform–provider affiliations' },
  affIntro: {
    id: 'Catat bila sebuah platform dan lembaga pelatihan dimiliki atau dijalankan orang yang sama. Kursus mereka ditandai "konflik kepentingan" saat dikurasi.',
    en: 'Record when a platform and a training provider are owned or run by the same people. Their courses are flagged "conflict of interest" when curated.',
  },
  affPlatform: { id: 'Kode platform', en: 'Platform code' },
  affProvider: { id: 'Kode lembaga pelatihan', en: 'Provider code' },
  affNote: { id: 'Hubungannya', en: 'The link' },
  affAdd: { id: 'Catat afiliasi', en: 'Record affiliation' },
  docs: { id: 'Cara menandatangani panggilan dan daftar API ada di /api/docs (tag "partner"). Uji dengan GET /api/v1/partner/me.', en: 'How to sign calls and the API list are at /api/docs (tag "partner"). Test with GET /api/v1/partner/me.' },
}

const Form = Type.Record(Type.String(), Type.String({ maxLength: 500 }))

function actorOf(req: FastifyRequest): Actor {
  const a = req.account!
  return { id: a.id, role: a.role, requestId: String(req.id), ip: req.ip }
}

function SecretPanel(props: { ctx: PageContext; issued: IssuedCredential; back: string }): JSX.Element {
  const l = props.ctx.locale
  const i = props.issued
  return (
    <section class="panel" aria-labelledby="secret-title">
      <h2 id="secret-title" safe>{tr(l, T.secretTitle)}</h2>
      <p class="warning" safe>{tr(l, T.secretWarn)}</p>
      <dl>
        <dt safe>{tr(l, T.clientCode)}</dt>
        <dd>
          <code safe>{i.clientCode}</code>
        </dd>
        <dt safe>{tr(l, T.secret)}</dt>
        <dd>
          <code class="secret" safe>{i.secret}</code>
        </dd>
      </dl>
      {i.retiringClientCode && i.retiresAt ? (
        <p safe>{tr(l, T.retiring).replace('{code}', i.retiringClientCode).replace('{when}', formatDateTime(l, i.retiresAt))}</p>
      ) : (
        ''
      )}
      <p>
        <a href={props.back} safe>{tr(l, T.back)}</a>
      </p>
    </section>
  )
}

export function registerPartnerPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const pd = { db, clock: deps.clock, identity: deps.identity }
  const devMailbox = deps.config.mail.devMailbox

  async function pmoPage(req: FastifyRequest, reply: FastifyReply, state: { fields: FieldError[]; message: string | null; typed: Record<string, string>; issued?: IssuedCredential }) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const partners = await listPartners(db)
    const affiliations = await listAffiliations(db)
    const canEdit = ctx.account?.role === 'pmo_admin'
    const v = state.typed
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.title)}>
        <ErrorSummary locale={l} message={state.message} fields={state.fields} />
        <h1 safe>{tr(l, T.title)}</h1>
        <p safe>{tr(l, T.intro)}</p>
        {state.issued ? <SecretPanel ctx={ctx} issued={state.issued} back="/pmo/mitra" /> : ''}
        {partners.length === 0 ? (
          <p safe>{tr(l, T.none)}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" safe>{tr(l, T.code)}</th>
                  <th scope="col" safe>{tr(l, T.name)}</th>
                  <th scope="col" safe>{tr(l, T.kind)}</th>
                  <th scope="col" safe>{tr(l, T.status)}</th>
                </tr>
              </thead>
              <tbody>
                {partners.map((p) => (
                  <tr>
                    <td>
                      <code safe>{p.code}</code>
                    </td>
                    <td safe>{p.name}</td>
                    <td safe>{tr(l, p.kind === 'platform' ? T.platform : T.provider) + (p.legacyAllowed ? ' · HMAC-SHA1' : '')}</td>
                    <td>
                      <span class={p.status === 'active' ? 'status ok' : 'status'} safe>{tr(l, p.status === 'active' ? T.active : T.suspended)}</span>
                      {canEdit ? (
                        <form method="post" action={`/pmo/mitra/${p.code}/${p.status === 'active' ? 'tangguhkan' : 'aktifkan'}`} class="inline">
                          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                          <button type="submit" class="link" safe>{tr(l, p.status === 'active' ? T.suspend : T.reinstate)}</button>
                        </form>
                      ) : (
                        ''
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2 safe>{tr(l, T.affTitle)}</h2>
        <p safe>{tr(l, T.affIntro)}</p>
        <ul>
          {affiliations.map((a) => (
            <li safe>{`${a.platformCode} — ${a.providerCode}: ${a.note}`}</li>
          ))}
        </ul>
        {canEdit ? (
          <form method="post" action="/pmo/mitra/afiliasi" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <Field locale={l} name="platformCode" label={tr(l, T.affPlatform)} value={v.platformCode ?? ''} errors={state.fields} />
            <Field locale={l} name="providerCode" label={tr(l, T.affProvider)} value={v.providerCode ?? ''} errors={state.fields} />
            <Field locale={l} name="note" label={tr(l, T.affNote)} value={v.note ?? ''} errors={state.fields} />
            <p>
              <button type="submit" class="secondary" safe>{tr(l, T.affAdd)}</button>
            </p>
          </form>
        ) : (
          ''
        )}
        {canEdit ? (
          <>
            <h2 safe>{tr(l, T.add)}</h2>
            <form method="post" action="/pmo/mitra" novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <Field locale={l} name="code" label={tr(l, T.code)} hint={tr(l, T.codeHint)} value={v.code ?? ''} errors={state.fields} />
              <Field locale={l} name="name" label={tr(l, T.name)} value={v.name ?? ''} errors={state.fields} />
              <Radios locale={l} name="kind" legend={tr(l, T.kind)} options={[{ value: 'platform', label: tr(l, T.platform) }, { value: 'provider', label: tr(l, T.provider) }]} value={v.kind ?? ''} errors={state.fields} />
              <Field locale={l} name="contactEmail" type="email" label={tr(l, T.email)} value={v.contactEmail ?? ''} errors={state.fields} />
              <Field locale={l} name="courseUrlTemplate" label={tr(l, T.courseUrl)} hint={tr(l, T.courseUrlHint)} value={v.courseUrlTemplate ?? ''} errors={state.fields} />
              <p>
                <label>
                  <input type="checkbox" name="legacy" value="1" checked={v.legacy === '1'} /> <span safe>{tr(l, T.legacy)}</span>
                </label>
              </p>
              <p>
                <button type="submit" safe>{tr(l, T.add)}</button>
              </p>
            </form>
          </>
        ) : (
          ''
        )}
      </Layout>,
    )
  }

  app.get('/pmo/mitra', { config: { access: ['pmo_admin', 'auditor'] }, schema: { hide: true } }, async (req, reply) => pmoPage(req, reply, { fields: [], message: null, typed: {} }))

  app.post('/pmo/mitra', { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    try {
      const issued = await createPartner(pd, actorOf(req), {
        code: (b.code ?? '').trim(),
        kind: b.kind ?? '',
        name: b.name ?? '',
        legacyAllowed: b.legacy === '1',
        contactEmail: (b.contactEmail ?? '').trim() || null,
        courseUrlTemplate: b.courseUrlTemplate ?? null,
      })
      reply.header('cache-control', 'no-store')
      return pmoPage(req, reply, { fields: [], message: null, typed: {}, issued })
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return pmoPage(req, reply, { fields: [...err.fields], message: errorMessage('VALIDATION_FAILED', req.locale), typed: b })
    }
  })

  app.post('/pmo/mitra/afiliasi', { config: { access: ['pmo_admin'] }, schema: { hide: true, body: Form } }, async (req, reply) => {
    const b = req.body as Record<string, string>
    try {
      await recordAffiliation(pd, actorOf(req), { platformCode: (b.platformCode ?? '').trim(), providerCode: (b.providerCode ?? '').trim(), note: b.note ?? '' })
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err
      reply.code(400)
      return pmoPage(req, reply, { fields: [...err.fields], message: errorMessage('VALIDATION_FAILED', req.locale), typed: b })
    }
    return reply.redirect('/pmo/mitra', 303)
  })

  app.post(
    '/pmo/mitra/:code/:to',
    { config: { access: ['pmo_admin'] }, schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 40 }), to: Type.Union([Type.Literal('tangguhkan'), Type.Literal('aktifkan')]) }) } },
    async (req, reply) => {
      const { code, to } = req.params as { code: string; to: 'tangguhkan' | 'aktifkan' }
      await setPartnerStatus(pd, actorOf(req), code, to === 'aktifkan' ? 'active' : 'suspended')
      return reply.redirect('/pmo/mitra', 303)
    },
  )

  async function credentialsPage(req: FastifyRequest, reply: FastifyReply, issued?: IssuedCredential) {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const code = req.account!.partnerCode
    const partner = code ? await findPartner(db, code) : null
    const creds = partner ? await listCredentials(pd, partner.code) : []
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.credsTitle)}>
        <h1 safe>{tr(l, T.credsTitle)}</h1>
        {!partner ? (
          <p safe>{tr(l, T.noPartner)}</p>
        ) : (
          <>
            <p safe>{`${partner.name} (${partner.code})`}</p>
            <p safe>{tr(l, T.credsIntro)}</p>
            {issued ? <SecretPanel ctx={ctx} issued={issued} back="/mitra/kredensial" /> : ''}
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col" safe>{tr(l, T.clientCode)}</th>
                    <th scope="col" safe>{tr(l, T.created)}</th>
                    <th scope="col" safe>{tr(l, T.state)}</th>
                  </tr>
                </thead>
                <tbody>
                  {creds.map((c) => (
                    <tr>
                      <td>
                        <code safe>{c.clientCode}</code>
                      </td>
                      <td safe>{formatDateTime(l, c.createdAt)}</td>
                      <td safe>{!c.live ? tr(l, T.dead) : c.retiresAt ? tr(l, T.until).replace('{when}', formatDateTime(l, c.retiresAt)) : tr(l, T.live)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <form method="post" action="/mitra/kredensial/ganti">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <button type="submit" safe>{tr(l, T.rotate)}</button>
            </form>
            <p safe>{tr(l, T.docs)}</p>
          </>
        )}
      </Layout>,
    )
  }

  app.get('/mitra/kredensial', { config: { access: ['platform', 'provider'] }, schema: { hide: true } }, async (req, reply) => credentialsPage(req, reply))

  app.post('/mitra/kredensial/ganti', { config: { access: ['platform', 'provider'] }, schema: { hide: true } }, async (req, reply) => {
    const code = req.account!.partnerCode
    if (!code || !(await findPartner(db, code))) throw new AppError('NOT_FOUND')
    const issued = await rotateCredential(pd, actorOf(req), code)
    reply.header('cache-control', 'no-store')
    return credentialsPage(req, reply, issued)
  })
}
