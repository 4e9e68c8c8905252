/** A plain page frame for the demo partner sites, so nobody mistakes them for Karya itself. */
import Html, { type Children } from '@kitajs/html'

export function SandboxLayout(props: { title: string; site: string; children?: Children }): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="id">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} · ${props.site}`}</title>
          <link rel="stylesheet" href="/static/app.css" />
        </head>
        <body>
          <header class="sandbox-top">
            <div class="wrap">
              <p class="brand" safe>{props.site}</p>
              <p class="muted">Situs mitra demo (sandbox) — memakai API mitra Karya / Demo partner site using the Karya partner API</p>
            </div>
          </header>
          <main id="isi" class="wrap">
            {props.children}
          </main>
        </body>
      </html>
    </>
  )
}

export function ApiMessage(props: { error: { code: string; messages: { id: string; en: string } } | null }): JSX.Element {
  if (!props.error) return ''
  return (
    <div class="error-summary" role="alert">
      <h2>Tidak berhasil / Not done</h2>
      <p safe>{props.error.messages.id}</p>
      <p lang="en" safe>{props.error.messages.en}</p>
      <p class="muted">
        <code safe>{props.error.code}</code>
      </p>
    </div>
  )
}
