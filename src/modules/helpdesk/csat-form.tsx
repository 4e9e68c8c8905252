/**
 * The rating a participant gives after a complaint or a chat is answered: 1–5 and an optional
 * comment, posted to `/pengaduan/<tracking>/nilai`. One form for both pages; each page asks its
 * own question (the legend).
 */
import Html from '@kitajs/html'
import { tr, type Locale, type Text } from '../../platform/i18n/index.ts'

const T = {
  comment: { id: 'Komentar (tidak wajib)', en: 'Comment (optional)' },
  rate: { id: 'Kirim penilaian', en: 'Send the rating' },
} satisfies Record<string, Text>

export function CsatForm(p: { locale: Locale; tracking: string; csrfToken: string; question: Text }): JSX.Element {
  const l = p.locale
  return (
    <form method="post" action={`/pengaduan/${p.tracking}/nilai`}>
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <fieldset class="radios">
        <legend safe>{tr(l, p.question)}</legend>
        {[1, 2, 3, 4, 5].map((n) => (<label class="radio"><input type="radio" name="score" value={String(n)} required /> <span safe>{`${n}`}</span></label>))}
      </fieldset>
      <label for="comment" safe>{tr(l, T.comment)}</label>
      <textarea id="comment" name="comment" rows="3" maxlength="2000"></textarea>
      <p class="actions"><button type="submit" safe>{tr(l, T.rate)}</button></p>
    </form>
  ) as JSX.Element
}
