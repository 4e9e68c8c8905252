/**
 * The identity checks as the person sees them, in the programme's words: a section for
 * /profil listing each check, and one sentence for the dashboard.
 */
import Html from '@kitajs/html'
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'
import { CHECK_NAMES, describeReason } from './check-reasons.ts'
import type { CheckStatus, CheckView } from './checks.service.ts'

const T = {
  heading: { id: 'Pemeriksaan data', en: 'Identity checks' },
  notStarted: { id: 'Pemeriksaan dimulai begitu keempat langkah data diri selesai.', en: 'The checks start as soon as all four steps are done.' },
  beingChecked: { id: 'Sedang diperiksa', en: 'Being checked' },
  retrying: {
    id: 'Sedang diperiksa: layanan registri belum menjawab, kami mencoba lagi otomatis. Anda tidak perlu melakukan apa pun.',
    en: 'Being checked: the registry has not answered yet and we retry automatically. You need not do anything.',
  },
  flagged: {
    id: 'Sedang diperiksa: layanan registri lama tidak menjawab, jadi tim Manajemen Pelaksana menindaklanjutinya. Anda tidak perlu mengisi ulang.',
    en: 'Being checked: the registry has not answered for a long time, so the programme office is following it up. You need not fill anything in again.',
  },
  passed: { id: 'Lolos', en: 'Passed' },
  failed: { id: 'Tidak lolos', en: 'Not passed' },
  editAgain: {
    id: 'Setelah Anda memperbaiki data diri, pemeriksaan dijalankan lagi otomatis.',
    en: 'Once you correct your details, the checks run again automatically.',
  },
  dashBeing: {
    id: 'Data diri lengkap dan sedang diperiksa ke Dukcapil, registri pendidikan dan daftar pengecualian.',
    en: 'Your details are complete and being checked with the civil registry, the education registries and the exclusion lists.',
  },
  dashPassed: { id: 'Lolos pemeriksaan — siap ikut gelombang.', en: 'Checks passed — ready to join a wave.' },
  dashFailed: { id: 'Tidak lolos: {reason}', en: 'Not passed: {reason}' },
} satisfies Record<string, Text>

function stateText(c: CheckView): Text {
  if (c.state === 'passed') return T.passed
  if (c.state === 'failed') return T.failed
  return c.flagged ? T.flagged : c.retrying ? T.retrying : T.beingChecked
}

export function ChecksSection({ locale: l, status }: { locale: Locale; status: CheckStatus }): JSX.Element {
  return (
    <section aria-labelledby="pemeriksaan">
      <h2 id="pemeriksaan" safe>
        {tr(l, T.heading)}
      </h2>
      {status.state === 'not_started' ? (
        <p class="muted" safe>
          {tr(l, T.notStarted)}
        </p>
      ) : (
        <ul class="steps">
          {status.checks.map((c) => (
            <li>
              <span safe>{tr(l, CHECK_NAMES[c.kind])}</span>{' '}
              <span class={c.state === 'passed' ? 'status ok' : 'status'} safe>
                {tr(l, stateText(c))}
              </span>
              {c.reasons.length > 0 ? (
                <ul>
                  {c.reasons.map((r) => (
                    <li safe>{tr(l, describeReason(r))}</li>
                  ))}
                </ul>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      )}
      {status.state === 'failed' ? (
        <p class="muted" safe>
          {tr(l, T.editAgain)}
        </p>
      ) : (
        ''
      )}
    </section>
  )
}

/** One sentence for the dashboard, or null before the checks have started. */
export function checksSentence(l: Locale, status: CheckStatus): string | null {
  if (status.state === 'not_started') return null
  if (status.state === 'passed') return tr(l, T.dashPassed)
  if (status.state === 'failed') return tr(l, T.dashFailed, { reason: status.reasons.map((r) => tr(l, describeReason(r))).join(' ') })
  return tr(l, T.dashBeing)
}
