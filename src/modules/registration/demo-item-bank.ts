/** A starter item bank for the demo and for a new programme office to edit: plain, practical questions. */
import type { ItemKind, ItemOption } from './online-test.tables.ts'

export interface BankItem {
  code: string
  kind: ItemKind
  promptId: string
  promptEn: string
  options: ItemOption[]
  correctOption: number | null
}

const agree: ItemOption[] = [
  { id: 'Sangat tidak setuju', en: 'Strongly disagree', weight: 0 },
  { id: 'Tidak setuju', en: 'Disagree', weight: 1 },
  { id: 'Setuju', en: 'Agree', weight: 2 },
  { id: 'Sangat setuju', en: 'Strongly agree', weight: 3 },
]
const opts = (pairs: Array<[string, string]>): ItemOption[] => pairs.map(([id, en]) => ({ id, en }))

export const DEMO_ITEM_BANK: readonly BankItem[] = [
  { code: 'M01', kind: 'motivation', promptId: 'Saya akan menyelesaikan pelatihan walaupun jadwalnya padat.', promptEn: 'I will finish the training even if my schedule is busy.', options: agree, correctOption: null },
  { code: 'M02', kind: 'motivation', promptId: 'Saya ingin memakai keterampilan baru untuk pekerjaan atau usaha saya.', promptEn: 'I want to use new skills for my job or business.', options: agree, correctOption: null },
  { code: 'M03', kind: 'motivation', promptId: 'Saya mencari sendiri cara belajar bila ada yang belum saya pahami.', promptEn: 'I look for ways to learn when I do not understand something.', options: agree, correctOption: null },
  { code: 'M04', kind: 'motivation', promptId: 'Saya sudah tahu keterampilan apa yang ingin saya pelajari.', promptEn: 'I already know which skill I want to learn.', options: agree, correctOption: null },
  { code: 'N01', kind: 'numeracy', promptId: 'Harga pakan Rp 7.500 per kg. Berapa harga 4 kg?', promptEn: 'Feed costs Rp 7,500 per kg. What do 4 kg cost?', options: opts([['Rp 28.000', 'Rp 28,000'], ['Rp 30.000', 'Rp 30,000'], ['Rp 32.500', 'Rp 32,500'], ['Rp 35.000', 'Rp 35,000']]), correctOption: 1 },
  { code: 'N02', kind: 'numeracy', promptId: 'Saldo pelatihan Rp 3.500.000. Setelah membeli pelatihan Rp 1.250.000, berapa sisanya?', promptEn: 'The training balance is Rp 3,500,000. After a Rp 1,250,000 course, what is left?', options: opts([['Rp 2.150.000', 'Rp 2,150,000'], ['Rp 2.250.000', 'Rp 2,250,000'], ['Rp 2.350.000', 'Rp 2,350,000'], ['Rp 2.500.000', 'Rp 2,500,000']]), correctOption: 1 },
  { code: 'N03', kind: 'numeracy', promptId: 'Pelatihan 15 jam dibagi rata dalam 5 hari. Berapa jam per hari?', promptEn: 'A 15-hour course is spread evenly over 5 days. How many hours a day?', options: opts([['2', '2'], ['3', '3'], ['4', '4'], ['5', '5']]), correctOption: 1 },
  { code: 'N04', kind: 'numeracy', promptId: 'Dari 20 ekor ayam, 25% dijual. Berapa ekor yang dijual?', promptEn: 'Of 20 chickens, 25% are sold. How many are sold?', options: opts([['4', '4'], ['5', '5'], ['6', '6'], ['8', '8']]), correctOption: 1 },
  { code: 'L01', kind: 'literacy', promptId: '"Kode voucher berlaku 1 jam sebelum sampai 1 jam sesudah sesi dimulai." Sesi mulai pukul 10.00. Kapan kode tidak berlaku lagi?', promptEn: '"The code is valid from 1 hour before to 1 hour after the session starts." The session starts at 10:00. When does the code stop working?', options: opts([['09.00', '09:00'], ['10.00', '10:00'], ['11.00', '11:00'], ['12.00', '12:00']]), correctOption: 2 },
  { code: 'L02', kind: 'literacy', promptId: '"Insentif dibayar setelah sertifikat terbit dan ulasan diberikan." Apa yang harus dilakukan setelah sertifikat terbit?', promptEn: '"The incentive is paid after the certificate is issued and a review is given." What must be done after the certificate is issued?', options: opts([['Membeli pelatihan lagi', 'Buy another course'], ['Memberi ulasan', 'Give a review'], ['Mengganti e-mail', 'Change e-mail'], ['Tidak ada', 'Nothing']]), correctOption: 1 },
  { code: 'L03', kind: 'literacy', promptId: '"Jangan berikan kode OTP kepada siapa pun, termasuk petugas." Seorang petugas menelepon dan meminta kode Anda. Apa yang Anda lakukan?', promptEn: '"Never give the OTP code to anyone, including staff." Someone claiming to be staff calls and asks for your code. What do you do?', options: opts([['Memberikan kodenya', 'Give the code'], ['Menolak dan melapor ke layanan pengaduan', 'Refuse and report to the helpdesk'], ['Memberikan separuh kode', 'Give half of the code'], ['Mengirim lewat SMS', 'Send it by SMS']]), correctOption: 1 },
  { code: 'L04', kind: 'literacy', promptId: '"Pembelian pertama harus dilakukan paling lambat 30 hari setelah kartu diterima." Kartu diterima 1 Maret. Batas terakhir pembelian?', promptEn: '"The first purchase must be made within 30 days of receiving the card." The card arrived on 1 March. What is the last day?', options: opts([['30 Maret', '30 March'], ['31 Maret', '31 March'], ['1 April', '1 April'], ['15 Maret', '15 March']]), correctOption: 1 },
]
