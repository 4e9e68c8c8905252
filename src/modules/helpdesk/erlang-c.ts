/**
 * Erlang C staffing: how many agents a shift needs so that a share of contacts is answered
 * within a target time, from the arrival rate and the average handling time. Pure.
 */

/** Erlang B by its stable recurrence, then Erlang C from it: the chance a contact must wait. */
export function probabilityOfWaiting(agents: number, trafficErlangs: number): number {
  if (agents <= trafficErlangs) return 1
  let b = 1
  for (let k = 1; k <= agents; k++) b = (trafficErlangs * b) / (k + trafficErlangs * b)
  const rho = trafficErlangs / agents
  return b / (1 - rho * (1 - b))
}

export interface StaffingInput {
  /** Contacts arriving per hour. */
  readonly arrivalsPerHour: number
  /** Average handling time in seconds (talk or writing plus wrap-up). */
  readonly handlingSeconds: number
  /** Answer within this many seconds… */
  readonly targetSeconds: number
  /** …for at least this share (0–1). */
  readonly serviceLevel: number
  /** Share of paid time an agent is actually available (breaks, training); 1 = none lost. */
  readonly availability?: number
}

export function trafficOf(input: Pick<StaffingInput, 'arrivalsPerHour' | 'handlingSeconds'>): number {
  return (input.arrivalsPerHour * input.handlingSeconds) / 3600
}

/** Share answered within the target with this many agents. */
export function serviceLevelWith(agents: number, input: StaffingInput): number {
  const a = trafficOf(input)
  if (agents <= a) return 0
  const pw = probabilityOfWaiting(agents, a)
  return 1 - pw * Math.exp((-(agents - a) * input.targetSeconds) / input.handlingSeconds)
}

export function averageSpeedOfAnswer(agents: number, input: StaffingInput): number {
  const a = trafficOf(input)
  if (agents <= a) return Infinity
  return (probabilityOfWaiting(agents, a) * input.handlingSeconds) / (agents - a)
}

/** The fewest agents meeting the service level, then grossed up for availability. */
export function agentsNeeded(input: StaffingInput): { onPhones: number; scheduled: number; serviceLevel: number } {
  const a = trafficOf(input)
  let n = Math.max(1, Math.floor(a) + 1)
  while (serviceLevelWith(n, input) < input.serviceLevel) n++
  return { onPhones: n, scheduled: Math.ceil(n / (input.availability ?? 1)), serviceLevel: serviceLevelWith(n, input) }
}
