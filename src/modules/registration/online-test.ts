/**
 * Rules of the online test, kept pure. Time is counted as time spent: a gap between two
 * requests longer than MAX_GAP_MS is a dropped connection or a closed phone and counts as
 * MAX_GAP_MS, so a person on a bad link does not lose the clock while offline.
 */
import type { ItemOption, ItemKind } from './online-test.tables.ts'

export const TIME_LIMIT_MS = 40 * 60_000
export const MAX_GAP_MS = 90_000
export const PASS_RATIO = 0.6
export const ITEMS_PER_ATTEMPT = 12

export function addUsage(timeUsedMs: number, lastSeen: Date, now: Date): number {
  return timeUsedMs + Math.min(Math.max(now.getTime() - lastSeen.getTime(), 0), MAX_GAP_MS)
}

export interface ScoredItem {
  id: string
  kind: ItemKind
  options: readonly ItemOption[]
  correctOption: number | null
}

export interface Score {
  abilityCorrect: number
  abilityTotal: number
  motivation: number
  passed: boolean
}

/** Unanswered ability items count as wrong; motivation adds the weights of the chosen answers. */
export function scoreAttempt(items: readonly ScoredItem[], answers: ReadonlyMap<string, number>): Score {
  let abilityCorrect = 0
  let abilityTotal = 0
  let motivation = 0
  for (const item of items) {
    const choice = answers.get(item.id)
    if (item.kind === 'motivation') {
      motivation += choice === undefined ? 0 : (item.options[choice]?.weight ?? 0)
    } else {
      abilityTotal++
      if (choice !== undefined && choice === item.correctOption) abilityCorrect++
    }
  }
  return { abilityCorrect, abilityTotal, motivation, passed: abilityTotal === 0 || abilityCorrect / abilityTotal >= PASS_RATIO }
}

/** Deterministic per attempt, so a reload shows the same questions in the same order. */
export function pickItems<T extends { id: string; kind: ItemKind }>(items: readonly T[], seed: number, count = ITEMS_PER_ATTEMPT): T[] {
  let s = seed >>> 0
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), s / 2 ** 32)
  const shuffled = [...items].map((it) => ({ it, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.it)
  // Keep a mix: take from each kind in turn.
  const byKind = new Map<ItemKind, T[]>()
  for (const it of shuffled) byKind.set(it.kind, [...(byKind.get(it.kind) ?? []), it])
  const out: T[] = []
  while (out.length < count && [...byKind.values()].some((l) => l.length > 0)) {
    for (const list of byKind.values()) {
      const next = list.shift()
      if (next && out.length < count) out.push(next)
    }
  }
  return out
}
