/**
 * The ways a government registry fails, injected into a sandbox: slow answers, calls that
 * time out, and outage windows. The settings object is live, so a test (or a demo) can
 * start and end an outage while the app runs. Random draws come from a seeded generator,
 * so the same seed fails the same calls.
 */
import type { Clock } from '../../platform/clock.ts'
import { RegistryUnavailable, type RegistryName } from '../../modules/registration/registries.ts'
import { createRng } from '../population/index.ts'

export interface FaultSettings {
  /** Answer time in ms, uniformly between the two. */
  latencyMs: readonly [number, number]
  /** Share of calls (0–1) that time out after the longest latency. */
  timeoutRate: number
  /** While the clock is inside this window every call fails as an outage. */
  outage: { readonly from: Date; readonly to: Date } | null
}

export interface Faults {
  readonly settings: FaultSettings
  /** Runs the registry's answer through the configured delay and failures. */
  call<T>(answer: () => T): Promise<T>
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function createFaults(registry: RegistryName, settings: FaultSettings, opts: { clock: Clock; seed: number }): Faults {
  const rng = createRng(opts.seed)
  return {
    settings,
    async call(answer) {
      const now = opts.clock.now()
      const { outage, latencyMs, timeoutRate } = settings
      if (outage && now >= outage.from && now < outage.to) {
        throw new RegistryUnavailable(registry, 'outage', `${registry} is down until ${outage.to.toISOString()}`)
      }
      const [lo, hi] = latencyMs
      const timesOut = rng.chance(timeoutRate)
      const wait = timesOut ? hi : rng.int(lo, hi)
      if (wait > 0) await sleep(wait)
      if (timesOut) throw new RegistryUnavailable(registry, 'timeout', `${registry} did not answer within ${hi} ms`)
      return answer()
    },
  }
}
