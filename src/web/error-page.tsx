import Html from '@kitajs/html'
import { Layout } from './layout.tsx'
import type { PageContext } from './page-context.ts'
import { tr } from '../platform/i18n/index.ts'
import type { FieldError } from '../platform/errors.ts'

const T = {
  title: { id: 'Tidak bisa diproses', en: 'Could not be done' },
  code: { id: 'Kode', en: 'Code' },
  ref: { id: 'Nomor permintaan (sebutkan bila menghubungi layanan pengaduan)', en: 'Request number (quote it if you contact the helpdesk)' },
  back: { id: 'Kembali ke beranda', en: 'Back to the home page' },
  login: { id: 'Masuk', en: 'Log in' },
}

export function ErrorPage(props: {
  ctx: PageContext
  code: string
  status: number
  message: string
  fields: readonly FieldError[]
}): JSX.Element {
  const l = props.ctx.locale
  return (
    <Layout ctx={props.ctx} title={tr(l, T.title)}>
      <div class="error-summary" role="alert" aria-labelledby="err-title">
        <h1 id="err-title" safe>
          {tr(l, T.title)}
        </h1>
        <p safe>{props.message}</p>
        {props.fields.length > 0 ? (
          <ul>
            {props.fields.map((f) => (
              <li safe>{`${f.field}: ${f[l]}`}</li>
            ))}
          </ul>
        ) : (
          ''
        )}
        <p class="muted">
          <span safe>{tr(l, T.code)}</span>: <code safe>{props.code}</code> <span safe>{`(HTTP ${props.status})`}</span>
        </p>
        <p class="muted">
          <span safe>{tr(l, T.ref)}</span>: <code safe>{props.ctx.requestId}</code>
        </p>
      </div>
      <p>
        {props.status === 401 ? (
          <a class="button" href={`/masuk?next=${encodeURIComponent(props.ctx.path)}`} safe>
            {tr(l, T.login)}
          </a>
        ) : (
          <a href="/" safe>
            {tr(l, T.back)}
          </a>
        )}
      </p>
    </Layout>
  )
}
