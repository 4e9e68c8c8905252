/** Select lists and radio groups with their label, hint and error, as the form fields are. */
import Html from '@kitajs/html'
import type { FieldError, Locale } from '../platform/errors.ts'

export interface Option {
  value: string
  label: string
}

function errorFor(errors: readonly FieldError[], name: string) {
  return errors.find((e) => e.field === name)
}

export function Select(props: { locale: Locale; name: string; label: string; hint?: string; options: readonly Option[]; value: string; placeholder: string; errors: readonly FieldError[] }): JSX.Element {
  const error = errorFor(props.errors, props.name)
  return (
    <div class={error ? 'has-error' : ''}>
      <label for={props.name} safe>
        {props.label}
      </label>
      {props.hint ? <span class="hint" safe>{props.hint}</span> : ''}
      {error ? (
        <span class="field-error" id={`${props.name}-error`} safe>
          {error[props.locale]}
        </span>
      ) : (
        ''
      )}
      <select id={props.name} name={props.name} aria-describedby={error ? `${props.name}-error` : undefined}>
        <option value="" safe>
          {props.placeholder}
        </option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

export function Radios(props: { locale: Locale; name: string; legend: string; options: readonly Option[]; value: string; errors: readonly FieldError[] }): JSX.Element {
  const error = errorFor(props.errors, props.name)
  return (
    <fieldset id={props.name} class={error ? 'has-error radios' : 'radios'}>
      <legend safe>{props.legend}</legend>
      {error ? (
        <span class="field-error" safe>
          {error[props.locale]}
        </span>
      ) : (
        ''
      )}
      {props.options.map((o) => (
        <label class="radio">
          <input type="radio" name={props.name} value={o.value} checked={o.value === props.value} /> <span safe>{o.label}</span>
        </label>
      ))}
    </fieldset>
  )
}
