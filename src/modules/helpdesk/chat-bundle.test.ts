import { promises as fs } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bundle, bundlePath } from '../../../scripts/build-client.ts'

describe('the committed chat script', () => {
  it('is the bundle of src/web/client/chat.ts (run npm run build:client after changing it)', async () => {
    const committed = await fs.readFile(bundlePath('chat'), 'utf8')
    expect(committed === (await bundle('chat'))).toBe(true)
  })
})
