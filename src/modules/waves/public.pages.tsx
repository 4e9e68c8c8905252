/**
 * The public transparency page of a wave (no login): its window and quotas, the commitment
 * published before it opened and, after the draw, the seed, the algorithm, the export to
 * download and the command that re-runs the draw from it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Html from '@kitajs/html'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.ts'
import { AppError } from '../../platform/errors.ts'
import { formatDateTime, tr, type Text } from '../../platform/i18n/index.ts'
import { Layout } from '../../web/layout.tsx'
import { pageContext, sendPage } from '../../web/page-context.ts'
import { formatRupiah } from '../ledger/index.ts'
import { effectiveQuotas } from './draw/quotas.ts'
import { asScheme } from './scheme.ts'
import * as repo from './waves.repository.ts'
import { areaName, SCHEME_LABELS, STATUS } from './waves.texts.ts'

const ALGORITHM_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/draw-verification.md')

const T = {
  window: { id: 'Pendaftaran: {from} sampai {to}', en: 'Registration: {from} to {to}' },
  status: { id: 'Status', en: 'Status' },
  quotas: { id: 'Kuota', en: 'Quotas' },
  national: { id: 'Kuota nasional: {n} orang', en: 'National quota: {n} people' },
  area: { id: 'Wilayah', en: 'Area' },
  places: { id: 'Kuota', en: 'Places' },
  remainderHint: {
    id: 'Pendaftar di wilayah tanpa kuota sendiri berbagi sisa kuota nasional. Kuota kabupaten/kota berdiri sendiri, tidak termasuk kuota provinsinya.',
    en: 'Applicants in areas without a quota of their own share what the national quota leaves over. A regency quota stands on its own, outside its province\'s quota.',
  },
  scheme: { id: 'Manfaat per penerima', en: 'Benefit per recipient' },
  commitment: { id: 'Komitmen undian', en: 'Draw commitment' },
  commitmentHint: {
    id: 'Sebelum pendaftaran dibuka kami mengumumkan sidik (SHA-256) dari benih acak rahasia. Setelah undian benihnya diumumkan: siapa pun bisa memeriksa bahwa sidiknya sama, jadi benih tidak bisa diganti setelah pendaftar diketahui.',
    en: 'Before registration opens we publish the fingerprint (SHA-256) of a secret random seed. After the draw the seed is published: anyone can check the fingerprint matches, so the seed could not be changed once the applicants were known.',
  },
  noCommitment: { id: 'Komitmen belum diumumkan.', en: 'The commitment is not published yet.' },
  result: { id: 'Hasil undian', en: 'Draw result' },
  notYet: { id: 'Undian belum dijalankan. Benih diumumkan di sini setelah undian.', en: 'The draw has not run yet. The seed is published here after the draw.' },
  seed: { id: 'Benih (seed)', en: 'Seed' },
  numbers: { id: '{a} pendaftar, {e} memenuhi syarat, {s} terpilih.', en: '{a} applicants, {e} eligible, {s} selected.' },
  download: { id: 'Unduh berkas hasil undian (NDJSON, gzip)', en: 'Download the draw file (NDJSON, gzip)' },
  sha: { id: 'SHA-256 berkas', en: 'File SHA-256' },
  verify: { id: 'Periksa sendiri', en: 'Check it yourself' },
  verifyHint: {
    id: 'Berkas berisi ID undian (pseudonim) setiap pendaftar yang memenuhi syarat per wilayah, urutannya dan hasilnya, tanpa nama atau NIK. Dengan kode sumber Karya, perintah ini menghitung ulang pemenangnya dari berkas dan melaporkan bila ada yang berbeda:',
    en: 'The file lists the draw ID (pseudonym) of every eligible applicant per area, their order and outcome, without names or NIKs. With Karya\'s source code, this command recomputes the winners from the file and reports any difference:',
  },
  algorithm: { id: 'Cara kerja undian (algoritma)', en: 'How the draw works (the algorithm)' },
  algorithmTitle: { id: 'Algoritma undian', en: 'The draw algorithm' },
  noDoc: { id: 'Dokumen algoritma belum tersedia.', en: 'The algorithm document is not available yet.' },
  back: { id: 'Semua gelombang', en: 'All waves' },
  yes: { id: 'ya', en: 'yes' },
  no: { id: 'tidak', en: 'no' },
} satisfies Record<string, Text>

export function registerPublicWavePages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db
  const devMailbox = deps.config.mail.devMailbox
  const code = { params: Type.Object({ code: Type.String({ maxLength: 40 }) }) }

  app.get('/gelombang/algoritma', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const doc = fs.existsSync(ALGORITHM_DOC) ? fs.readFileSync(ALGORITHM_DOC, 'utf8') : null
    return sendPage(
      reply,
      <Layout ctx={ctx} title={tr(l, T.algorithmTitle)}>
        <h1 safe>{tr(l, T.algorithmTitle)}</h1>
        {doc ? <pre safe>{doc}</pre> : <p safe>{tr(l, T.noDoc)}</p>}
        <p>
          <a href="/gelombang" safe>
            {tr(l, T.back)}
          </a>
        </p>
      </Layout>,
    )
  })

  app.get('/gelombang/:code', { config: { access: 'public' }, schema: { hide: true, ...code } }, async (req, reply) => {
    const w = await repo.findWaveByCode(db, (req.params as { code: string }).code)
    if (!w || w.status === 'draft' || w.status === 'cancelled') throw new AppError('NOT_FOUND')
    const ctx = pageContext(req, reply, { devMailbox })
    const l = ctx.locale
    const quotas = await repo.listQuotas(db, w.id)
    const places = effectiveQuotas({ national: w.national_quota, areas: quotas.map((q) => ({ areaCode: q.area_code, quota: q.quota })) })
    const draw = w.status === 'drawn' ? await repo.findDraw(db, w.id) : undefined
    const s = asScheme(w.scheme)
    const fileName = draw?.export_path ? path.basename(draw.export_path) : `${w.code}.ndjson.gz`
    return sendPage(
      reply,
      <Layout ctx={ctx} title={w.name}>
        <h1 safe>{w.name}</h1>
        <p safe>{tr(l, T.window, { from: formatDateTime(l, w.opens_at), to: formatDateTime(l, w.closes_at) })}</p>
        <p>
          <span safe>{tr(l, T.status)}</span>: <span class="status" safe>{tr(l, STATUS[w.status])}</span>
        </p>
        <h2 safe>{tr(l, T.quotas)}</h2>
        <p safe>{tr(l, T.national, { n: w.national_quota.toLocaleString('id-ID') })}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label={tr(l, T.quotas)}>
          <table>
            <thead>
              <tr>
                <th scope="col" safe>{tr(l, T.area)}</th>
                <th scope="col" safe>{tr(l, T.places)}</th>
              </tr>
            </thead>
            <tbody>
              {[...places].map(([area, n]) => (
                <tr>
                  <td>
                    <span safe>{areaName(area, l)}</span> <code safe>{area}</code>
                  </td>
                  <td safe>{n.toLocaleString('id-ID')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted" safe>{tr(l, T.remainderHint)}</p>
        <h2 safe>{tr(l, T.scheme)}</h2>
        <ul>
          <li safe>{`${tr(l, SCHEME_LABELS.trainingBalance)}: ${formatRupiah(l, s.trainingBalance)}`}</li>
          <li safe>{`${tr(l, SCHEME_LABELS.incentiveAmount)}: ${formatRupiah(l, s.incentiveAmount)} × ${s.incentiveCount}`}</li>
          <li safe>{`${tr(l, SCHEME_LABELS.surveyIncentiveAmount)}: ${formatRupiah(l, s.surveyIncentiveAmount)} × ${s.surveyCount}`}</li>
          <li safe>{`${tr(l, SCHEME_LABELS.firstPurchaseDays)}: ${s.firstPurchaseDays}`}</li>
          <li safe>{`${tr(l, SCHEME_LABELS.maxPerKk)}: ${s.maxPerKk}`}</li>
          <li safe>{`${tr(l, SCHEME_LABELS.excludeOtherProgrammes)}: ${tr(l, s.excludeOtherProgrammes ? T.yes : T.no)}`}</li>
        </ul>
        <h2 safe>{tr(l, T.commitment)}</h2>
        <p safe>{tr(l, T.commitmentHint)}</p>
        {w.commitment ? (
          <p>
            <code safe>{w.commitment}</code>
          </p>
        ) : (
          <p safe>{tr(l, T.noCommitment)}</p>
        )}
        <h2 safe>{tr(l, T.result)}</h2>
        {w.status === 'drawn' && w.seed && draw ? (
          <>
            <p safe>{tr(l, T.numbers, { a: draw.applicants, e: draw.eligible, s: draw.selected })}</p>
            <p>
              <span safe>{tr(l, T.seed)}</span>: <code safe>{w.seed}</code>
            </p>
            <p>
              <a href={`/gelombang/${encodeURIComponent(w.code)}/ekspor`} download={fileName} safe>
                {tr(l, T.download)}
              </a>
            </p>
            {draw.export_sha256 ? (
              <p>
                <span safe>{tr(l, T.sha)}</span>: <code safe>{draw.export_sha256}</code>
              </p>
            ) : (
              ''
            )}
            <h3 safe>{tr(l, T.verify)}</h3>
            <p safe>{tr(l, T.verifyHint)}</p>
            <pre safe>{`npm run draw:verify -- ${fileName}`}</pre>
          </>
        ) : (
          <p safe>{tr(l, T.notYet)}</p>
        )}
        <p>
          <a href="/gelombang/algoritma" safe>
            {tr(l, T.algorithm)}
          </a>
        </p>
        <p>
          <a href="/gelombang" safe>
            {tr(l, T.back)}
          </a>
        </p>
      </Layout>,
    )
  })

  app.get('/gelombang/:code/ekspor', { config: { access: 'public' }, schema: { hide: true, ...code } }, async (req, reply) => {
    const w = await repo.findWaveByCode(db, (req.params as { code: string }).code)
    const draw = w && w.status === 'drawn' ? await repo.findDraw(db, w.id) : undefined
    if (!draw?.export_path || !fs.existsSync(draw.export_path)) throw new AppError('NOT_FOUND')
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="${path.basename(draw.export_path).replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .send(fs.createReadStream(draw.export_path))
  })
}
