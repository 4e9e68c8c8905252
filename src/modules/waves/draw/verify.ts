/**
 * Re-runs a draw from its export (see docs/draw-verification.md): checks the seed against
 * the commitment, recomputes every rank, the order and the one-pass selection with the
 * published algorithm (algorithm.ts, the Selector the tests hold runDraw's SQL to), and
 * compares the winners with the published `s` flags. Also checks the file's own order
 * (eligible applicants by area then draw order, then the ineligible by pseudonym) and that
 * no pseudonym appears twice. Needs nothing but the export file: no database, no keys.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import readline from 'node:readline'
import zlib from 'node:zlib'
import { compareExportOrder, DRAW_ALGORITHM, isSeedHex, seedCommitment, Selector } from './algorithm.ts'

export interface AreaResult {
  readonly area: string
  readonly places: number
  readonly eligible: number
  readonly selected: number
}

export interface VerifyReport {
  readonly ok: boolean
  /** The first problems found (at most `maxProblems`), each in Indonesian and English. */
  readonly problems: ReadonlyArray<{ id: string; en: string }>
  readonly problemCount: number
  readonly wave: string | null
  readonly commitmentOk: boolean
  readonly applicants: number
  readonly eligible: number
  readonly selected: number
  readonly areas: readonly AreaResult[]
}

interface Header {
  wave: string
  algorithm: string
  commitment: string
  seed: string
  maxPerKk: number
  quotas: Record<string, number>
  applicants: number
  eligible: number
  selected: number
  created_at: string
}

const REASONS = new Set(['account_closed', 'blacklisted', 'has_card', 'checks_not_passed', 'other_programme', 'kk_full'])

function isNat(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

export async function* exportLines(file: string): AsyncGenerator<string> {
  const fd = fs.openSync(file, 'r')
  const magic = Buffer.alloc(2)
  fs.readSync(fd, magic, 0, 2, 0)
  fs.closeSync(fd)
  const raw = fs.createReadStream(file)
  const input = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(zlib.createGunzip()) : raw
  const rl = readline.createInterface({ input, crlfDelay: Infinity })
  for await (const line of rl) if (line.length > 0) yield line
}

export async function verifyExportFile(file: string, maxProblems = 10): Promise<VerifyReport> {
  return verifyExportLines(exportLines(file), maxProblems)
}

/** Verifies an export given as its lines (header first). */
export async function verifyExportLines(lines: AsyncIterable<string> | Iterable<string>, maxProblems = 10): Promise<VerifyReport> {
  const problems: Array<{ id: string; en: string }> = []
  let problemCount = 0
  const problem = (id: string, en: string) => {
    problemCount++
    if (problems.length < maxProblems) problems.push({ id, en })
  }
  const fail = (id: string, en: string): VerifyReport => {
    problem(id, en)
    return { ok: false, problems, problemCount, wave: null, commitmentOk: false, applicants: 0, eligible: 0, selected: 0, areas: [] }
  }

  let header: Header | null = null
  let lineNo = 0
  let applicants = 0
  // The previous eligible line (export order: area, then draw order) and the previous ineligible one (by pseudonym).
  let lastEligible: { area: string; priority: boolean; rank: string; pseudonym: string } | null = null
  let lastIneligible = ''
  // Eligible applicants, kept compactly: millions of them fit in a few hundred megabytes.
  const pseudonyms: string[] = []
  let cap = 1024
  let rankHi = new Uint32Array(cap)
  let rankLo = new Uint32Array(cap)
  let prio = new Uint8Array(cap)
  let published = new Uint8Array(cap)
  let kkPrior = new Uint16Array(cap)
  let areaIdx = new Uint16Array(cap)
  const kks: string[] = []
  const areaNames: string[] = []
  const areaIds = new Map<string, number>()
  // To notice a pseudonym listed twice where the order alone cannot: the (few) ineligible and priority ones.
  const ineligible = new Set<string>()
  const priority = new Set<string>()

  for await (const line of lines) {
    lineNo++
    let obj: Record<string, unknown>
    try {
      obj = JSON.parse(line) as Record<string, unknown>
    } catch {
      problem(`Baris ${lineNo} bukan JSON yang sah.`, `Line ${lineNo} is not valid JSON.`)
      continue
    }
    if (lineNo === 1) {
      const h = obj as unknown as Header
      if (h.algorithm !== DRAW_ALGORITHM) return fail(`Algoritma "${String(h.algorithm)}" tidak dikenal; yang didukung: ${DRAW_ALGORITHM}.`, `Unknown algorithm "${String(h.algorithm)}"; supported: ${DRAW_ALGORITHM}.`)
      if (typeof h.seed !== 'string' || !isSeedHex(h.seed)) return fail('Benih (seed) di baris pertama harus 64 karakter heksadesimal huruf kecil.', 'The seed in the first line must be 64 lowercase hexadecimal characters.')
      if (!isNat(h.maxPerKk) || typeof h.quotas !== 'object' || h.quotas === null || !Object.values(h.quotas).every(isNat)) {
        return fail('Baris pertama tidak lengkap: maxPerKk dan kuota harus bilangan bulat 0 atau lebih.', 'The first line is incomplete: maxPerKk and the quotas must be whole numbers, 0 or more.')
      }
      header = h
      continue
    }
    if (!header) continue
    applicants++
    const p = obj.p
    if (typeof p !== 'string' || p.length === 0) {
      problem(`Baris ${lineNo}: tidak ada pseudonim (p).`, `Line ${lineNo}: no pseudonym (p).`)
      continue
    }
    const outOfOrder = () => problem(`Baris ${lineNo}: pseudonim ${p} tidak urut atau berulang.`, `Line ${lineNo}: pseudonym ${p} is out of order or repeated.`)
    if ('x' in obj) {
      // The ineligible come after every eligible applicant, by pseudonym.
      if (p <= lastIneligible) outOfOrder()
      lastIneligible = p
      ineligible.add(p)
      if (typeof obj.x !== 'string' || !REASONS.has(obj.x)) problem(`Baris ${lineNo}: alasan tidak layak "${String(obj.x)}" tidak dikenal.`, `Line ${lineNo}: unknown ineligibility reason "${String(obj.x)}".`)
      continue
    }
    const { a, g, k, kp, s } = obj
    if (typeof a !== 'string' || (g !== 0 && g !== 1) || typeof k !== 'string' || !isNat(kp) || kp > 65535 || (s !== 0 && s !== 1)) {
      problem(`Baris ${lineNo} (${p}): kolom a, g, k, kp atau s tidak sah.`, `Line ${lineNo} (${p}): field a, g, k, kp or s is not valid.`)
      continue
    }
    const r = crypto.createHash('sha256').update(`${header.seed}:${p}`, 'utf8').digest()
    const here = { area: a, priority: g === 1, rank: r.toString('hex'), pseudonym: p }
    if (lastIneligible !== '' || (lastEligible && compareExportOrder(lastEligible, here) >= 0)) outOfOrder()
    lastEligible = here
    if (g === 1) priority.add(p)
    const i = pseudonyms.length
    if (i === cap) {
      cap *= 2
      rankHi = grow(rankHi, cap)
      rankLo = grow(rankLo, cap)
      prio = grow(prio, cap)
      published = grow(published, cap)
      kkPrior = grow(kkPrior, cap)
      areaIdx = grow(areaIdx, cap)
    }
    let ai = areaIds.get(a)
    if (ai === undefined) {
      ai = areaNames.length
      areaIds.set(a, ai)
      areaNames.push(a)
    }
    pseudonyms.push(p)
    kks.push(k)
    rankHi[i] = r.readUInt32BE(0)
    rankLo[i] = r.readUInt32BE(4)
    prio[i] = g
    published[i] = s
    kkPrior[i] = kp
    areaIdx[i] = ai
  }
  if (!header) return fail('Berkas kosong: tidak ada baris pertama (header).', 'The file is empty: no first (header) line.')

  const commitmentOk = seedCommitment(header.seed) === header.commitment
  if (!commitmentOk) {
    problem(
      'Benih tidak cocok dengan komitmen: sha256(seed) berbeda dari komitmen yang diumumkan sebelum gelombang dibuka.',
      'The seed does not match the commitment: sha256(seed) differs from the commitment published before the wave opened.',
    )
  }

  // The published order: priority first, then rank, then pseudonym.
  const n = pseudonyms.length
  const seed = header.seed
  const rankOf = (i: number): string => crypto.createHash('sha256').update(`${seed}:${pseudonyms[i]}`, 'utf8').digest('hex')
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((x, y) => {
    if (prio[x] !== prio[y]) return prio[y]! - prio[x]!
    if (rankHi[x] !== rankHi[y]) return rankHi[x]! - rankHi[y]!
    if (rankLo[x] !== rankLo[y]) return rankLo[x]! - rankLo[y]!
    const rx = rankOf(x)
    const ry = rankOf(y)
    if (rx !== ry) return rx < ry ? -1 : 1
    return pseudonyms[x]! < pseudonyms[y]! ? -1 : pseudonyms[x]! > pseudonyms[y]! ? 1 : 0
  })

  const quotas = new Map(Object.entries(header.quotas))
  const selector = new Selector(quotas, header.maxPerKk)
  const perArea = new Map<string, { eligible: number; selected: number }>()
  let selected = 0
  for (let j = 0; j < n; j++) {
    const i = order[j]!
    const area = areaNames[areaIdx[i]!]!
    // A pseudonym listed twice: next to itself in this order (same rank), or once with g = 1 and once without, or also as ineligible.
    if ((j > 0 && pseudonyms[order[j - 1]!] === pseudonyms[i]) || (prio[i] === 0 && priority.has(pseudonyms[i]!)) || ineligible.has(pseudonyms[i]!)) {
      problem(`${pseudonyms[i]} tercantum lebih dari sekali.`, `${pseudonyms[i]} is listed more than once.`)
      continue
    }
    // Only the first 8 bytes of each rank were kept; the full one is computed again here.
    const d = selector.next({ pseudonym: pseudonyms[i]!, area, priority: prio[i] === 1, rank: rankOf(i), kk: kks[i]!, kkPrior: kkPrior[i]! })
    const pa = perArea.get(area) ?? { eligible: 0, selected: 0 }
    pa.eligible++
    if (published[i] === 1) {
      pa.selected++
      selected++
    }
    perArea.set(area, pa)
    if (d.selected !== (published[i] === 1)) {
      problem(
        `${pseudonyms[i]} (wilayah ${area}, urutan ${d.position}): ekspor menyatakan ${published[i] === 1 ? 'TERPILIH' : 'tidak terpilih'}, perhitungan ulang menyatakan ${d.selected ? 'TERPILIH' : 'tidak terpilih'}.`,
        `${pseudonyms[i]} (area ${area}, place ${d.position}): the export says ${published[i] === 1 ? 'SELECTED' : 'not selected'}, the recomputation says ${d.selected ? 'SELECTED' : 'not selected'}.`,
      )
    }
  }

  if (header.applicants !== applicants || header.eligible !== n || header.selected !== selected) {
    problem(
      `Jumlah di baris pertama (${header.applicants} pendaftar, ${header.eligible} layak, ${header.selected} terpilih) tidak sama dengan isi berkas (${applicants}, ${n}, ${selected}): ada baris yang hilang atau ditambahkan.`,
      `The counts in the first line (${header.applicants} applicants, ${header.eligible} eligible, ${header.selected} selected) differ from the file (${applicants}, ${n}, ${selected}): lines were removed or added.`,
    )
  }

  const areaCodes = new Set([...quotas.keys(), ...perArea.keys()])
  const areas = [...areaCodes].sort().map((area) => ({ area, places: quotas.get(area) ?? 0, eligible: perArea.get(area)?.eligible ?? 0, selected: perArea.get(area)?.selected ?? 0 }))
  return { ok: problemCount === 0, problems, problemCount, wave: header.wave, commitmentOk, applicants, eligible: n, selected, areas }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap)
  b.set(a)
  return b
}
