/**
 * Regency codes that moved to a new province when it was split off. A NIK keeps the code it
 * was issued with for life, so people from these regencies still carry the old code
 * (Permendagri code lists before the splits; the current lists keep these numbers unused).
 * Kalimantan Utara split from Kalimantan Timur in 2012; Papua Selatan, Papua Tengah and
 * Papua Pegunungan from Papua, and Papua Barat Daya from Papua Barat, in 2022.
 * Splits before 2006 (Banten, Gorontalo, Sulawesi Barat, …) predate the NIK.
 */
export const FORMER_REGENCY_CODES: Readonly<Record<string, string>> = Object.freeze({
  '64.04': '65.01', // Bulungan
  '64.05': '65.02', // Malinau
  '64.06': '65.03', // Nunukan
  '64.10': '65.04', // Tana Tidung
  '64.73': '65.71', // Kota Tarakan
  '91.01': '93.01', // Merauke
  '91.16': '93.02', // Boven Digoel
  '91.17': '93.03', // Mappi
  '91.18': '93.04', // Asmat
  '91.04': '94.01', // Nabire
  '91.07': '94.02', // Puncak Jaya
  '91.08': '94.03', // Paniai
  '91.09': '94.04', // Mimika
  '91.25': '94.05', // Puncak
  '91.26': '94.06', // Dogiyai
  '91.27': '94.07', // Intan Jaya
  '91.28': '94.08', // Deiyai
  '91.02': '95.01', // Jayawijaya
  '91.12': '95.02', // Pegunungan Bintang
  '91.13': '95.03', // Yahukimo
  '91.14': '95.04', // Tolikara
  '91.21': '95.05', // Mamberamo Tengah
  '91.22': '95.06', // Yalimo
  '91.23': '95.07', // Lanny Jaya
  '91.24': '95.08', // Nduga
  '92.01': '96.01', // Sorong
  '92.04': '96.02', // Sorong Selatan
  '92.05': '96.03', // Raja Ampat
  '92.09': '96.04', // Tambrauw
  '92.10': '96.05', // Maybrat
  '92.71': '96.71', // Kota Sorong
})
