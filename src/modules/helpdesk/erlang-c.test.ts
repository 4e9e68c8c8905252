import { describe, expect, it } from 'vitest'
import { agentsNeeded, averageSpeedOfAnswer, probabilityOfWaiting, serviceLevelWith } from './erlang-c.ts'

describe('Erlang C', () => {
  it('matches values worked by hand and from published tables', () => {
    // A = 2 Erlangs, 3 agents: B = 4/19, C = 4/9.
    expect(probabilityOfWaiting(3, 2)).toBeCloseTo(4 / 9, 10)
    // A = 1, 2 agents: C = 1/3.
    expect(probabilityOfWaiting(2, 1)).toBeCloseTo(1 / 3, 10)
    // Erlang C table: A = 10 Erlangs, 11 agents → 0.6821.
    expect(probabilityOfWaiting(11, 10)).toBeCloseTo(0.6821, 4)
    expect(probabilityOfWaiting(10, 10)).toBe(1)
  })

  it('staffs the classic example: 100 calls an hour, 180 s handling, 80 % in 20 s', () => {
    const input = { arrivalsPerHour: 100, handlingSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }
    // A = 5 Erlangs, 7 agents: C = 0.3241 by hand, service level 1 − 0.3241·e^(−2·20/180) = 0.7404.
    expect(probabilityOfWaiting(7, 5)).toBeCloseTo(0.3241, 4)
    expect(serviceLevelWith(7, input)).toBeCloseTo(0.7404, 4)
    expect(agentsNeeded(input).onPhones).toBe(8)
    expect(averageSpeedOfAnswer(8, input)).toBeLessThan(averageSpeedOfAnswer(7, input))
  })

  it('checks against the real programme: ~511 k reports a month over 12 hours a day', () => {
    // 511 000 / 30 days / 12 h ≈ 1 419 an hour; with 4 minutes' handling that is ~95 Erlangs,
    // so the real 60 agents in two shifts (30 at a time) could not keep up: the queues people met.
    const input = { arrivalsPerHour: 511_000 / 30 / 12, handlingSeconds: 240, targetSeconds: 60, serviceLevel: 0.8, availability: 0.85 }
    const need = agentsNeeded(input)
    expect(need.onPhones).toBeGreaterThan(95)
    expect(need.scheduled).toBeGreaterThan(need.onPhones)
    expect(serviceLevelWith(30, input)).toBe(0)
  })
})
