import { describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { checkImage, laplacianVariance, MIN_SHARPNESS, sniffFormat } from './image-checks.ts'
import { blurred, textLikeImage } from './test-images.ts'

const MAX = 10 * 1024 * 1024

describe('image checks', () => {
  it('recognises JPEG, PNG and WebP by their bytes only', async () => {
    const raw = { raw: { width: 4, height: 4, channels: 3 as const } }
    const pixels = Buffer.alloc(48, 128)
    expect(sniffFormat(await sharp(pixels, raw).jpeg().toBuffer())).toBe('jpeg')
    expect(sniffFormat(await sharp(pixels, raw).png().toBuffer())).toBe('png')
    expect(sniffFormat(await sharp(pixels, raw).webp().toBuffer())).toBe('webp')
    expect(sniffFormat(Buffer.from('GIF89a......'))).toBeNull()
  })

  it('accepts a sharp, well-lit KTP and tells blurred, dark, tiny and fake files apart', async () => {
    const good = await textLikeImage(1000, 640)
    const ok = await checkImage(good, 'ktp', MAX)
    expect(ok.rejection).toBeNull()
    expect(ok.checks.sharpness!).toBeGreaterThan(MIN_SHARPNESS * 10)
    const soft = await checkImage(await blurred(good), 'ktp', MAX)
    expect(soft.rejection).toBe('blurry')
    expect(soft.checks.sharpness!).toBeLessThan(MIN_SHARPNESS / 5)
    expect((await checkImage(await textLikeImage(1000, 640, { dark: true }), 'ktp', MAX)).rejection).toBe('too_dark')
    expect((await checkImage(await textLikeImage(300, 200), 'ktp', MAX)).rejection).toBe('too_small')
    expect((await checkImage(await textLikeImage(600, 400), 'selfie', MAX)).rejection).toBe('too_small')
    expect((await checkImage(Buffer.from('this is a text file named ktp.jpg'), 'ktp', MAX)).rejection).toBe('not_image')
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg'.repeat(50))])
    expect((await checkImage(fakeJpeg, 'ktp', MAX)).rejection).toBe('not_image')
    expect((await checkImage(good, 'ktp', 1000)).rejection).toBe('too_large')
  })

  it('measures a flat image as zero and a checkerboard as very sharp', () => {
    expect(laplacianVariance(new Uint8Array(100).fill(90), 10, 10)).toBe(0)
    const board = new Uint8Array(100).map((_, i) => ((i % 10) + Math.floor(i / 10)) % 2 ? 255 : 0)
    expect(laplacianVariance(board, 10, 10)).toBeGreaterThan(10_000)
  })
})
