/**
 * Argon2id (OWASP's first choice) through @node-rs/argon2, which ships prebuilt binaries:
 * no install scripts, ~16 ms a hash at its defaults (m=19 MiB, t=2, p=1).
 */
import { hash, verify } from '@node-rs/argon2'

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// Verified against when the account does not exist, so a wrong e-mail costs as long as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$qrdAvrlM9lLaU2dbDmjzTA$3h61tfjVANbO1b6KeXl4StWNxLyI6WTCNXZnOt7D4hY'

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(storedHash ?? DUMMY_HASH, password)
  } catch {
    return false
  }
}
