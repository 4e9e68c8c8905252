/**
 * One error type with a closed set of codes. Each code has its HTTP status and a message
 * in Bahasa Indonesia and English that tells the person what to do next.
 */
export type Locale = 'id' | 'en'

interface CodeSpec {
  readonly status: number
  readonly id: string
  readonly en: string
}

export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    id: 'Ada isian yang belum benar. Periksa kolom yang ditandai, perbaiki, lalu kirim lagi.',
    en: 'Some fields are not right yet. Check the marked fields, correct them and send again.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    id: 'Permintaan tidak bisa dibaca (format rusak). Muat ulang halaman lalu coba lagi.',
    en: 'The request could not be read (broken format). Reload the page and try again.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    id: 'Jenis isi permintaan tidak didukung. Kirim sebagai JSON atau formulir biasa.',
    en: 'This content type is not supported. Send JSON or a plain form.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    id: 'Kiriman terlalu besar. Perkecil berkas atau isian, lalu coba lagi.',
    en: 'What you sent is too large. Make the file or text smaller and try again.',
  },
  NOT_FOUND: {
    status: 404,
    id: 'Halaman atau data yang dicari tidak ada. Periksa alamatnya atau kembali ke beranda.',
    en: 'The page or record you asked for does not exist. Check the address or go back to the home page.',
  },
  UNAUTHENTICATED: {
    status: 401,
    id: 'Silakan masuk terlebih dahulu untuk membuka halaman ini.',
    en: 'Please log in first to open this page.',
  },
  FORBIDDEN: {
    status: 403,
    id: 'Akun Anda tidak berhak membuka halaman ini. Jika menurut Anda ini keliru, hubungi layanan pengaduan.',
    en: 'Your account may not open this page. If you think this is wrong, contact the helpdesk.',
  },
  CSRF_INVALID: {
    status: 403,
    id: 'Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman, isian Anda tetap ada, lalu kirim lagi.',
    en: 'The form has expired or is not valid. Reload the page (what you typed is kept) and send again.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    id: 'E-mail atau kata sandi salah. Periksa keduanya lalu coba lagi; jika tetap gagal, hubungi layanan pengaduan.',
    en: 'Wrong e-mail or password. Check both and try again; if it still fails, contact the helpdesk.',
  },
  ACCOUNT_FROZEN: {
    status: 403,
    id: 'Akun ini sedang dibekukan untuk pemeriksaan. Hubungi layanan pengaduan dengan nomor tiket Anda.',
    en: 'This account is frozen for review. Contact the helpdesk with your ticket number.',
  },
  CONFLICT: {
    status: 409,
    id: 'Data ini sudah ada atau baru saja diubah orang lain. Muat ulang untuk melihat yang terbaru.',
    en: 'This record already exists or was just changed by someone else. Reload to see the latest.',
  },
  WAITING_ROOM: {
    status: 429,
    id: 'Banyak orang sedang mendaftar. Anda sudah mendapat tempat dalam antrean; buka lagi /daftar setelah waktu yang tertera di Retry-After.',
    en: 'Many people are signing up. You have a place in the queue; open /daftar again after the time given in Retry-After.',
  },
  RATE_LIMITED: {
    status: 429,
    id: 'Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.',
    en: 'Too many attempts. Wait a moment and try again.',
  },
  ACCOUNT_PENDING: {
    status: 403,
    id: 'Akun Anda belum aktif. Selesaikan verifikasi e-mail dan nomor HP terlebih dahulu.',
    en: 'Your account is not active yet. Finish verifying your e-mail and phone number first.',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    id: 'Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Hubungi layanan pengaduan untuk membukanya.',
    en: 'The account is locked for now after too many failed log-in attempts. Contact the helpdesk to unlock it.',
  },
  EMAIL_TAKEN: {
    status: 409,
    id: 'E-mail ini sudah dipakai akun lain. Masuk dengan e-mail ini, atau pakai e-mail lain. Jika Anda tidak pernah mendaftar, klik tautan "Bukan saya" di e-mail verifikasi yang Anda terima.',
    en: 'This e-mail is already used by another account. Log in with it, or use another e-mail. If you never registered, use the "This was not me" link in the verification e-mail you received.',
  },
  PHONE_TAKEN: {
    status: 409,
    id: 'Nomor HP ini sudah dipakai akun lain. Masuk dengan akun itu, atau pakai nomor lain.',
    en: 'This phone number is already used by another account. Log in with that account, or use another number.',
  },
  CODE_INVALID: {
    status: 400,
    id: 'Kode salah. Periksa 6 angka di pesan terakhir yang kami kirim, lalu coba lagi.',
    en: 'Wrong code. Check the 6 digits in the latest message we sent, then try again.',
  },
  CODE_EXPIRED: {
    status: 400,
    id: 'Kode sudah kedaluwarsa atau sudah terlalu sering dicoba. Minta kode baru.',
    en: 'The code has expired or was tried too many times. Ask for a new code.',
  },
  CODE_LIMIT: {
    status: 429,
    id: 'Kode sudah diminta terlalu sering. Anda bisa meminta lagi setelah waktu yang tertera.',
    en: 'A code was requested too many times. You can ask again after the time shown.',
  },
  NIK_TAKEN: {
    status: 409,
    id: 'NIK ini sudah terdaftar di akun lain. Satu NIK hanya untuk satu akun. Jika itu akun Anda, masuk dengan akun itu; jika Anda tidak pernah mendaftar, hubungi layanan pengaduan dengan KTP Anda.',
    en: 'This NIK is already registered to another account. One NIK, one account. If it is yours, log in with it; if you never registered, contact the helpdesk with your ID card.',
  },
  STEP_ORDER: {
    status: 409,
    id: 'Isi langkah sebelumnya terlebih dahulu.',
    en: 'Fill in the previous step first.',
  },
  LINK_INVALID: {
    status: 400,
    id: 'Tautan ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa). Masuk ke akun Anda untuk meminta tautan baru.',
    en: 'This link is no longer valid (already used or expired). Log in to your account to ask for a new one.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    id: 'Layanan sedang tidak tersedia sementara. Data Anda aman; coba lagi beberapa menit lagi.',
    en: 'The service is temporarily unavailable. Your data is safe; try again in a few minutes.',
  },
  LEDGER_INVALID_AMOUNT: {
    status: 400,
    id: 'Jumlah uang harus bilangan bulat rupiah lebih dari nol. Periksa jumlahnya lalu kirim lagi.',
    en: 'The amount must be a whole number of rupiah above zero. Check the amount and send again.',
  },
  LEDGER_AMOUNT_TOO_LARGE: {
    status: 400,
    id: 'Jumlah uang terlalu besar untuk diproses. Periksa apakah ada angka nol yang berlebih.',
    en: 'The amount is too large to process. Check for extra zeros.',
  },
  LEDGER_CURRENCY: {
    status: 400,
    id: 'Hanya rupiah (IDR) yang diterima. Kirim ulang dalam rupiah.',
    en: 'Only rupiah (IDR) is accepted. Send again in rupiah.',
  },
  LEDGER_UNKNOWN_ACCOUNT: {
    status: 404,
    id: 'Rekening saldo tidak ditemukan. Periksa nomor rekening saldo; jika benar, hubungi layanan pengaduan.',
    en: 'The balance account was not found. Check the account number; if it is right, contact the helpdesk.',
  },
  LEDGER_SAME_ACCOUNT: {
    status: 400,
    id: 'Rekening asal dan tujuan sama. Pilih dua rekening yang berbeda.',
    en: 'The source and destination accounts are the same. Choose two different accounts.',
  },
  LEDGER_CODE_NOT_ALLOWED: {
    status: 400,
    id: 'Jenis transaksi ini tidak boleh dilakukan antara kedua rekening tersebut. Periksa jenis transaksi dan rekeningnya.',
    en: 'This kind of transaction is not allowed between these two accounts. Check the transaction kind and the accounts.',
  },
  LEDGER_INVALID_DEADLINE: {
    status: 400,
    id: 'Batas waktu penahanan saldo tidak sah: harus antara 1 detik dan 90 hari.',
    en: 'The hold deadline is not valid: it must be between 1 second and 90 days.',
  },
  LEDGER_INSUFFICIENT_FUNDS: {
    status: 409,
    id: 'Saldo tersedia tidak cukup. Lihat riwayat saldo Anda, pilih pelatihan yang lebih murah atau tunggu penahanan saldo selesai.',
    en: 'The available balance is not enough. See your balance history, choose a cheaper course or wait for held money to be released.',
  },
  LEDGER_IDEMPOTENCY_CONFLICT: {
    status: 409,
    id: 'Kunci idempotensi ini sudah dipakai untuk transaksi lain dengan isi berbeda. Gunakan kunci baru untuk transaksi baru.',
    en: 'This idempotency key was already used for a different transaction. Use a new key for a new transaction.',
  },
  LEDGER_UNKNOWN_HOLD: {
    status: 404,
    id: 'Penahanan saldo tidak ditemukan. Periksa nomornya.',
    en: 'The hold was not found. Check its number.',
  },
  LEDGER_POST_EXCEEDS_HOLD: {
    status: 409,
    id: 'Jumlah yang dibayarkan melebihi saldo yang ditahan. Bayarkan paling banyak sebesar yang ditahan.',
    en: 'The amount to post is more than was held. Post at most the held amount.',
  },
  LEDGER_HOLD_POSTED: {
    status: 409,
    id: 'Penahanan saldo ini sudah dibayarkan dan tidak bisa diubah lagi. Untuk mengembalikan uang, buat pengembalian dana (refund).',
    en: 'This hold was already posted and cannot change. To give money back, make a refund.',
  },
  LEDGER_HOLD_VOIDED: {
    status: 409,
    id: 'Penahanan saldo ini sudah dibatalkan dan saldonya sudah kembali. Buat penahanan baru bila perlu.',
    en: 'This hold was already voided and the money released. Make a new hold if needed.',
  },
  LEDGER_HOLD_EXPIRED: {
    status: 409,
    id: 'Penahanan saldo ini sudah kedaluwarsa dan saldonya kembali. Ulangi pembelian dari awal.',
    en: 'This hold has expired and the money was released. Start the purchase again.',
  },
  REVERIFICATION_DECIDED: {
    status: 409,
    id: 'Permintaan ini sudah diputuskan oleh petugas lain. Muat ulang antrean untuk melihat keputusannya.',
    en: 'This request was already decided by another agent. Reload the queue to see the decision.',
  },
  WAVE_FROZEN: {
    status: 409,
    id: 'Komitmen gelombang ini sudah diumumkan, jadi pengaturannya (jadwal, kuota, skema, kelompok prioritas) tidak bisa diubah lagi. Bila perlu, batalkan gelombang ini dan buat gelombang baru.',
    en: 'This wave\'s commitment is published, so its settings (dates, quotas, scheme, priority groups) can no longer change. If needed, cancel this wave and create a new one.',
  },
  WAVE_NO_COMMITMENT: {
    status: 409,
    id: 'Gelombang belum bisa dibuka: umumkan dulu komitmennya (hash benih undian) agar hasil undian bisa diperiksa semua orang.',
    en: 'The wave cannot open yet: publish its commitment (the hash of the draw seed) first, so everyone can check the draw.',
  },
  WAVE_WRONG_STATE: {
    status: 409,
    id: 'Langkah ini tidak bisa dilakukan pada status gelombang sekarang. Muat ulang halaman untuk melihat statusnya dan langkah yang tersedia.',
    en: 'This step is not possible in the wave\'s current status. Reload the page to see its status and the steps available.',
  },
  WAVE_DRAW_BEFORE_CLOSE: {
    status: 409,
    id: 'Undian hanya bisa dijalankan setelah pendaftaran gelombang ditutup. Tutup gelombang dulu, lalu jalankan undian.',
    en: 'The draw can only run after the wave\'s registration has closed. Close the wave first, then run the draw.',
  },
  WAVE_NOT_OPEN: {
    status: 409,
    id: 'Pendaftaran gelombang ini tidak sedang dibuka (sudah ditutup atau belum dibuka). Lihat jadwal gelombang berikutnya di halaman Gelombang.',
    en: 'Registration for this wave is not open (it has closed or not opened yet). See the next wave\'s dates on the Waves page.',
  },
  WAVE_ALREADY_JOINED: {
    status: 409,
    id: 'Anda sudah terdaftar di gelombang ini. Tidak perlu mendaftar lagi; hasilnya diumumkan setelah undian.',
    en: 'You have already joined this wave. No need to join again; the result is announced after the draw.',
  },
  WAVE_NOT_READY: {
    status: 409,
    id: 'Anda belum bisa ikut gelombang: lengkapi data diri dan tunggu sampai pemeriksaan data dinyatakan lolos. Lihat statusnya di Beranda.',
    en: 'You cannot join a wave yet: complete your details and wait until your checks have passed. See the status on your dashboard.',
  },
  INTERNAL: {
    status: 500,
    id: 'Terjadi kesalahan di sistem kami, bukan karena Anda. Coba lagi; jika berulang, sebutkan nomor permintaan ini ke layanan pengaduan.',
    en: 'Something went wrong on our side, not yours. Try again; if it repeats, give this request number to the helpdesk.',
  },
  CONSENT_REQUIRED: {
    status: 400,
    id: 'Persetujuan orang yang didaftarkan harus dicatat dulu; belum ada yang disimpan. Bacakan teks persetujuan, centang bila ia setuju, pilih caranya (lisan atau tanda tangan), lalu kirim lagi.',
    en: 'The consent of the person being registered must be recorded first; nothing has been saved. Read out the consent text, tick the box if they agree, choose how (spoken or signed), then send again.',
  },
  OFFICER_NO_REGION: {
    status: 403,
    id: 'Akun petugas Anda belum punya wilayah kerja, jadi belum bisa mendaftarkan orang. Minta admin PMO mengisi wilayah kerja Anda.',
    en: 'Your officer account has no work area yet, so it cannot register people. Ask a PMO admin to set your work area.',
  },
  REGION_OUTSIDE: {
    status: 400,
    id: 'Domisili orang ini di luar wilayah kerja Anda. Petugas hanya mendaftarkan warga yang tinggal di kabupaten/kota wilayah kerjanya: arahkan ia ke petugas wilayahnya, atau ia bisa mendaftar sendiri di /daftar.',
    en: 'This person lives outside your work area. Officers register only people living in their own regency or city: send them to their own area’s officer, or they can register themselves at /daftar.',
  },
  ASSISTED_ACTIVATED: {
    status: 409,
    id: 'Orang ini sudah mengaktifkan akunnya sendiri, jadi datanya kini miliknya dan hanya bisa diubah olehnya. Minta ia masuk ke akunnya untuk mengubah data.',
    en: 'This person has activated their own account, so their data is theirs now and only they can change it. Ask them to log in to their account to change it.',
  },
  ACTIVATION_FAILED: {
    status: 400,
    id: 'Nomor HP/nomor akun atau kode aktivasi salah, sudah dipakai, atau sudah kedaluwarsa. Periksa slip atau SMS Anda lalu coba lagi; bila tetap gagal, minta kode SMS baru atau datangi petugas pendaftaran untuk mencetak slip baru.',
    en: 'The phone number/account reference or the activation code is wrong, already used, or expired. Check your slip or SMS and try again; if it still fails, ask for a new SMS code or visit a registration officer for a new slip.',
  },
  PARTNER_SIGNATURE_MISSING: {
    status: 401,
    id: 'Panggilan mitra harus ditandatangani: kirim header X-Karya-Client, X-Karya-Timestamp, X-Karya-Nonce dan X-Karya-Signature (lihat /api/docs).',
    en: 'Partner calls must be signed: send the X-Karya-Client, X-Karya-Timestamp, X-Karya-Nonce and X-Karya-Signature headers (see /api/docs).',
  },
  PARTNER_SIGNATURE_INVALID: {
    status: 401,
    id: 'Tanda tangan panggilan tidak cocok. Periksa kode klien, kunci rahasia (yang sudah diganti tidak berlaku lagi) dan teks kanonis yang ditandatangani.',
    en: 'The call’s signature does not match. Check the client code, the secret key (a rotated-out one no longer works) and the canonical text you signed.',
  },
  PARTNER_TIMESTAMP_OUT_OF_WINDOW: {
    status: 401,
    id: 'Waktu pada panggilan berbeda lebih dari 5 menit dari jam server. Setel jam server Anda (NTP) lalu tanda tangani ulang.',
    en: 'The call’s timestamp is more than 5 minutes from the server clock. Set your server clock (NTP) and sign again.',
  },
  PARTNER_NONCE_REUSED: {
    status: 409,
    id: 'Nonce ini sudah pernah dipakai: panggilan ulang ditolak. Kirim dengan nonce baru.',
    en: 'This nonce was already used: a replayed call is refused. Send it with a new nonce.',
  },
  PARTNER_LEGACY_NOT_ALLOWED: {
    status: 401,
    id: 'Skema tanda tangan lama (HMAC-SHA1) tidak diaktifkan untuk mitra ini. Gunakan skema v1 atau minta PMO mengaktifkannya.',
    en: 'The legacy signature scheme (HMAC-SHA1) is not enabled for this partner. Use scheme v1 or ask PMO to enable it.',
  },
  PARTNER_SUSPENDED: {
    status: 403,
    id: 'Kemitraan ini sedang ditangguhkan. Hubungi PMO Karya.',
    en: 'This partnership is suspended. Contact the Karya PMO.',
  },
  DRAW_SEED_MISMATCH: {
    status: 500,
    id: 'Undian dihentikan: benih rahasia yang tersimpan tidak cocok dengan komitmen yang diumumkan, jadi hasilnya tidak akan bisa diperiksa. Tidak ada yang diubah; laporkan ke tim teknis.',
    en: 'The draw was stopped: the sealed seed does not match the published commitment, so its result could not be verified. Nothing was changed; report it to the technical team.',
  },
  COURSE_REJECTED: {
    status: 409,
    id: 'Kursus ini sudah ditolak PMO dan tidak bisa dikirim ulang dengan kode yang sama. Baca alasannya, lalu ajukan sebagai kursus baru dengan kode lain.',
    en: 'This course was rejected by the PMO and cannot be resubmitted under the same id. Read the reason, then submit it as a new course with another id.',
  },
  COURSE_NOT_UNDER_REVIEW: {
    status: 409,
    id: 'Kursus ini tidak sedang menunggu keputusan, atau LP sudah mengirim versi baru. Muat ulang halaman dan tinjau versi terbaru.',
    en: 'This course is not waiting for a decision, or the provider sent a newer version. Reload the page and review the newest version.',
  },
  PURCHASE_ORDER_REUSED: {
    status: 409,
    id: 'Nomor pesanan ini sudah dipakai untuk pembelian lain (kartu, kursus atau sesi berbeda). Buat nomor pesanan baru.',
    en: 'This order number was already used for another purchase (different card, course or session). Use a new order number.',
  },
  CARD_UNKNOWN: {
    status: 404,
    id: 'Nomor kartu Prakerja tidak dikenal. Periksa 16 digit nomor kartu di halaman Kartu saya di Karya, lalu coba lagi.',
    en: 'Unknown card number. Check the 16 digits on the My card page in Karya, then try again.',
  },
  CARD_NOT_ACTIVE: {
    status: 409,
    id: 'Kartu ini tidak aktif lagi (dicabut atau sudah selesai), jadi tidak bisa dipakai membeli. Lihat alasannya di kotak masuk Karya.',
    en: 'This card is no longer active (revoked or finished), so it cannot buy courses. See the reason in your Karya inbox.',
  },
  CARD_DEADLINE_PASSED: {
    status: 409,
    id: 'Batas waktu pembelian pelatihan pertama sudah lewat, sehingga kartu akan dicabut. Lihat pesan di kotak masuk Karya.',
    en: 'The deadline for the first course purchase has passed, so the card will be revoked. See the message in your Karya inbox.',
  },
  COURSE_NOT_SOLD_HERE: {
    status: 404,
    id: 'Paket pelatihan tidak ditemukan di platform ini. Cari ulang di katalog; pelatihan mungkin dijual di platform lain.',
    en: 'Course package not found on this platform. Search the catalogue again; the course may be sold on another platform.',
  },
  COURSE_WITHDRAWN: {
    status: 409,
    id: 'Pelatihan ini baru saja ditarik dari penjualan. Saldo Anda tidak terpotong; pilih pelatihan lain.',
    en: 'This course was just withdrawn from sale. Your balance was not charged; choose another course.',
  },
  SESSION_NOT_AVAILABLE: {
    status: 409,
    id: 'Jadwal sesi ini tidak tersedia (sudah lewat, dibatalkan, atau bukan milik pelatihan ini). Pilih jadwal lain.',
    en: 'This session is not available (past, cancelled, or not of this course). Choose another session.',
  },
  COURSE_FULL: {
    status: 409,
    id: 'Kursi untuk sesi ini sudah penuh. Saldo Anda tidak terpotong; pilih jadwal lain.',
    en: 'This session is full. Your balance was not charged; choose another session.',
  },
  ALREADY_BOUGHT: {
    status: 409,
    id: 'Anda sudah membeli pelatihan ini. Pelatihan yang sudah dibeli tidak bisa dibeli lagi atau ditukar.',
    en: 'You already bought this course. A bought course cannot be bought again or swapped.',
  },
  PURCHASE_INSUFFICIENT_BALANCE: {
    status: 409,
    id: 'Saldo pelatihan tidak cukup untuk harga ini. Lihat saldo Anda di Karya dan pilih pelatihan yang terjangkau.',
    en: 'Your training balance does not cover this price. Check your balance in Karya and choose a course within it.',
  },
  PLATFORM_ACCOUNT_OTHER_CARD: {
    status: 409,
    id: 'Akun platform ini sudah terhubung dengan kartu Prakerja lain (satu akun platform hanya untuk satu kartu). Masuk dengan akun platform Anda sendiri.',
    en: 'This platform account is already linked to another card (one platform account per card). Log in with your own platform account.',
  },
  PURCHASE_OTP_INVALID: {
    status: 400,
    id: 'Kode OTP salah. Periksa SMS atau kotak masuk Karya dan ketik 6 angkanya lagi.',
    en: 'Wrong one-time code. Check the SMS or your Karya inbox and type the 6 digits again.',
  },
  PURCHASE_OTP_EXPIRED: {
    status: 410,
    id: 'Kode OTP sudah kedaluwarsa atau terlalu sering salah. Mulai pembelian lagi untuk mendapat kode baru.',
    en: 'The one-time code expired or was mistyped too often. Start the purchase again for a new code.',
  },
  PURCHASE_STATE: {
    status: 409,
    id: 'Langkah ini tidak sesuai dengan keadaan pembelian (mis. konfirmasi sebelum OTP). Lihat status pembelian dan ulangi dari langkah yang benar.',
    en: 'This step does not fit the purchase state (e.g. confirming before the code). Check the purchase status and repeat from the right step.',
  },
  PURCHASE_HOLD_EXPIRED: {
    status: 410,
    id: 'Waktu konfirmasi pembayaran sudah habis; kursi dan saldo sudah dikembalikan. Mulai pembelian lagi.',
    en: 'The time to confirm the payment ran out; the seat and the balance were released. Start the purchase again.',
  },
  PURCHASE_ALREADY_CONFIRMED: {
    status: 409,
    id: 'Pembelian ini sudah dikonfirmasi sebelumnya; saldo tidak dipotong dua kali. Voucher ada di halaman Pelatihan saya.',
    en: 'This purchase was already confirmed; the balance is not charged twice. The voucher is on the My courses page.',
  },
  PURCHASE_WAITING_FOR_PREVIOUS: {
    status: 409,
    id: 'Pelatihan ini baru bisa dimulai setelah pelatihan Anda sebelumnya selesai. Selesaikan pelatihan itu dulu.',
    en: 'This course can start only after your previous course is completed. Finish that one first.',
  },
  REDEEM_NOT_FOUND: {
    status: 404,
    id: 'Kode redeem atau voucher tidak ditemukan. Periksa huruf dan angkanya di halaman Pelatihan saya.',
    en: 'Redeem code or voucher not found. Check the letters and digits on the My courses page.',
  },
  REDEEM_WRONG_COURSE_TYPE: {
    status: 409,
    id: 'Jenis kode tidak sesuai jenis pelatihan (voucher pelatihan mandiri bukan kode sesi). Gunakan kode yang tertera untuk sesi ini.',
    en: 'The code does not fit the course type (a self-paced voucher is not a session code). Use the code shown for this session.',
  },
  REDEEM_OTHER_PROVIDER: {
    status: 403,
    id: 'Kode ini milik lembaga pelatihan lain. Tukarkan di lembaga tempat pelatihan dibeli.',
    en: 'This code belongs to another training provider. Redeem it at the provider whose course was bought.',
  },
  REDEEM_CANCELLED: {
    status: 410,
    id: 'Kode ini sudah dibatalkan (pembelian dikembalikan atau sesi dibatalkan). Lihat halaman Pelatihan saya.',
    en: 'This code was cancelled (the purchase was refunded or the session cancelled). See the My courses page.',
  },
  REDEEM_ALREADY_USED: {
    status: 409,
    id: 'Kode ini sudah dipakai. Setiap kode hanya berlaku satu kali.',
    en: 'This code was already used. Each code works once.',
  },
  REDEEM_OUTSIDE_WINDOW: {
    status: 409,
    id: 'Kode redeem hanya berlaku mulai 1 jam sebelum sampai 1 jam sesudah sesi dimulai. Gunakan pada waktu itu.',
    en: 'A redeem code works only from 1 hour before to 1 hour after the session starts. Use it then.',
  },
  COMPLETION_REVIEW_DECIDED: {
    status: 409,
    id: 'Laporan penyelesaian ini sudah diputuskan. Muat ulang antrean untuk melihat keputusannya.',
    en: 'This completion report has already been decided. Reload the queue to see the decision.',
  },
  COURSE_NOT_COMPLETED: {
    status: 409,
    id: 'Pelatihan ini belum selesai diverifikasi. Ulasan bisa diberikan setelah sertifikat terbit.',
    en: 'This course is not verified as completed yet. You can review it once the certificate is issued.',
  },
  COURSE_ALREADY_RATED: {
    status: 409,
    id: 'Anda sudah memberi ulasan untuk pelatihan ini. Terima kasih!',
    en: 'You have already reviewed this course. Thank you!',
  },
  SURVEY_ALREADY_ANSWERED: {
    status: 409,
    id: 'Anda sudah mengisi survei ini untuk pelatihan ini; jawaban tidak bisa diubah. Terima kasih!',
    en: 'You have already answered this survey for this course; answers cannot be changed. Thank you!',
  },
  REPORT_RANGE_INVALID: {
    status: 400,
    id: 'Filter laporan belum benar (misalnya tanggal akhir sebelum tanggal awal, atau rentang lebih dari 3 tahun). Perbaiki filternya lalu coba lagi.',
    en: 'The report filters are not right (for example the end date is before the start, or the range is over 3 years). Correct the filters and try again.',
  },
  REPORT_REGION_FORBIDDEN: {
    status: 403,
    id: 'Akun Anda hanya boleh melihat data wilayah Anda sendiri. Hapus filter wilayah lain atau minta akses ke PMO.',
    en: 'Your account may see only its own region\'s data. Remove the other region from the filters or ask PMO for access.',
  },
  TICKET_NOT_FOUND: {
    status: 404,
    id: 'Tidak ada pengaduan dengan nomor ini (dan kontak ini). Periksa nomor KRY-… di e-mail atau SMS dari kami, atau buat pengaduan baru di /pengaduan.',
    en: 'No complaint with this number (and this contact). Check the KRY-… number in our e-mail or SMS, or raise a new complaint at /pengaduan.',
  },
  TICKET_NOT_YOURS: {
    status: 403,
    id: 'Pengaduan ini milik orang lain, jadi isinya tidak bisa ditampilkan. Untuk urusan Anda sendiri, buat pengaduan baru dari akun Anda.',
    en: 'This complaint belongs to someone else, so it cannot be shown. For your own matter, raise a new complaint from your account.',
  },
  TICKET_STATE: {
    status: 409,
    id: 'Langkah ini tidak sesuai dengan status pengaduan saat ini. Muat ulang untuk melihat status terbaru.',
    en: 'This step does not fit the complaint’s current state. Reload to see the latest state.',
  },
  TICKET_ALREADY_RATED: {
    status: 409,
    id: 'Anda sudah menilai layanan untuk pengaduan ini. Terima kasih!',
    en: 'You have already rated the service for this complaint. Thank you!',
  },
  INCENTIVE_PROFILE_INCOMPLETE: {
    status: 409,
    id: 'Lengkapi profil (NIK dan nama sesuai KTP) dulu; rekening dicocokkan dengan data itu.',
    en: 'Complete your profile (NIK and name as on your KTP) first; the account is matched against it.',
  },
  INCENTIVE_PARTNER_UNAVAILABLE: {
    status: 503,
    id: 'Bank atau dompet digital sedang tidak menjawab. Coba lagi beberapa menit lagi; tidak ada yang berubah.',
    en: 'The bank or e-wallet is not answering. Try again in a few minutes; nothing was changed.',
  },
  INCENTIVE_ACCOUNT_NOT_FOUND: {
    status: 404,
    id: 'Nomor rekening atau akun tidak ditemukan di bank/dompet digital ini. Periksa nomornya dan pilihan banknya.',
    en: 'This account number was not found at this bank or e-wallet. Check the number and the chosen partner.',
  },
  INCENTIVE_ACCOUNT_CLOSED: {
    status: 409,
    id: 'Rekening ini sudah ditutup. Daftarkan rekening atau dompet digital lain yang masih aktif.',
    en: 'This account is closed. Link another account or e-wallet that is still open.',
  },
  INCENTIVE_ACCOUNT_NOT_YOURS: {
    status: 409,
    id: 'Rekening ini bukan atas NIK dan nama Anda. Insentif hanya dibayar ke rekening milik Anda sendiri.',
    en: 'This account is not in your NIK and name. The incentive is paid only to an account of your own.',
  },
  INCENTIVE_WALLET_NOT_KYC: {
    status: 409,
    id: 'Dompet digital ini belum terverifikasi (KYC/premium). Selesaikan verifikasi di aplikasinya, lalu coba lagi.',
    en: 'This e-wallet is not verified (KYC/premium). Complete the verification in its app, then try again.',
  },
  INCENTIVE_WALLET_OTHER_PHONE: {
    status: 409,
    id: 'Dompet digital harus memakai nomor ponsel yang terdaftar di Karya. Pakai dompet dengan nomor itu, atau ubah nomor di Karya dulu.',
    en: 'The e-wallet must be on the phone number registered in Karya. Use a wallet on that number, or change the number in Karya first.',
  },
  INCENTIVE_OTP_INVALID: {
    status: 400,
    id: 'Kode SMS salah. Periksa SMS dan ketik 6 angkanya lagi (paling banyak 3 kali).',
    en: 'Wrong SMS code. Check the SMS and type the 6 digits again (3 tries at most).',
  },
  INCENTIVE_OTP_REFUSED: {
    status: 410,
    id: 'Kode sudah kedaluwarsa atau salah 3 kali; rekening tidak ditautkan. Mulai lagi untuk mendapat kode baru.',
    en: 'The code expired or was wrong 3 times; the account was not linked. Start again for a new code.',
  },
  PAYMENT_CALLBACK_SIGNATURE: {
    status: 401,
    id: 'Tanda tangan callback tidak sah atau waktunya di luar 5 menit.',
    en: 'The callback signature is not valid or its time is more than 5 minutes off.',
  },
  PAYMENT_CALLBACK_UNKNOWN: {
    status: 404,
    id: 'Pembayaran dengan kunci ini tidak dikenal Karya. Periksa kunci idempotensinya.',
    en: 'Karya knows no payout with this key. Check the idempotency key.',
  },
  REPAYMENT_CLAIM_OPEN: {
    status: 409,
    id: 'Peserta ini sudah punya tagihan pengembalian yang terbuka.',
    en: 'This participant already has an open repayment claim.',
  },
} as const satisfies Record<string, CodeSpec>

export type ErrorCode = keyof typeof ERROR_CODES

/** A field-level problem, shown next to the field and in the error summary. */
export interface FieldError {
  readonly field: string
  readonly id: string
  readonly en: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly fields: readonly FieldError[]
  readonly headers: Readonly<Record<string, string>>

  constructor(
    code: ErrorCode,
    opts: { fields?: FieldError[]; cause?: unknown; detail?: string; headers?: Record<string, string> } = {},
  ) {
    super(opts.detail ?? code, { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.fields = opts.fields ?? []
    this.headers = opts.headers ?? {}
  }
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_CODES[code][locale]
}

/** PostgreSQL unique violation (from pg or PGlite). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505'
}
