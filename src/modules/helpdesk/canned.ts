/**
 * Canned responses with the person's data filled in: a template is a starting point the agent
 * edits, never a robot answer sent as it is. Pure.
 */
import type { Text } from '../../platform/i18n/index.ts'

export interface Canned {
  readonly key: string
  readonly title: Text
  readonly body: string
}

/** Bilingual bodies: the participant reads Indonesian first, English below. */
export const CANNED: readonly Canned[] = [
  {
    key: 'greeting',
    title: { id: 'Salam pembuka', en: 'Greeting' },
    body: 'Halo {name}, terima kasih sudah menghubungi Karya. Saya {agent} dan akan menangani pengaduan {tracking} sampai selesai.\n\nHello {name}, thank you for contacting Karya. I am {agent} and will handle complaint {tracking} until it is done.',
  },
  {
    key: 'certificate-review',
    title: { id: 'Sertifikat sedang diverifikasi', en: 'Certificate under verification' },
    body: 'Halo {name}, {situation}\nKami memantau prosesnya dan akan mengabari Anda di sini.\n\nHello {name}, we are following it and will tell you here.',
  },
  {
    key: 'ask-details',
    title: { id: 'Minta data tambahan', en: 'Ask for details' },
    body: 'Halo {name}, agar bisa kami periksa, mohon kirim foto layar pesan kesalahan yang Anda lihat dan tanggal kejadiannya dengan membalas pesan ini.\n\nHello {name}, so we can check, please send a screenshot of the error you saw and the date it happened by replying to this message.',
  },
  {
    key: 'resolved',
    title: { id: 'Selesai', en: 'Resolved' },
    body: 'Halo {name}, masalah pada pengaduan {tracking} sudah kami selesaikan. Bila masih ada yang belum beres, cukup balas pesan ini dan pengaduan dibuka lagi.\n\nHello {name}, the problem in complaint {tracking} is resolved. If anything is still wrong, just reply and the complaint reopens.',
  },
]

/** Fills `{name}`-style placeholders; an unknown placeholder stays visible so the agent sees it. */
export function fillCanned(body: string, values: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (m, k: string) => (values[k] !== undefined && values[k] !== '' ? values[k]! : m))
}
