import { defineConfig } from 'vitest/config'

/** Browser journeys: a real Chromium against a real port, one file at a time. */
export default defineConfig({
  test: {
    include: ['test/journeys/**/*.test.ts'],
    exclude: ['node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NODE_ENV: 'test' },
  },
})
