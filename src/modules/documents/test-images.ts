/** Synthetic photos for the tests: a text-like pattern, and the same made blurred, dark or tiny. */
import sharp from 'sharp'

/** Dark "letters" (small blocks) on a light card, pseudo-random but repeatable. */
export async function textLikeImage(width: number, height: number, opts: { dark?: boolean } = {}): Promise<Buffer> {
  const px = Buffer.alloc(width * height)
  let seed = 12345
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff)
  const [bg, ink] = opts.dark ? [30, 5] : [215, 40]
  px.fill(bg)
  for (let by = 0; by + 12 < height; by += 16) {
    for (let bx = 0; bx + 8 < width; bx += 10) {
      if (rand() < 0.45) continue
      for (let y = by; y < by + 12; y++) for (let x = bx; x < bx + 6; x++) if (rand() < 0.8) px[y * width + x] = ink
    }
  }
  return sharp(px, { raw: { width, height, channels: 1 } }).jpeg({ quality: 90 }).toBuffer()
}

export async function blurred(image: Buffer): Promise<Buffer> {
  return sharp(image).blur(8).jpeg({ quality: 90 }).toBuffer()
}
