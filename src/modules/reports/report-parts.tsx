/** Pieces shared by the console pages and the public statistics: a table and a chart with its table. */
import Html from '@kitajs/html'
import type { Locale } from '../../platform/i18n/index.ts'
import { tr } from '../../platform/i18n/index.ts'
import type { Cell } from './csv.ts'
import type { TableData } from './overview.tables.ts'

const T = {
  csv: { id: 'Unduh tabel ini (CSV)', en: 'Download this table (CSV)' },
  empty: { id: 'Belum ada data untuk filter ini.', en: 'No data for these filters yet.' },
}

function show(l: Locale, v: Cell): string {
  if (v === null || v === undefined) return '–'
  return typeof v === 'number' ? v.toLocaleString(l === 'id' ? 'id-ID' : 'en-GB') : v
}

export function DataTable(props: { l: Locale; caption: string; table: TableData }): JSX.Element {
  const { l, table } = props
  if (table.rows.length === 0) return <p class="muted" safe>{tr(l, T.empty)}</p>
  return (
    <div class="table-wrap" tabindex="0" role="region" aria-label={props.caption}>
      <table>
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            {table.head.map((h) => (
              <th scope="col" safe>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr>
              {r.map((c, i) =>
                i === 0 ? (
                  <th scope="row" safe>{show(l, c)}</th>
                ) : (
                  <td class={typeof c === 'number' ? 'num' : undefined} safe>{show(l, c)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A heading, the chart (an SVG string escaped by svg-chart.ts), its table and its CSV link. */
export function ChartSection(props: { l: Locale; id: string; title: string; safeSvg: string; table: TableData; csvHref?: string }): JSX.Element {
  const { l } = props
  const safeSvg = props.safeSvg
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`} safe>{props.title}</h2>
      <figure>{safeSvg}</figure>
      <DataTable l={l} caption={props.title} table={props.table} />
      {props.csvHref ? (
        <p>
          <a href={props.csvHref} download="" safe>{tr(l, T.csv)}</a>
        </p>
      ) : (
        ''
      )}
    </section>
  )
}
