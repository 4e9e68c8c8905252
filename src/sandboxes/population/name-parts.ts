/**
 * Name parts for synthetic people, upper case as Dukcapil stores names. Grouped by naming
 * tradition, because traditions differ in what a name is made of: many Javanese have one
 * name, Batak carry a marga, Balinese a birth-order name, eastern Christians a family name.
 */
export const JAVANESE = {
  maleSingle: ['SUTRISNO', 'SUPARMAN', 'SUGIYANTO', 'SLAMET', 'SUKARDI', 'SUBAGYO', 'SUWARNO', 'PAIMIN', 'SUMARNO', 'SUPRAPTO', 'MULYADI', 'TUKIMAN', 'KASIMAN', 'SUYATNO', 'PARJO', 'WAGIMAN'],
  maleFirst: ['AGUS', 'BUDI', 'EKO', 'DWI', 'TRI', 'JOKO', 'BAMBANG', 'HERU', 'BAYU', 'ARIF', 'DIDIK', 'HARI', 'ANTON', 'WAHYU', 'YUDI', 'SRI'],
  maleLast: ['SETIAWAN', 'SANTOSO', 'PRASETYO', 'WIBOWO', 'NUGROHO', 'SUSANTO', 'HARYANTO', 'KURNIAWAN', 'PURNOMO', 'HIDAYAT', 'SAPUTRO', 'WIJAYA', 'SUPRIYANTO', 'SETIYONO', 'RAHARJO'],
  femaleSingle: ['SUPARMI', 'SUMARNI', 'SUTINAH', 'PARIYEM', 'SUMIATI', 'WAGIYEM', 'TUMINAH', 'SUKINAH', 'WARSINI', 'SUPRIYATI', 'PONIRAH', 'SAMINAH'],
  femaleFirst: ['SRI', 'SITI', 'ENDANG', 'TITIK', 'DEWI', 'RINI', 'YULI', 'NINIK', 'WAHYU', 'EKA', 'DWI', 'TRI', 'ENDAH'],
  femaleLast: ['WAHYUNI', 'LESTARI', 'RAHAYU', 'HANDAYANI', 'SUSANTI', 'MULYANI', 'PURWANTI', 'ASTUTI', 'WIDAYATI', 'NINGSIH', 'SETYOWATI', 'SULISTYOWATI'],
} as const

export const SUNDANESE = {
  maleFirst: ['ASEP', 'UJANG', 'CECEP', 'DEDE', 'DADANG', 'AGUS', 'ENDANG', 'JAJANG', 'IWAN', 'YAYAT', 'AEP', 'DEDI', 'UDIN', 'ENTIS', 'OMAN'],
  maleLast: ['SAEPUDIN', 'SUPRIATNA', 'HIDAYAT', 'SOPIAN', 'RUSMANA', 'KURNIA', 'SUHENDAR', 'MULYANA', 'PERMANA', 'SETIAWAN', 'SOBARI', 'ROHMAT', 'NURDIN'],
  femaleFirst: ['EUIS', 'IIS', 'NENENG', 'ENTIN', 'IMAS', 'YANTI', 'NENG', 'TITIN', 'ELIS', 'LILIS', 'ENOK', 'NINING', 'CUCU'],
  femaleLast: ['SUMIATI', 'KARTIKA', 'NURHAYATI', 'ROHAYATI', 'MARLINA', 'KOMALASARI', 'SULASTRI', 'RAHMAWATI', 'NURJANAH', 'HERLINA', 'JUBAEDAH'],
} as const

/** Names given across Java and Sumatra to children born from the late 1990s. */
export const MODERN = {
  maleFirst: ['DIMAS', 'RIZKI', 'FAJAR', 'ADITYA', 'BAGAS', 'GILANG', 'RAFI', 'ILHAM', 'YOGA', 'ANDIKA', 'DANU', 'ARYA', 'FARHAN', 'RAKA', 'FIKRI', 'ALIF'],
  maleMiddle: ['ADI', 'PUTRA', 'DWI', 'BAYU', 'ADITYA', 'SURYA', 'RAMA', 'NUR', 'AJI'],
  maleLast: ['PRATAMA', 'SAPUTRA', 'NUGRAHA', 'WICAKSONO', 'PRASETYO', 'RAMADHAN', 'FIRMANSYAH', 'KURNIAWAN', 'MAULANA', 'HIDAYATULLAH', 'SYAHPUTRA'],
  femaleFirst: ['PUTRI', 'AYU', 'DIAH', 'NOVITA', 'INDAH', 'ANISA', 'AMALIA', 'DINDA', 'SALSABILA', 'NADIA', 'AULIA', 'TIARA', 'NAYLA', 'ZAHRA'],
  femaleMiddle: ['DWI', 'AYU', 'NUR', 'PUSPITA', 'CAHYA', 'SEKAR', 'INTAN'],
  femaleLast: ['LESTARI', 'RAHMAWATI', 'PRATIWI', 'SARI', 'KUSUMAWATI', 'ANGGRAINI', 'WULANDARI', 'PERMATASARI', 'OKTAVIANI', 'RAMADHANI', 'MAHARANI'],
} as const

export const ISLAMIC = {
  maleFirst: ['MUHAMMAD', 'AHMAD', 'ABDUL', 'M.', 'MUH.', 'ZULKIFLI', 'FAUZI', 'RAHMAT', 'HASAN', 'SYAIFUL', 'RUSLI', 'ILYAS', 'HUSAIN', 'YUSUF', 'IDRIS'],
  maleLast: ['RIZKI', 'FAUZI', 'RAHMAN', 'HAKIM', 'RAHIM', 'YUSUF', 'HIDAYAT', 'SYAHPUTRA', 'AFANDI', 'IBRAHIM', 'KHAIRUL', 'FIRDAUS', 'HAMZAH', 'RIDWAN', 'ARIFIN'],
  maleSingle: ['SYAMSUL', 'ZAINAL', 'RUSLAN', 'JUNAIDI', 'BAHARUDDIN', 'SYAFRUDDIN', 'MUSLIM', 'ZULFIKAR', 'ABDULLAH', 'NASRUDDIN'],
  femaleFirst: ['SITI', 'NUR', 'NURUL', 'FATIMAH', 'AISYAH', 'HALIMAH', 'ROSMAWATI', 'ZAINAB', 'YUSNIDAR', 'RAHMA', 'SALMA', 'ASMA'],
  femaleLast: ['AMINAH', 'AISYAH', 'HASANAH', 'HIDAYAH', 'RAHMAWATI', 'FITRIANI', 'KHADIJAH', 'MARYAM', 'ZAHRA', 'NURHALIZA', 'HUSNA', 'SAFITRI'],
  femaleSingle: ['ROSMIATI', 'NURHAYATI', 'SYAMSIDAR', 'JUMIATI', 'MASNIAR', 'ASNAH', 'HJ. ROSNAH', 'SALMAH'],
  /** Bugis and Makassar nobility. */
  nobleSulawesi: 'ANDI',
} as const

export const BATAK = {
  maleGiven: ['HOTMAN', 'BONAR', 'MARULI', 'TUMPAL', 'PARLINDUNGAN', 'SAHAT', 'MANGATUR', 'JONTRAS', 'DAVID', 'ROBERT', 'MARTIN', 'SAMUEL', 'DANIEL', 'RAJA', 'TIGOR', 'POLTAK'],
  femaleGiven: ['ROSMAWATI', 'MASDIANA', 'TIOMINA', 'LAMRIA', 'HOTMAIDA', 'RUTH', 'MARIA', 'SARI', 'ROSLINA', 'NURMAIDA', 'DEBORA', 'YOHANA', 'MERRY'],
  /** Toba, Karo and Simalungun, mostly Christian. */
  marga: ['SIREGAR', 'SIMANJUNTAK', 'HUTAGALUNG', 'SINAGA', 'SITUMORANG', 'PARDEDE', 'SIHOMBING', 'TAMPUBOLON', 'MANURUNG', 'PANJAITAN', 'SILALAHI', 'SIMATUPANG', 'NAPITUPULU', 'SITOMPUL', 'HUTAPEA', 'SIAHAAN', 'GINTING', 'SEMBIRING', 'TARIGAN', 'PURBA', 'SARAGIH'],
  /** Mandailing and Angkola, mostly Muslim. */
  margaMuslim: ['NASUTION', 'LUBIS', 'HARAHAP', 'HASIBUAN', 'RANGKUTI', 'DALIMUNTHE', 'DAULAY', 'PULUNGAN', 'RITONGA'],
} as const

export const BALINESE = {
  /** Birth-order names: first, second, third, fourth child; the fifth starts again. */
  orderMale: [['I WAYAN', 'I PUTU', 'I GEDE'], ['I MADE', 'I KADEK', 'I NENGAH'], ['I NYOMAN', 'I KOMANG'], ['I KETUT']],
  orderFemale: [['NI WAYAN', 'NI PUTU', 'NI LUH PUTU'], ['NI MADE', 'NI KADEK', 'NI NENGAH'], ['NI NYOMAN', 'NI KOMANG'], ['NI KETUT']],
  maleGiven: ['SUDARSANA', 'ASTAWA', 'SUARDANA', 'ARTAWAN', 'MERTA', 'SUDIARTA', 'WIRAWAN', 'DARMAWAN', 'ADI SAPUTRA', 'AGUS SUPARTA', 'BUDIARTA', 'SUKADANA'],
  femaleGiven: ['SRI WAHYUNI', 'AYU LESTARI', 'SUARNI', 'ARIANI', 'KARTINI', 'SUCI DEWI', 'DEWI', 'WIDIANTARI', 'ARI ASTUTI', 'PURNAMI', 'SUARTINI', 'RATNA DEWI'],
} as const

export const CHRISTIAN = {
  maleGiven: ['YOHANES', 'YOSEF', 'FRANSISKUS', 'PETRUS', 'MARKUS', 'ANDREAS', 'STEFANUS', 'YAKOBUS', 'PAULUS', 'MIKHAEL', 'ALFONS', 'DOMINIKUS', 'AGUSTINUS', 'HENDRIK', 'JEFRI', 'RONALD', 'YULIUS'],
  femaleGiven: ['MARIA', 'MAGDALENA', 'YUSTINA', 'KRISTINA', 'FRANSISKA', 'ELISABETH', 'MARTHA', 'YULIANA', 'AGUSTINA', 'SISILIA', 'VERONIKA', 'THERESIA', 'GRASIA', 'NOVITA'],
  /** Family names by province code, where the local tradition passes one on. */
  familyByProvince: {
    '71': ['LUMOWA', 'WOWOR', 'SONDAKH', 'RUMENGAN', 'PANGEMANAN', 'MANDAGI', 'KALALO', 'TUMBELAKA', 'RONDONUWU', 'LENGKONG', 'WALANDOUW', 'TAMBUWUN'],
    '81': ['PATTINAMA', 'TUHUMURY', 'PATTIASINA', 'SAHETAPY', 'MANUPUTTY', 'LEATEMIA', 'SIAHAYA', 'LATUHERU', 'NANLOHY', 'TAHAPARY'],
    '53': ['MANAFE', 'NDUN', 'TEFA', 'NALLE', 'BENU', 'BANA', 'LAKA', 'SERAN', 'NAHAK', 'KOLO', 'DA SILVA', 'PAREIRA'],
    '9x': ['WENDA', 'KOGOYA', 'TABUNI', 'WONDA', 'RUMBIAK', 'MANDOWEN', 'YIKWA', 'WAKERKWA', 'MAYOR', 'KAMBU', 'RUMBEWAS', 'KAFIAR'],
  } as Readonly<Record<string, readonly string[]>>,
} as const

/** Chinese-Indonesian families mostly carry an Indonesian-style family name. */
export const CHINESE = {
  maleGiven: ['HENDRA', 'SUSANTO', 'WILLIAM', 'KEVIN', 'FELIX', 'ALBERT', 'JOHAN', 'HARTONO', 'SUWANDI', 'ROBBY', 'STEVEN'],
  femaleGiven: ['LINDA', 'MELIANA', 'SUSAN', 'JESSICA', 'MICHELLE', 'LILY', 'VERA', 'YENNY', 'CINDY', 'STEPHANIE', 'FELICIA'],
  family: ['WIJAYA', 'GUNAWAN', 'HALIM', 'TANOTO', 'SALIM', 'SUSANTO', 'KUSUMA', 'SANTOSO', 'LIMANTO', 'HARTANTO', 'TANDIO', 'TANUWIJAYA'],
} as const

export const STREETS = ['MELATI', 'MAWAR', 'KENANGA', 'ANGGREK', 'DAHLIA', 'SUDIRMAN', 'DIPONEGORO', 'KARTINI', 'MERDEKA', 'PAHLAWAN', 'PEMUDA', 'MASJID', 'PASAR', 'SEKOLAH', 'NANGKA', 'DURIAN', 'MANGGA', 'CEMPAKA', 'FLAMBOYAN', 'RAYA']

export const VILLAGE_PARTS = {
  javanese: { first: ['SIDO', 'SUMBER', 'KARANG', 'WONO', 'NGEMPLAK', 'TEGAL', 'PURWO', 'BANJAR', 'SUKO', 'MARGO'], last: ['MULYO', 'REJO', 'AGUNG', 'SARI', 'HARJO', 'JOYO', 'KERTO', 'WETAN', 'KULON', 'LOR'] },
  sundanese: { first: ['SUKA', 'MEKAR', 'CI', 'SINDANG', 'NAGRAK', 'CIKONENG', 'PASIR', 'LEUWI'], last: ['MAJU', 'JAYA', 'MULYA', 'SARI', 'RAHAYU', 'LAKSANA', 'MANAH', 'WANGI'] },
  other: { first: ['TANJUNG', 'SUNGAI', 'BATU', 'PADANG', 'TELUK', 'KAMPUNG', 'LUBUK', 'AIR', 'BUKIT', 'KOTA'], last: ['BARU', 'JAYA', 'INDAH', 'TENGAH', 'HULU', 'HILIR', 'PUTIH', 'RAYA', 'LAMA', 'MAKMUR'] },
} as const

export const HAMLETS = {
  javanese: ['DUSUN KRAJAN', 'DUSUN NGASEM', 'DUSUN SUMBERSARI', 'DUSUN TEGALREJO', 'DUSUN KEDUNGSARI'],
  sundanese: ['KP. BABAKAN', 'KP. CIBODAS', 'KP. SUKAMAJU', 'KP. PASIRHUNI', 'KP. LEUWIGAJAH'],
  balinese: ['BANJAR DINAS KAJA', 'BANJAR DINAS KELOD', 'BANJAR TENGAH', 'BANJAR ANYAR'],
  other: ['DUSUN I', 'DUSUN II', 'DUSUN III', 'LINGKUNGAN I', 'LINGKUNGAN II', 'JORONG TANGAH'],
} as const
