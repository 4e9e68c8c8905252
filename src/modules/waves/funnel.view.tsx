/** The funnel per province PMO reads for a wave, with revoked places and recovered money for the next wave. */
import Html from '@kitajs/html'
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { formatRupiah } from '../ledger/index.ts'
import { getProvince } from '../regions/index.ts'
import type { FunnelRow } from './cards.repository.ts'
import { INELIGIBLE } from './waves.texts.ts'

const T = {
  funnel: { id: 'Corong per provinsi', en: 'Funnel per province' },
  province: { id: 'Provinsi', en: 'Province' },
  applicants: { id: 'Pendaftar', en: 'Applicants' },
  eligible: { id: 'Memenuhi syarat', en: 'Eligible' },
  selected: { id: 'Terpilih', en: 'Selected' },
  notSelected: { id: 'Tidak terpilih', en: 'Not selected' },
  ineligible: { id: 'Tidak memenuhi syarat (alasan)', en: 'Not eligible (reasons)' },
  cardsActive: { id: 'Kartu aktif', en: 'Cards active' },
  cardsRevoked: { id: 'Kartu dicabut', en: 'Cards revoked' },
  recovered: { id: 'Dana kembali', en: 'Money recovered' },
  total: { id: 'Jumlah', en: 'Total' },
  noApplicants: { id: 'Belum ada pendaftar.', en: 'No applicants yet.' },
  forNext: {
    id: '{n} tempat dari kartu yang dicabut dan {amount} dana yang kembali bisa dipakai untuk gelombang berikutnya.',
    en: '{n} places from revoked cards and {amount} of recovered money can be used for the next wave.',
  },
} satisfies Record<string, Text>

export function FunnelSection({ l, funnel }: { l: Locale; funnel: readonly FunnelRow[] }): JSX.Element {
  const sum = (k: 'applicants' | 'eligible' | 'selected' | 'not_selected' | 'cards_active' | 'cards_revoked' | 'recovered') => funnel.reduce((a, r) => a + r[k], 0)
  const ineligibleCell = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${INELIGIBLE[k] ? tr(l, INELIGIBLE[k]) : k}: ${n}`)
      .join('; ')
  return (
    <>
      <h2 safe>{tr(l, T.funnel)}</h2>
      {funnel.length === 0 ? (
        <p safe>{tr(l, T.noApplicants)}</p>
      ) : (
        <>
          <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, T.funnel)}>
            <table>
              <thead>
                <tr>
                  {[T.province, T.applicants, T.eligible, T.selected, T.notSelected, T.ineligible, T.cardsActive, T.cardsRevoked, T.recovered].map((h) => (
                    <th scope="col" safe>
                      {tr(l, h)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {funnel.map((r) => (
                  <tr>
                    <th scope="row" safe>{`${getProvince(r.province_code)?.name ?? r.province_code} (${r.province_code})`}</th>
                    <td safe>{String(r.applicants)}</td>
                    <td safe>{String(r.eligible)}</td>
                    <td safe>{String(r.selected)}</td>
                    <td safe>{String(r.not_selected)}</td>
                    <td safe>{ineligibleCell(r.ineligible)}</td>
                    <td safe>{String(r.cards_active)}</td>
                    <td safe>{String(r.cards_revoked)}</td>
                    <td safe>{formatRupiah(l, r.recovered)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" safe>{tr(l, T.total)}</th>
                  <td safe>{String(sum('applicants'))}</td>
                  <td safe>{String(sum('eligible'))}</td>
                  <td safe>{String(sum('selected'))}</td>
                  <td safe>{String(sum('not_selected'))}</td>
                  <td></td>
                  <td safe>{String(sum('cards_active'))}</td>
                  <td safe>{String(sum('cards_revoked'))}</td>
                  <td safe>{formatRupiah(l, sum('recovered'))}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <p class="notice" safe>
            {tr(l, T.forNext, { n: sum('cards_revoked'), amount: formatRupiah(l, sum('recovered')) })}
          </p>
        </>
      )}
    </>
  )
}
