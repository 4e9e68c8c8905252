/**
 * Is this upload a usable KTP photo or selfie? Decided from the bytes alone (never the
 * file name or the claimed type): format by magic bytes, then size, dimensions,
 * brightness and sharpness measured with sharp.
 */
import sharp from 'sharp'
import type { DocumentKind, Rejection } from './documents.tables.ts'

export const MIN_DIMENSIONS: Record<DocumentKind, { width: number; height: number }> = {
  ktp: { width: 600, height: 380 },
  selfie: { width: 480, height: 480 },
}
/** Mean luminance (0–255) outside this range is too dark or too bright to read. */
export const LUMINANCE = { min: 50, max: 220 } as const
/**
 * Variance of the Laplacian on a 512-px-wide greyscale copy. Synthetic text-like images
 * measure in the thousands and the same images after blur(8) below 10 (image-checks.test.ts);
 * 100 is the usual cut-off for photographs of documents and sits well between the two.
 */
export const MIN_SHARPNESS = 100
const ANALYSIS_WIDTH = 512

export type ImageFormat = 'jpeg' | 'png' | 'webp'

export interface ImageChecks {
  format: ImageFormat | null
  sizeBytes: number
  width: number | null
  height: number | null
  luminance: number | null
  sharpness: number | null
}

export interface ImageVerdict {
  checks: ImageChecks
  rejection: Rejection | null
}

/** The format the first bytes say, whatever the name or the claimed type. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 16))
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp'
  return null
}

/** Variance of the 4-neighbour Laplacian over the interior of a greyscale raster. */
export function laplacianVariance(pixels: Uint8Array, width: number, height: number): number {
  let sum = 0
  let sumSq = 0
  let n = 0
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x
      const l = 4 * pixels[i]! - pixels[i - 1]! - pixels[i + 1]! - pixels[i - width]! - pixels[i + width]!
      sum += l
      sumSq += l * l
      n++
    }
  }
  if (n === 0) return 0
  const mean = sum / n
  return sumSq / n - mean * mean
}

export async function checkImage(bytes: Buffer, kind: DocumentKind, maxBytes: number): Promise<ImageVerdict> {
  const checks: ImageChecks = { format: sniffFormat(bytes), sizeBytes: bytes.length, width: null, height: null, luminance: null, sharpness: null }
  if (bytes.length > maxBytes) return { checks, rejection: 'too_large' }
  if (!checks.format) return { checks, rejection: 'not_image' }
  let grey: { data: Buffer; info: { width: number; height: number } }
  try {
    const meta = await sharp(bytes).metadata()
    if (meta.format !== checks.format) return { checks, rejection: 'not_image' }
    const rotated = (meta.orientation ?? 1) >= 5
    checks.width = (rotated ? meta.height : meta.width) ?? null
    checks.height = (rotated ? meta.width : meta.height) ?? null
    grey = await sharp(bytes)
      .rotate()
      .greyscale()
      .resize({ width: ANALYSIS_WIDTH, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true })
  } catch {
    // The magic bytes said image but the decoder could not read it: a disguised file.
    return { checks, rejection: 'not_image' }
  }
  const min = MIN_DIMENSIONS[kind]
  const [w, h] = [checks.width ?? 0, checks.height ?? 0]
  const fits = (w >= min.width && h >= min.height) || (kind === 'ktp' && h >= min.width && w >= min.height)
  if (!fits) return { checks, rejection: 'too_small' }
  const { data, info } = grey
  let total = 0
  for (const p of data) total += p
  checks.luminance = Math.round((total / data.length) * 10) / 10
  checks.sharpness = Math.round(laplacianVariance(data, info.width, info.height) * 10) / 10
  if (checks.luminance < LUMINANCE.min) return { checks, rejection: 'too_dark' }
  if (checks.luminance > LUMINANCE.max) return { checks, rejection: 'too_bright' }
  if (checks.sharpness < MIN_SHARPNESS) return { checks, rejection: 'blurry' }
  return { checks, rejection: null }
}
