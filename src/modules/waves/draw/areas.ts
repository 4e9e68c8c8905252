import { getProvince, getRegency } from '../../regions/index.ts'

/** Whether `code` is a Kemendagri province (`13`) or regency (`13.06`) code: the `knownArea` for validateQuotas. */
export function isQuotaArea(code: string): boolean {
  if (/^\d{2}$/.test(code)) return getProvince(code) !== null
  if (/^\d{2}\.\d{2}$/.test(code)) return getRegency(code) !== null
  return false
}
