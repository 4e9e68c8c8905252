// Resolve hook for bench/no-hashing.mjs: the accounts module's passwords.ts → bench/fast-passwords.mjs.
const FAST = new URL('./fast-passwords.mjs', import.meta.url).href

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/passwords.ts') && context.parentURL && !context.parentURL.includes('/bench/')) {
    return { url: FAST, shortCircuit: true }
  }
  return next(specifier, context)
}
