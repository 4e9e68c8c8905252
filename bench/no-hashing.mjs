// bench-only: `node --import tsx --import ./bench/no-hashing.mjs …` swaps the accounts module's
// password hashing for a plain SHA-256, so bench/opening-night can show the registration path
// without Argon2id. Never loaded by the app, the tests or any npm script but the bench.
import { register } from 'node:module'

register('./no-hashing-hooks.mjs', import.meta.url)
