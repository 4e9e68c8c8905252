/**
 * The JSON bulk body, `{"reports": [row, row, ...]}`, read as a stream: each element of
 * `reports` is cut out and parsed as soon as it is complete, the signature's body hash is
 * computed on the way, and the size is checked before and during the read. As with CSV,
 * only a legacy-signed request (which signs the raw text) keeps the bytes.
 */
import crypto from 'node:crypto'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { refuseDeclaredSize, tooLarge } from './csv-body.ts'

const malformed = (detail: string) => new AppError('MALFORMED_REQUEST', { detail })

/** Cuts the elements of the top-level object's `reports` array out of JSON text given in pieces. */
export class ReportsArrayReader {
  readonly reports: unknown[] = []
  private depth = 0
  private inString = false
  private escaped = false
  /** The text of the string being read at depth 1 (a key), or null. */
  private key: string | null = null
  private lastKey: string | null = null
  private expectingValue = false
  /** 'before': reports not met yet; 'in': inside its array; 'after': its array closed. */
  private state: 'before' | 'in' | 'after' = 'before'
  private element: string[] = []
  private elementStart = -1
  private closed = false

  constructor(private readonly maxRows: number) {}

  push(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (this.closed) {
        if (!/\s/.test(ch)) throw malformed('text after the JSON object')
        continue
      }
      if (this.inString) {
        if (this.key !== null && !this.escaped && ch !== '"') this.key += ch
        if (this.escaped) this.escaped = false
        else if (ch === '\\') this.escaped = true
        else if (ch === '"') {
          this.inString = false
          if (this.key !== null) {
            this.lastKey = this.key
            this.key = null
          }
        }
        continue
      }
      if (this.state === 'in' && this.depth === 2 && this.elementStart === -1 && !/[\s,\]]/.test(ch)) this.elementStart = i
      switch (ch) {
        case '"':
          this.inString = true
          // A key of the top-level object: remembered to find "reports".
          if (this.depth === 1 && !this.expectingValue) this.key = ''
          break
        case ':':
          if (this.depth === 1) this.expectingValue = true
          break
        case '{':
        case '[':
          if (this.depth === 0 && ch !== '{') throw malformed('the body must be a JSON object')
          if (this.depth === 1 && this.expectingValue && this.lastKey === 'reports') {
            if (ch !== '[') throw malformed('reports must be an array')
            if (this.state !== 'before') throw malformed('reports given twice')
            this.state = 'in'
          }
          this.depth++
          break
        case '}':
        case ']':
          if (this.state === 'in' && this.depth === 2 && ch === ']') this.finishElement(text, i)
          this.depth--
          if (this.state === 'in' && this.depth === 1) this.state = 'after'
          if (this.depth === 0) this.closed = true
          if (this.depth < 0) throw malformed('unbalanced brackets')
          break
        case ',':
          if (this.state === 'in' && this.depth === 2) this.finishElement(text, i)
          if (this.depth === 1) this.expectingValue = false
          break
      }
    }
    // An element still open keeps its text so far for the next piece.
    if (this.elementStart !== -1) {
      this.element.push(text.slice(this.elementStart))
      this.elementStart = 0
      this.pending = true
    }
  }

  private pending = false

  private finishElement(text: string, end: number): void {
    if (this.elementStart === -1) return
    const part = text.slice(this.pending ? 0 : this.elementStart, end)
    const whole = this.element.length > 0 ? this.element.join('') + part : part
    this.element = []
    this.elementStart = -1
    this.pending = false
    if (this.reports.length >= this.maxRows) throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'reports', id: `Lebih dari ${this.maxRows} baris; bagi menjadi beberapa kiriman.`, en: `More than ${this.maxRows} rows; split them into several requests.` }] })
    let row: unknown
    try {
      row = JSON.parse(whole, (k, v) => {
        if (k === '__proto__') throw new Error('__proto__')
        return v
      })
    } catch {
      throw malformed(`report ${this.reports.length} is not valid JSON`)
    }
    this.reports.push(row)
  }

  end(): { reports: unknown[] } {
    if (!this.closed || this.inString) throw malformed('the JSON body ends early')
    if (this.state !== 'after') throw malformed('no reports array')
    return { reports: this.reports }
  }
}

/**
 * What was wrong with a body, kept until the caller is authenticated: an unsigned request
 * is answered 401 whatever it sent, so the parser never answers first (see `bodyError`).
 */
const errors = new WeakMap<object, AppError>()

/** For the route's own preValidation hook, which runs after the signature check. */
export function bodyError(body: unknown): AppError | undefined {
  return typeof body === 'object' && body !== null ? errors.get(body) : undefined
}

export async function readJsonReportsBody(req: FastifyRequest, payload: Readable, limitBytes: number, maxRows: number): Promise<{ reports: unknown[] }> {
  refuseDeclaredSize(req, limitBytes, maxRows)
  const hash = crypto.createHash('sha256')
  const legacy = req.headers['x-karya-client'] === undefined && req.headers['client_code'] !== undefined
  const kept: Buffer[] = []
  const decoder = new StringDecoder('utf8')
  const reader = new ReportsArrayReader(maxRows)
  let failed: AppError | null = null
  const read = (text: string) => {
    if (failed) return
    try {
      reader.push(text)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      failed = err
    }
  }
  let size = 0
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limitBytes) throw tooLarge(limitBytes, maxRows)
    hash.update(chunk)
    if (legacy) kept.push(chunk)
    read(decoder.write(chunk))
  }
  read(decoder.end())
  req.rawBodySha256 = hash.digest('hex')
  if (legacy) req.rawBody = Buffer.concat(kept).toString('utf8')
  if (!failed) {
    try {
      return reader.end()
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      failed = err
    }
  }
  const body = { reports: [] }
  errors.set(body, failed!)
  return body
}
