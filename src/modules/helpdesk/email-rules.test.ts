import { describe, expect, it } from 'vitest'
import { bareAddress, stripQuoted, whyDrop } from './email-rules.ts'

const own = ['pengaduan@karya.localhost', 'no-reply@karya.localhost']
const h = (o: Record<string, string>) => new Map(Object.entries(o))

describe('inbound e-mail rules', () => {
  it('drops auto-replies, bulk mail, bounces and our own messages', () => {
    expect(whyDrop(h({ 'auto-submitted': 'auto-replied' }), 'a@b.test', own)).toBe('auto_submitted')
    expect(whyDrop(h({ precedence: 'bulk' }), 'a@b.test', own)).toBe('precedence')
    expect(whyDrop(h({ precedence: 'auto_reply' }), 'a@b.test', own)).toBe('precedence')
    expect(whyDrop(h({ 'x-autoreply': 'yes' }), 'a@b.test', own)).toBe('autoreply_header')
    expect(whyDrop(h({}), 'NO-REPLY@karya.localhost', own)).toBe('own_address')
    expect(whyDrop(h({}), 'MAILER-DAEMON@mx.test', own)).toBe('bounce')
    expect(whyDrop(h({}), null, own)).toBe('no_sender')
  })

  it('keeps what a person wrote', () => {
    expect(whyDrop(h({ 'auto-submitted': 'no', precedence: 'first-class' }), 'a@b.test', own)).toBeNull()
    expect(bareAddress('Budi <Budi@Contoh.test>')).toBe('budi@contoh.test')
    expect(stripQuoted('Sudah saya coba lagi.\n\nPada 1 Des 2026 Karya menulis:\n> Halo Budi')).toBe('Sudah saya coba lagi.')
    expect(stripQuoted('a\n> quoted\nb')).toBe('a\nb')
  })
})
