/**
 * What PMO types into the wave form, checked (pure): code, name, the registration window in
 * WIB, the national quota, the area quotas ("13.06=500" a line) and the scheme.
 */
import type { FieldError } from '../../platform/errors.ts'
import { getProvince, getRegency } from '../regions/index.ts'
import { validateQuotas } from './draw/quotas.ts'
import { parseScheme, type SchemeForm } from './scheme.ts'
import type { WaveConfig } from './waves.repository.ts'

export interface WaveForm extends Partial<SchemeForm> {
  code: string
  name: string
  opensAt: string
  closesAt: string
  nationalQuota: string
  quotas: string
}

export interface AreaQuota {
  areaCode: string
  quota: number
}

export interface ParsedWave extends WaveConfig {
  areas: AreaQuota[]
}

/** A province ('13') or regency ('13.06') code Kemendagri knows. */
export function knownArea(code: string): boolean {
  if (/^\d{2}$/.test(code)) return getProvince(code) !== null
  if (/^\d{2}\.\d{2}$/.test(code)) return getRegency(code) !== null
  return false
}

/** `2026-12-01T08:00` typed in WIB (UTC+7, no daylight saving) → the instant. */
export function parseWib(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value.trim())) return null
  const d = new Date(`${value.trim()}:00+07:00`)
  return Number.isNaN(d.getTime()) ? null : d
}

/** The instant as `YYYY-MM-DDTHH:MM` in WIB, for a datetime-local field. */
export function toWibInput(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16)
}

/** "13.06=500" or "13.06 500" or "13.06;500" a line; blank lines and "#" comments ignored. */
export function parseQuotaLines(text: string): { areas: AreaQuota[]; fields: FieldError[] } {
  const areas: AreaQuota[] = []
  const fields: FieldError[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/#.*/, '').trim()
    if (t === '') return
    const m = /^([0-9.]+)\s*[=;,:\s]\s*([0-9.]+)$/.exec(t)
    if (!m) {
      fields.push({ field: 'quotas', id: `Baris ${i + 1} ("${t}") harus berbentuk kode=kuota, contoh 13.06=500.`, en: `Line ${i + 1} ("${t}") must read code=quota, e.g. 13.06=500.` })
      return
    }
    areas.push({ areaCode: m[1]!, quota: /^\d+$/.test(m[2]!) ? Number(m[2]) : NaN })
  })
  return { areas, fields }
}

export function quotaLines(areas: ReadonlyArray<{ area_code: string; quota: number }>): string {
  return areas.map((a) => `${a.area_code}=${a.quota}`).join('\n')
}

export function parseWaveForm(f: WaveForm): { ok: true; wave: ParsedWave } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = []
  const code = f.code.trim().toUpperCase()
  if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(code)) {
    fields.push({ field: 'code', id: 'Kode gelombang: 2–32 huruf, angka atau tanda -, contoh G2023-01.', en: 'Wave code: 2–32 letters, digits or -, e.g. G2023-01.' })
  }
  const name = f.name.trim().replace(/\s+/g, ' ')
  if (name.length < 3 || name.length > 120) fields.push({ field: 'name', id: 'Nama gelombang 3–120 karakter.', en: 'Wave name: 3–120 characters.' })
  const opensAt = parseWib(f.opensAt)
  const closesAt = parseWib(f.closesAt)
  if (!opensAt) fields.push({ field: 'opensAt', id: 'Isi waktu buka (WIB), contoh 2026-12-01T08:00.', en: 'Enter the opening time (WIB), e.g. 2026-12-01T08:00.' })
  if (!closesAt) fields.push({ field: 'closesAt', id: 'Isi waktu tutup (WIB), contoh 2026-12-08T23:59.', en: 'Enter the closing time (WIB), e.g. 2026-12-08T23:59.' })
  else if (opensAt && closesAt <= opensAt) fields.push({ field: 'closesAt', id: 'Waktu tutup harus sesudah waktu buka.', en: 'The closing time must be after the opening time.' })
  const nationalRaw = f.nationalQuota.replace(/[.\s]/g, '')
  const national = /^\d+$/.test(nationalRaw) ? Number(nationalRaw) : NaN
  if (!Number.isSafeInteger(national) || national < 0 || national > 100_000_000) {
    fields.push({ field: 'nationalQuota', id: 'Kuota nasional: bilangan bulat 0 atau lebih.', en: 'National quota: a whole number, 0 or more.' })
  }
  const { areas, fields: lineProblems } = parseQuotaLines(f.quotas)
  fields.push(...lineProblems)
  if (Number.isSafeInteger(national)) {
    for (const p of validateQuotas({ national, areas }, knownArea)) fields.push({ field: p.code === 'sum_exceeds_national' ? 'nationalQuota' : 'quotas', id: p.id, en: p.en })
  }
  const scheme = parseScheme(f)
  if (!scheme.ok) fields.push(...scheme.fields)
  if (fields.length > 0 || !scheme.ok || !opensAt || !closesAt) return { ok: false, fields }
  return { ok: true, wave: { code, name, opensAt, closesAt, nationalQuota: national, scheme: scheme.scheme, areas } }
}

/** NIKs for a priority group: one a line, or comma/semicolon separated (a CSV column works). */
export function parseNikList(text: string): { niks: string[]; bad: string[] } {
  const niks = new Set<string>()
  const bad: string[] = []
  for (const token of text.split(/[\r\n,;\t]+/)) {
    const t = token.trim().replace(/^"|"$/g, '').replace(/[\s.-]/g, '')
    if (t === '' || /^nik$/i.test(t)) continue
    if (/^\d{16}$/.test(t)) niks.add(t)
    else bad.push(token.trim())
  }
  return { niks: [...niks], bad }
}
