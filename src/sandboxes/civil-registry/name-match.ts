/**
 * Whether a name typed by a person is the name on their civil-registry record. Dukcapil's
 * own comparison forgives what a careful person still writes differently from the KTP:
 * case and spacing, dots and commas, religious and academic titles (H., Hj., Dr., S.Pd.,
 * M.M.), the many spellings of Muhammad, the old Dutch-era spelling (oe, dj, tj, sj, ch)
 * and doubled letters (Sitti, Hanna). It does not forgive a letter typed wrong: that is
 * exactly the mistake the check is there to catch.
 */

/** Titles written before the name (religious, academic, nobility). */
const PREFIXES = new Set(['H', 'HJ', 'HAJI', 'HAJAH', 'HAJJAH', 'KH', 'DR', 'DRS', 'DRA', 'IR', 'PROF', 'USTAD', 'USTADZ', 'NS', 'APT'])

/** Academic and professional titles (gelar) written after the name, without their dots. */
const SUFFIXES = new Set([
  'SPD', 'SPDI', 'SE', 'SH', 'SHI', 'ST', 'SSI', 'SKOM', 'SSOS', 'SAG', 'SIP', 'SKM', 'SKEP', 'SFARM', 'SPT', 'SHUT', 'SP', 'SSN', 'SS', 'STP',
  'SPSI', 'SAK', 'SIKOM', 'SKED', 'SGZ', 'SKG', 'STR', 'SAB',
  'AMD', 'AMK', 'AMKEB', 'AMA', 'AMPD',
  'MM', 'MPD', 'MSI', 'MT', 'MH', 'MKOM', 'MAG', 'MAK', 'MKES', 'MA', 'MSC', 'MBA', 'MKM',
  'PHD', 'SPOG', 'SPA', 'SPPD', 'APT', 'NS', 'BSC', 'BA',
])

/** After the spelling rules below, every way of writing Muhammad becomes one of these. */
const MUHAMMAD = new Set(['M', 'MUHAMAD', 'MUHAMED', 'MOHAMAD', 'MOHAMED', 'MOKHAMAD', 'MUKHAMAD', 'MUH', 'MOH', 'MOKH', 'MUKH', 'MHD', 'MUHD', 'MOHD', 'MHMD'])

/** One word in its canonical spelling. */
export function canonicalWord(word: string): string {
  let w = word
  // Before 1972 "j" was written for today's "y"; a word with an old-spelling mark is old
  // spelling throughout (Tjahjono is Cahyono), one without it is read as modern.
  if (/OE|DJ|TJ|SJ/.test(w)) {
    w = w.replace(/DJ/g, '#').replace(/TJ/g, 'C').replace(/SJ/g, 'SY').replace(/J/g, 'Y').replace(/#/g, 'J').replace(/OE/g, 'U')
  }
  w = w.replace(/CH/g, 'KH').replace(/(.)\1+/g, '$1')
  if (MUHAMMAD.has(w)) w = 'MUHAMAD'
  return w
}

/**
 * The name reduced to what identifies the person: upper case, letters only, titles
 * removed, words in canonical spelling. A part after a comma is a gelar list ("Budi, S.Pd.").
 */
export function canonicalName(name: string): string[] {
  const beforeComma = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().split(',')[0] ?? ''
  // A dotted chunk is one title when it reads as one ("S.Pd." → SPD), otherwise the dots
  // separate words ("M.Rizki" → M RIZKI). A short gelar without dots ("SE", "MA") is kept:
  // it is as likely a family name.
  const words = beforeComma
    .replace(/['’`]/g, '')
    .split(/\s+/)
    .flatMap((chunk) => {
      const joined = chunk.replace(/[^A-Z]/g, '')
      if (SUFFIXES.has(joined) && (chunk.includes('.') || joined.length >= 3)) return [{ word: joined, title: true }]
      if (PREFIXES.has(joined)) return [{ word: joined, title: false }]
      return chunk.split(/[^A-Z]+/).map((word) => ({ word, title: false }))
    })
    .filter((w) => w.word.length > 0)
  let start = 0
  let end = words.length
  while (end - start > 1 && words[end - 1]?.title) end--
  while (end - start > 1 && PREFIXES.has(words[start]?.word ?? '')) start++
  return words.slice(start, end).map((w) => canonicalWord(w.word))
}

/** Also true when only the spacing differs ("Nurhayati" and "Nur Hayati"). */
export function namesMatch(typed: string, onRecord: string): boolean {
  const a = canonicalName(typed)
  const b = canonicalName(onRecord)
  if (a.length === 0 || b.length === 0) return false
  if (a.join(' ') === b.join(' ')) return true
  const joined = (words: string[]) => words.join('').replace(/(.)\1+/g, '$1')
  return joined(a) === joined(b)
}
