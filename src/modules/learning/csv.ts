/**
 * Report rows as CSV: a header line naming the columns (the JSON field names), then one
 * report a line. Quoted fields may hold commas and doubled quotes but not line breaks, so a
 * malformed line is refused on its own and never swallows the lines after it.
 */
export const CSV_COLUMNS = ['reportId', 'type', 'voucherCode', 'purchaseId', 'grade', 'completedAt', 'certificateNumber', 'certificateUrl', 'assignmentRef', 'status', 'redeemCode'] as const

export type CsvRecord = { ok: true; fields: string[] } | { ok: false }

/** Splits one line into fields; `ok: false` for a stray or unclosed quote. */
export function splitLine(line: string): CsvRecord {
  const fields: string[] = []
  let i = 0
  for (;;) {
    let field = ''
    if (line[i] === '"') {
      i++
      for (;;) {
        if (i >= line.length) return { ok: false }
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += line[i++]
      }
      if (i < line.length && line[i] !== ',') return { ok: false }
    } else {
      const end = line.indexOf(',', i)
      field = end === -1 ? line.slice(i) : line.slice(i, end)
      if (field.includes('"')) return { ok: false }
      i = end === -1 ? line.length : end
    }
    fields.push(field)
    if (i >= line.length) return { ok: true, fields }
    i++ // the comma
  }
}

export interface CsvRows {
  /** Each data line as an object of its named columns, or null when the line is malformed. */
  readonly rows: Array<Record<string, string> | null>
  readonly headerError: string | null
}

/** Parses a CSV body. Blank lines are skipped. */
export function parseCsv(body: string): CsvRows {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/)
  const header = splitLine(lines[0] ?? '')
  if (!header.ok) return { rows: [], headerError: 'The header line is malformed.' }
  const names = header.fields.map((f) => f.trim())
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n))
  if (unknown.length > 0 || !names.includes('reportId')) return { rows: [], headerError: `Unknown columns: ${unknown.join(', ') || '(none)'}; the header needs reportId and may use ${CSV_COLUMNS.join(', ')}.` }
  const rows: Array<Record<string, string> | null> = []
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!
    if (line.trim() === '') continue
    const rec = splitLine(line)
    if (!rec.ok || rec.fields.length !== names.length) {
      rows.push(null)
      continue
    }
    const o: Record<string, string> = {}
    names.forEach((name, k) => {
      const v = rec.fields[k]!.trim()
      if (v !== '') o[name] = v
    })
    rows.push(o)
  }
  return { rows, headerError: null }
}
