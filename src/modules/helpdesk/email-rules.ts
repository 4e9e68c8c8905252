/**
 * Which inbound e-mails the helpdesk must never answer: auto-replies, bulk mail, bounces and
 * our own messages coming back (a loop). RFC 3834 (Auto-Submitted) and the de-facto
 * Precedence and X-Autoreply headers. Pure.
 */

export type DropReason = 'auto_submitted' | 'precedence' | 'autoreply_header' | 'own_address' | 'bounce' | 'no_sender'

/** Header names lower-case; values as strings. */
export function whyDrop(headers: ReadonlyMap<string, string>, from: string | null, ownAddresses: readonly string[]): DropReason | null {
  if (!from) return 'no_sender'
  const sender = from.toLowerCase()
  if (ownAddresses.some((a) => a.toLowerCase() === sender)) return 'own_address'
  if (/^(mailer-daemon|postmaster)@/.test(sender)) return 'bounce'
  const auto = headers.get('auto-submitted')?.trim().toLowerCase()
  if (auto && auto !== 'no') return 'auto_submitted'
  const precedence = headers.get('precedence')?.trim().toLowerCase()
  if (precedence && ['bulk', 'auto_reply', 'junk', 'list'].includes(precedence)) return 'precedence'
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.get('x-auto-response-suppress')?.toLowerCase().includes('all')) return 'autoreply_header'
  return null
}

/** The address inside `Name <addr@host>`. */
export function bareAddress(s: string): string {
  const m = /<([^>]+)>/.exec(s)
  return (m ? m[1]! : s).trim().toLowerCase()
}

/** What the person wrote, without the quoted history below it. */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const out: string[] = []
  for (const line of lines) {
    if (/^(On|Pada) .+(wrote|menulis):\s*$/.test(line.trim()) || /^-{2,}\s*Original Message/i.test(line.trim())) break
    if (line.startsWith('>')) continue
    out.push(line)
  }
  return out.join('\n').trim()
}
