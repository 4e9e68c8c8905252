/**
 * RFC 4180 CSV: the Kemendagri files quote a field when a name holds a comma or a quote
 * (districts.csv has `"Ra""as"`), so a split on commas would corrupt names.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        field += c
      }
      i++
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
    } else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else {
      field += c
    }
    i++
  }
  if (quoted) throw new Error('CSV ends inside a quoted field')
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** Rows as records keyed by the header line; a row with the wrong field count is an error, not a guess. */
export function parseCsvRecords(text: string, source: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  if (!header) return []
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r, i) => {
      if (r.length !== header.length) {
        throw new Error(`${source} line ${i + 2}: ${r.length} fields, expected ${header.length}`)
      }
      const rec: Record<string, string> = {}
      header.forEach((h, j) => {
        rec[h] = r[j] ?? ''
      })
      return rec
    })
}
