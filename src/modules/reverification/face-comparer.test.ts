import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { textLikeImage } from '../documents/test-images.ts'
import { createSandboxFaceComparer } from './face-comparer.sandbox.ts'

describe('the sandbox face comparer', () => {
  it('scores a picture against itself 1, against a different one lower, and an unreadable file as unknown', async () => {
    const comparer = createSandboxFaceComparer()
    const a = await textLikeImage(600, 600)
    const inverted = await sharp(a).negate().jpeg().toBuffer()
    expect(await comparer.compare(a, a)).toBe(1)
    const other = await comparer.compare(a, inverted)
    expect(other).not.toBeNull()
    expect(other!).toBeLessThan(0.5)
    expect(await comparer.compare(a, Buffer.from('not a picture'))).toBeNull()
  })
})
