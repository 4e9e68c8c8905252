/**
 * A stand-in for a face comparison service, for development and tests: it compares two pictures
 * by an average hash of a 16×16 greyscale copy. It knows nothing about faces; a real adapter
 * (a vendor's face match API) implements the same FaceComparer interface. Off unless wired in.
 */
import sharp from 'sharp'
import type { FaceComparer } from './reverification.service.ts'

const SIDE = 16

async function averageHash(image: Buffer): Promise<boolean[]> {
  const px = await sharp(image).rotate().greyscale().resize(SIDE, SIDE, { fit: 'fill' }).raw().toBuffer()
  let total = 0
  for (const p of px) total += p
  const mean = total / px.length
  return [...px].map((p) => p > mean)
}

export function createSandboxFaceComparer(): FaceComparer {
  return {
    async compare(fresh, onFile) {
      try {
        const [a, b] = await Promise.all([averageHash(fresh), averageHash(onFile)])
        const same = a.filter((bit, i) => bit === b[i]).length
        return Math.round((same / a.length) * 100) / 100
      } catch {
        return null
      }
    },
  }
}
