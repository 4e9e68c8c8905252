/** The officer's pages as views: the list, the consent-and-contact form, a person, the slip. */
import Html from '@kitajs/html'
import { Layout } from '../../web/layout.tsx'
import type { PageContext } from '../../web/page-context.ts'
import { ErrorSummary, Field } from '../../web/forms.tsx'
import { Radios } from '../../web/choices.tsx'
import { formatDateTime, tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import type { FieldError } from '../../platform/errors.ts'
import type { Regency } from '../regions/index.ts'
import { STEPS, type CheckStatus, type ProfileView } from '../registration/index.ts'
import type { DocumentKind, DocumentStatus } from '../documents/index.ts'
import { KIND_HINTS, KIND_LABELS, REJECTION_TEXTS, SELFIE_BLURRY } from '../documents/document-texts.ts'
import { maskPhone } from '../accounts/contact.ts'
import { CONSENT_TEXT, CONSENT_VERSION } from './consent.ts'
import { formatActivationCode, formatReference } from './slip-codes.ts'
import { STEP_TITLES, T } from './assisted-texts.ts'
import type { OfficerListRow, Slip } from './assisted.service.ts'
import type { RegistrationRow } from './assisted.repository.ts'

declare global {
  namespace JSX {
    interface HtmlInputTag {
      /** Opens the camera on a phone: the back one for the ID card, the front one for the selfie. */
      capture?: undefined | 'user' | 'environment'
    }
  }
}

const METHOD: Record<string, Text> = { spoken: T.spoken, signed: T.signed }

function Notice(props: { text: string | null }): JSX.Element {
  return props.text ? (
    <p class="notice" role="status" safe>
      {props.text}
    </p>
  ) : (
    ''
  )
}

export function listPage(ctx: PageContext, region: Regency, rows: readonly OfficerListRow[], steps: ReadonlyMap<string, number>): JSX.Element {
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={tr(l, T.listTitle)}>
      <h1 safe>{tr(l, T.listTitle)}</h1>
      <p safe>{tr(l, T.listIntro, { region: region.name })}</p>
      <p>
        <a class="button" href="/petugas/daftar" safe>
          {tr(l, T.newPerson)}
        </a>
      </p>
      {rows.length === 0 ? (
        <p class="muted" safe>
          {tr(l, T.none)}
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {[T.name, T.reference, T.registeredBy, T.status].map((h) => (
                  <th scope="col" safe>
                    {tr(l, h)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    {r.activated || r.status === 'closed' ? (
                      <span safe>{r.display_name}</span>
                    ) : (
                      <a href={`/petugas/orang/${r.account_id}`} safe>
                        {r.display_name}
                      </a>
                    )}
                  </td>
                  <td>
                    <code safe>{formatReference(r.reference)}</code>
                  </td>
                  <td safe>{`${r.registeredByMe ? tr(l, T.you) : r.officer_name} · ${formatDateTime(l, r.created_at)}`}</td>
                  <td safe>{r.status === 'closed' ? tr(l, T.closed) : r.activated ? tr(l, T.activated) : tr(l, T.waiting, { done: steps.get(r.account_id) ?? 0 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  )
}

export function registerPage(ctx: PageContext, region: Regency, typed: Record<string, string>, fields: readonly FieldError[], message: string | null): JSX.Element {
  const l = ctx.locale
  const other: Locale = l === 'id' ? 'en' : 'id'
  const consentError = fields.find((f) => f.field === 'consent')
  return (
    <Layout ctx={ctx} title={tr(l, T.registerTitle)}>
      <ErrorSummary locale={l} message={message} fields={fields} />
      <h1 safe>{tr(l, T.registerTitle)}</h1>
      <p safe>{`${region.name} · ${tr(l, T.registerIntro)}`}</p>
      <form method="post" action="/petugas/daftar" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <h2 safe>{tr(l, T.consentHeading)}</h2>
        <p safe>{tr(l, T.consentRead)}</p>
        <blockquote lang="id" safe>
          {CONSENT_TEXT.id}
        </blockquote>
        <blockquote lang="en" class="muted" safe>
          {CONSENT_TEXT.en}
        </blockquote>
        <p class="hint" safe>
          {tr(l, T.consentVersion, { v: CONSENT_VERSION })}
        </p>
        <div class={consentError ? 'has-error' : ''}>
          {consentError ? (
            <span class="field-error" id="consent-error" safe>
              {consentError[l]}
            </span>
          ) : (
            ''
          )}
          <label class="radio" for="consent">
            <input type="checkbox" id="consent" name="consent" value="ya" checked={typed.consent === 'ya'} /> <span safe>{tr(l, T.consentBox)}</span>
          </label>
        </div>
        <Radios
          locale={l}
          name="consentMethod"
          legend={tr(l, T.consentHow)}
          value={typed.consentMethod ?? ''}
          errors={fields}
          options={[
            { value: 'spoken', label: tr(l, T.spoken) },
            { value: 'signed', label: tr(l, T.signed) },
          ]}
        />
        <h2 safe>{tr(l, T.contactHeading)}</h2>
        <Field locale={l} name="name" label={tr(l, T.fullName)} value={typed.name ?? ''} autocomplete="off" errors={fields} />
        <Field locale={l} name="phone" label={tr(l, T.phone)} hint={tr(l, T.phoneHint)} type="tel" inputmode="tel" autocomplete="off" value={typed.phone ?? ''} errors={fields} />
        <p>
          <label class="radio" for="noPhone">
            <input type="checkbox" id="noPhone" name="noPhone" value="ya" checked={typed.noPhone === 'ya'} /> <span safe>{tr(l, T.noPhone)}</span>
          </label>
        </p>
        <Field locale={l} name="email" label={tr(l, T.email)} hint={tr(l, T.emailHint)} type="email" autocomplete="off" value={typed.email ?? ''} errors={fields} />
        <p>
          <button type="submit" safe>
            {tr(l, T.register)}
          </button>
        </p>
      </form>
      <p class="muted" lang={other} safe>
        {tr(other, T.registerIntro)}
      </p>
    </Layout>
  )
}

function DocumentStatusLine(props: { locale: Locale; kind: DocumentKind; status: DocumentStatus }): JSX.Element {
  const l = props.locale
  const s = props.status
  if (s.state === 'missing') return <p class="status" safe>{tr(l, T.docMissing)}</p>
  if (s.state === 'checking') return <p class="status" safe>{tr(l, T.docChecking)}</p>
  if (s.state === 'accepted') return <p class="status accepted" safe>{`${tr(l, T.docAccepted)} · ${formatDateTime(l, s.at)}`}</p>
  return (
    <div class="status rejected" role="alert">
      <p>
        <strong safe>{tr(l, T.docRejected)}</strong> <span safe>{`· ${formatDateTime(l, s.at)}`}</span>
      </p>
      <p safe>{tr(l, props.kind === 'selfie' && s.reason === 'blurry' ? SELFIE_BLURRY : REJECTION_TEXTS[s.reason])}</p>
    </div>
  )
}

export interface PersonPageData {
  person: RegistrationRow
  profile: ProfileView
  checks: CheckStatus
  documents: Record<DocumentKind, DocumentStatus>
  notice: string | null
  message: string | null
  fields: readonly FieldError[]
}

export function personPage(ctx: PageContext, d: PersonPageData): JSX.Element {
  const l = ctx.locale
  const p = d.person
  const base = `/petugas/orang/${p.account_id}`
  return (
    <Layout ctx={ctx} title={p.display_name}>
      <ErrorSummary locale={l} message={d.message} fields={d.fields} />
      <Notice text={d.notice} />
      <h1 safe>{p.display_name}</h1>
      <p safe>{tr(l, T.personIntro, { ref: formatReference(p.reference), officer: p.officer_name, when: formatDateTime(l, p.created_at) })}</p>
      <p class="muted" safe>
        {tr(l, T.consentRecorded, { how: tr(l, METHOD[p.consent_method] ?? T.spoken), when: formatDateTime(l, p.consent_at), v: p.consent_version })}
      </p>

      <section id="hp">
        <h2 safe>{tr(l, T.phoneHeading)}</h2>
        {!p.phone ? (
          <p safe>{tr(l, T.noPhoneHere)}</p>
        ) : p.phone_verified_at ? (
          <p class="status accepted" safe>
            {tr(l, T.phoneVerified, { phone: maskPhone(p.phone) })}
          </p>
        ) : (
          <>
            <p safe>{tr(l, T.phoneWaiting, { phone: maskPhone(p.phone) })}</p>
            <form method="post" action={`${base}/telepon`} novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <Field locale={l} name="code" label={tr(l, T.code)} inputmode="numeric" autocomplete="off" errors={d.fields} />
              <p>
                <button type="submit" safe>
                  {tr(l, T.confirm)}
                </button>
              </p>
            </form>
            <form method="post" action={`${base}/telepon/kirim-ulang`}>
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <button type="submit" class="link" safe>
                {tr(l, T.resend)}
              </button>
            </form>
          </>
        )}
      </section>

      <section id="data-diri">
        <h2 safe>{tr(l, T.profileHeading)}</h2>
        <ol class="steps">
          {STEPS.map((s) => (
            <li>
              <a href={`${base}/profil/${s}`} safe>
                {tr(l, STEP_TITLES[s])}
              </a>
              <span class={d.profile.stepsDone.includes(s) ? 'status ok' : 'status'} safe>
                {tr(l, d.profile.stepsDone.includes(s) ? T.done : d.profile.drafts[s] ? T.draft : T.todo)}
              </span>
            </li>
          ))}
        </ol>
        {d.profile.completedAt ? (
          <p class="notice" safe>
            {d.checks.state === 'not_started' ? tr(l, T.complete) : tr(l, T.checks, { state: tr(l, T[d.checks.state]) })}
          </p>
        ) : (
          ''
        )}
      </section>

      <section id="dokumen">
        <h2 safe>{tr(l, T.documentsHeading)}</h2>
        {(['ktp', 'selfie'] as const).map((kind) => (
          <div id={`dokumen-${kind}`}>
            <h3 safe>{tr(l, KIND_LABELS[kind])}</h3>
            <DocumentStatusLine locale={l} kind={kind} status={d.documents[kind]} />
            <p class="hint" safe>
              {tr(l, KIND_HINTS[kind])}
            </p>
            <form method="post" action={`${base}/dokumen`} enctype="multipart/form-data">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <input type="hidden" name="kind" value={kind} />
              <p>
                <label for={`foto-${kind}`} safe>
                  {`${tr(l, T.takePhoto)}: ${tr(l, KIND_LABELS[kind])}`}
                </label>
                <input type="file" id={`foto-${kind}`} name="file" accept="image/*" capture={kind === 'ktp' ? 'environment' : 'user'} />
              </p>
              <p>
                <button type="submit" safe>
                  {tr(l, T.send)}
                </button>
              </p>
            </form>
          </div>
        ))}
      </section>

      <section id="slip">
        <h2 safe>{tr(l, T.slipHeading)}</h2>
        <p safe>{tr(l, T.slipIntro)}</p>
        <form method="post" action={`${base}/slip`}>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" safe>
            {tr(l, T.printSlip)}
          </button>
        </form>
      </section>
      <p>
        <a href="/petugas" safe>
          {tr(l, T.backList)}
        </a>
      </p>
    </Layout>
  )
}

export function slipPage(ctx: PageContext, personId: string, slip: Slip, publicUrl: string): JSX.Element {
  const l = ctx.locale
  const other: Locale = l === 'id' ? 'en' : 'id'
  return (
    <Layout ctx={ctx} title={tr(l, T.slipTitle)}>
      {/* Printing shows the slip alone. */}
      <style>{'@media print{header,footer,nav,.who,.no-print{display:none!important}.slip{border:2px dashed #000}}'}</style>
      <p class="notice no-print" role="status" safe>
        {tr(l, T.slipPrint)}
      </p>
      <div class="slip">
        <h1 safe>{tr(l, T.slipTitle)}</h1>
        <p safe>{tr(l, T.slipFor, { name: slip.name })}</p>
        <p>
          <span safe>{tr(l, T.reference)}</span>: <strong class="nowrap" safe>{formatReference(slip.reference)}</strong>
        </p>
        <p>
          <span safe>{tr(l, T.slipCode)}</span>: <strong class="nowrap" safe>{formatActivationCode(slip.code)}</strong>
        </p>
        <p safe>{tr(l, T.slipValid, { when: formatDateTime(l, slip.expiresAt) })}</p>
        <p safe>{tr(l, T.slipHow, { url: publicUrl })}</p>
        <p lang={other} class="muted" safe>
          {tr(other, T.slipHow, { url: publicUrl })}
        </p>
        <p>
          <strong safe>{tr(l, T.slipKeep)}</strong>
        </p>
        <p class="muted" safe>
          {tr(l, T.slipBy, { officer: slip.officer, region: slip.region })}
        </p>
      </div>
      <p class="no-print">
        <a href={`/petugas/orang/${personId}`} safe>
          {tr(l, T.back)}
        </a>
      </p>
    </Layout>
  )
}
