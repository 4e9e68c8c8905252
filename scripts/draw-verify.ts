/**
 * npm run draw:verify -- <export>  — re-runs a published draw from its export file alone.
 *
 * Checks that sha256(seed) equals the commitment published before the wave opened,
 * recomputes every applicant's rank, the draw order and the one-pass selection
 * (docs/draw-verification.md), and compares the winners with the published `s` flags.
 * Exit 0: the draw is reproduced exactly; 1: it is not (the first mismatches listed);
 * 2: the file could not be read.
 */
import fs from 'node:fs'
import { verifyExportFile, type VerifyReport } from '../src/modules/waves/draw/verify.ts'

function describeReport(file: string, r: VerifyReport): string[] {
  const lines = [
    `Berkas / File: ${file}`,
    `Gelombang / Wave: ${r.wave ?? '-'}`,
    `Komitmen / Commitment: ${r.commitmentOk ? 'cocok dengan benih / matches the seed' : 'TIDAK cocok / does NOT match'}`,
    `Pendaftar / Applicants: ${r.applicants}; layak / eligible: ${r.eligible}; terpilih / selected: ${r.selected}`,
  ]
  if (r.areas.length > 0) {
    lines.push('Wilayah / Area   kuota/places   layak/eligible   terpilih/selected')
    for (const a of r.areas) lines.push(`  ${a.area.padEnd(14)} ${String(a.places).padStart(12)} ${String(a.eligible).padStart(16)} ${String(a.selected).padStart(19)}`)
  }
  if (r.ok) {
    lines.push('HASIL: COCOK. Undian dihitung ulang dari berkas ini dan menghasilkan pemenang yang sama persis.')
    lines.push('RESULT: MATCH. The draw was recomputed from this file and gives exactly the same winners.')
    return lines
  }
  lines.push(`HASIL: TIDAK COCOK. ${r.problemCount} masalah ditemukan; yang pertama:`)
  lines.push(`RESULT: MISMATCH. ${r.problemCount} problem(s) found; the first:`)
  for (const p of r.problems) {
    lines.push(`  - ${p.id}`)
    lines.push(`    ${p.en}`)
  }
  return lines
}

async function main(argv: readonly string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('-'))
  if (!file) {
    console.error('Pakai / Usage: npm run draw:verify -- <berkas-ekspor.ndjson.gz>')
    return 2
  }
  if (!fs.existsSync(file)) {
    console.error(`Berkas tidak ada / No such file: ${file}`)
    return 2
  }
  let report: VerifyReport
  try {
    report = await verifyExportFile(file)
  } catch (err) {
    console.error(`Berkas tidak bisa dibaca / The file could not be read: ${(err as Error).message}`)
    return 2
  }
  for (const line of describeReport(file, report)) console.log(line)
  return report.ok ? 0 : 1
}

process.exitCode = await main(process.argv.slice(2))
