/** GOV.UK-style form parts: an error summary that links to each field, and labelled fields. */
import Html from '@kitajs/html'
import type { FieldError, Locale } from '../platform/errors.ts'
import { tr } from '../platform/i18n/index.ts'

const T = { problem: { id: 'Ada yang perlu diperbaiki', en: 'There is a problem' } }

export function ErrorSummary(props: { locale: Locale; message?: string | null; fields: readonly FieldError[] }): JSX.Element {
  if (!props.message && props.fields.length === 0) return ''
  return (
    <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" safe>
        {tr(props.locale, T.problem)}
      </h2>
      {props.message ? <p safe>{props.message}</p> : ''}
      <ul>
        {props.fields.map((f) => (
          <li>
            <a href={`#${f.field}`} safe>
              {f[props.locale]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}

export function Field(props: {
  locale: Locale
  name: string
  label: string
  hint?: string
  type?: string
  value?: string
  autocomplete?: string
  inputmode?: string
  errors: readonly FieldError[]
}): JSX.Element {
  const error = props.errors.find((e) => e.field === props.name)
  const describedBy = [props.hint ? `${props.name}-hint` : '', error ? `${props.name}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'has-error' : ''}>
      <label for={props.name} safe>
        {props.label}
      </label>
      {props.hint ? (
        <span class="hint" id={`${props.name}-hint`} safe>
          {props.hint}
        </span>
      ) : (
        ''
      )}
      {error ? (
        <span class="field-error" id={`${props.name}-error`} safe>
          {error[props.locale]}
        </span>
      ) : (
        ''
      )}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  )
}
