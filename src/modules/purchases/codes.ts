/** Voucher and redeem codes: Crockford base32 (no I, L, O, U), easy to read out and type. */
import crypto from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

function base32(n: number): string {
  const bytes = crypto.randomBytes(n)
  let out = ''
  for (const b of bytes) out += ALPHABET[b & 31]
  return out
}

/** A voucher: 'V' and 11 characters (55 bits), shown as VXXX-XXXX-XXXX. */
export function newVoucherCode(): string {
  return `V${base32(11)}`
}

/** A session's redeem code: 'R' and 7 characters, said aloud at the start of a session. */
export function newRedeemCode(): string {
  return `R${base32(7)}`
}

/** What a person typed, made comparable: upper case, no spaces or dashes, lookalikes mapped. */
export function normaliseCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
}

export function formatVoucher(code: string): string {
  return code.replace(/^(.{4})(.{4})(.{4})$/, '$1-$2-$3')
}
