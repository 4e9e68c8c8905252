/**
 * A CSV upload read as a stream: each line becomes a row while the body arrives, the
 * signature's body hash is computed on the way, and the size is checked before and during
 * the read, so a 64 MB file never sits in memory as one string and a 200 MB one is refused
 * before it is read. Only the legacy signature scheme, which signs the raw text itself,
 * makes us keep the bytes.
 */
import crypto from 'node:crypto'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { CsvReader, type CsvRows } from './csv.ts'

export function tooLarge(limitBytes: number, maxRows: number): AppError {
  const mb = Math.round(limitBytes / 1024 / 1024)
  return new AppError('PAYLOAD_TOO_LARGE', {
    fields: [{ field: 'body', id: `Kiriman lebih dari ${mb} MB. Bagi laporan menjadi beberapa kiriman, masing-masing paling banyak ${maxRows} baris dan ${mb} MB.`, en: `The upload is over ${mb} MB. Split the reports into several requests of at most ${maxRows} rows and ${mb} MB each.` }],
  })
}

export function csvUnreadable(en: string): AppError {
  return new AppError('VALIDATION_FAILED', { fields: [{ field: 'body', id: `CSV tidak bisa dibaca: ${en}`, en: `The CSV cannot be read: ${en}` }] })
}

/** Refuses a declared size over the limit before a byte of the body is read. */
export function refuseDeclaredSize(req: FastifyRequest, limitBytes: number, maxRows: number): void {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limitBytes) throw tooLarge(limitBytes, maxRows)
}

export async function readCsvBody(req: FastifyRequest, payload: Readable, limitBytes: number, maxRows: number): Promise<CsvRows> {
  refuseDeclaredSize(req, limitBytes, maxRows)
  const hash = crypto.createHash('sha256')
  const legacy = req.headers['x-karya-client'] === undefined && req.headers['client_code'] !== undefined
  const kept: Buffer[] = []
  const decoder = new StringDecoder('utf8')
  const reader = new CsvReader(maxRows)
  let size = 0
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limitBytes) throw tooLarge(limitBytes, maxRows)
    hash.update(chunk)
    if (legacy) kept.push(chunk)
    // Past the row limit the rest is only hashed: the refusal waits for the signature check.
    if (!reader.tooMany) reader.push(decoder.write(chunk))
  }
  if (!reader.tooMany) reader.push(decoder.end())
  req.rawBodySha256 = hash.digest('hex')
  if (legacy) req.rawBody = Buffer.concat(kept).toString('utf8')
  const out = reader.end()
  return reader.tooMany ? { rows: [], headerError: `more than ${maxRows} lines; split the file.` } : out
}
