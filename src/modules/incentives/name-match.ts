/**
 * Whether the holder name a bank or e-wallet reports is the participant's name. Banks print
 * names their own way: upper case, titles kept or dropped (H., Hj., Ir., Drs., S.Kom),
 * salutations added (Bapak, Ibu, Sdr.), dots and commas, sometimes one letter off or the
 * name cut short to the bank's field length. We forgive all of that, and nothing more: a
 * different person's name must not pass.
 */

/** Salutations and titles written before a name. */
const PREFIXES = new Set(['BAPAK', 'BPK', 'PAK', 'IBU', 'BU', 'SDR', 'SDRI', 'SAUDARA', 'SAUDARI', 'TN', 'TUAN', 'NY', 'NYONYA', 'NN', 'H', 'HJ', 'HAJI', 'HAJAH', 'KH', 'DR', 'DRS', 'DRA', 'IR', 'PROF', 'USTADZ'])

/** Academic titles written after a name (without their dots). */
const SUFFIXES = new Set(['SPD', 'SE', 'SH', 'ST', 'SSI', 'SKOM', 'SSOS', 'SAG', 'SIP', 'SKM', 'SKEP', 'SFARM', 'SP', 'SS', 'AMD', 'AMK', 'MM', 'MPD', 'MSI', 'MT', 'MH', 'MKOM', 'MAG', 'MKES', 'MSC', 'MBA', 'PHD'])

/** Name words in upper case, letters only, titles and salutations removed. */
export function nameWords(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase()
  // Everything after a comma is a list of titles ("Budi Santoso, S.Kom.").
  const main = plain.split(',')[0] ?? ''
  const words = main
    .replace(/['’`]/g, '')
    .split(/\s+/)
    .flatMap((chunk) => {
      const joined = chunk.replace(/[^A-Z]/g, '')
      // "S.Kom." is one title; "M.Rizki" is two words.
      if (chunk.includes('.') && SUFFIXES.has(joined)) return [`#${joined}`]
      return chunk.split(/[^A-Z]+/)
    })
    .filter((w) => w.length > 0)
  let start = 0
  while (start < words.length - 1 && PREFIXES.has(words[start]!)) start++
  let end = words.length
  while (end - start > 1 && (words[end - 1]!.startsWith('#') || SUFFIXES.has(words[end - 1]!))) end--
  return words.slice(start, end).filter((w) => !w.startsWith('#'))
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      cur.push(v)
      if (v < best) best = v
    }
    if (best > max) return max + 1
    prev = cur
  }
  return prev[b.length]!
}

/** Letters allowed to differ: one for a name up to 10 letters, two beyond. */
export function tolerance(letters: number): number {
  return letters <= 10 ? 1 : 2
}

/** Banks cut long names to their field; a cut name must still keep at least 12 letters. */
const MIN_TRUNCATED = 12

export interface NameMatch {
  readonly matches: boolean
  readonly distance: number
}

export function matchName(ours: string, theirs: string): NameMatch {
  const a = nameWords(ours).join(' ')
  const b = nameWords(theirs).join(' ')
  if (a === '' || b === '') return { matches: false, distance: Infinity }
  const squeeze = (s: string) => s.replace(/ /g, '')
  const x = squeeze(a)
  const y = squeeze(b)
  const max = tolerance(Math.max(x.length, y.length))
  let distance = editDistance(x, y, max)
  if (distance > max && y.length >= MIN_TRUNCATED && y.length < x.length) distance = editDistance(x.slice(0, y.length), y, max)
  return { matches: distance <= max, distance }
}

export function namesMatch(ours: string, theirs: string): boolean {
  return matchName(ours, theirs).matches
}
