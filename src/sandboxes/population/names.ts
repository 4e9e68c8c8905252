/**
 * Full names by naming tradition, birth cohort and religion. A family name appears only
 * where the tradition has one (Batak marga, eastern Christian and Chinese-Indonesian
 * family names); children inherit it from their father.
 */
import type { Rng } from './prng.ts'
import { BALINESE, BATAK, CHINESE, CHRISTIAN, ISLAMIC, JAVANESE, MODERN, SUNDANESE } from './name-parts.ts'
import type { Culture, Religion } from './registry-values.ts'

export type Sex = 'M' | 'F'

export interface NameContext {
  readonly culture: Culture
  readonly religion: Religion
  readonly provinceCode: string
  readonly birthYear: number
  readonly sex: Sex
  /** The family name or marga the person carries, or null where the tradition has none. */
  readonly familyName: string | null
  /** 1 for a first child; Balinese names say it. */
  readonly birthOrder: number
}

const isChristian = (r: Religion) => r === 'KRISTEN' || r === 'KATOLIK'

function christianFamilies(provinceCode: string): readonly string[] | null {
  return CHRISTIAN.familyByProvince[provinceCode.startsWith('9') ? '9x' : provinceCode] ?? null
}

/** The family name a new family line carries, or null where the tradition has none. */
export function newFamilyName(rng: Rng, culture: Culture, religion: Religion, provinceCode: string, avoid?: string | null): string | null {
  let pool: readonly string[] | null = null
  if (culture === 'batak') pool = religion === 'ISLAM' ? BATAK.margaMuslim : BATAK.marga
  else if (culture === 'chinese') pool = CHINESE.family
  else if (culture === 'christian') pool = christianFamilies(provinceCode)
  if (!pool) return null
  let name = rng.pick(pool)
  // Batak marriages are exogamous: a wife of the husband's own marga would be a mistake.
  for (let i = 0; i < 4 && name === avoid; i++) name = rng.pick(pool)
  return name
}

function modern(rng: Rng, sex: Sex): string {
  const m = sex === 'M'
  const first = rng.pick(m ? MODERN.maleFirst : MODERN.femaleFirst)
  const last = rng.pick(m ? MODERN.maleLast : MODERN.femaleLast)
  return rng.chance(0.55) ? `${first} ${rng.pick(m ? MODERN.maleMiddle : MODERN.femaleMiddle)} ${last}` : `${first} ${last}`
}

function javanese(rng: Rng, ctx: NameContext): string {
  const m = ctx.sex === 'M'
  if (isChristian(ctx.religion) && rng.chance(0.6)) {
    return `${rng.pick(m ? CHRISTIAN.maleGiven : CHRISTIAN.femaleGiven)} ${rng.pick(m ? JAVANESE.maleLast : JAVANESE.femaleLast)}`
  }
  if (ctx.birthYear >= 1995 && rng.chance(0.8)) return modern(rng, ctx.sex)
  const single = ctx.birthYear < 1970 ? 0.6 : 0.25
  if (rng.chance(single)) return rng.pick(m ? JAVANESE.maleSingle : JAVANESE.femaleSingle)
  return `${rng.pick(m ? JAVANESE.maleFirst : JAVANESE.femaleFirst)} ${rng.pick(m ? JAVANESE.maleLast : JAVANESE.femaleLast)}`
}

function sundanese(rng: Rng, ctx: NameContext): string {
  const m = ctx.sex === 'M'
  if (ctx.birthYear >= 1995 && rng.chance(0.7)) return modern(rng, ctx.sex)
  const first = rng.pick(m ? SUNDANESE.maleFirst : SUNDANESE.femaleFirst)
  return rng.chance(0.8) ? `${first} ${rng.pick(m ? SUNDANESE.maleLast : SUNDANESE.femaleLast)}` : first
}

function islamic(rng: Rng, ctx: NameContext): string {
  const m = ctx.sex === 'M'
  let name: string
  if (ctx.birthYear >= 1995 && rng.chance(0.35)) name = modern(rng, ctx.sex)
  else if (rng.chance(0.25)) name = rng.pick(m ? ISLAMIC.maleSingle : ISLAMIC.femaleSingle)
  else name = `${rng.pick(m ? ISLAMIC.maleFirst : ISLAMIC.femaleFirst)} ${rng.pick(m ? ISLAMIC.maleLast : ISLAMIC.femaleLast)}`
  return ctx.provinceCode === '73' && rng.chance(0.05) ? `${ISLAMIC.nobleSulawesi} ${name}` : name
}

function batak(rng: Rng, ctx: NameContext): string {
  const m = ctx.sex === 'M'
  const given =
    ctx.religion === 'ISLAM'
      ? rng.pick(m ? ISLAMIC.maleLast : ISLAMIC.femaleLast)
      : rng.pick(m ? BATAK.maleGiven : BATAK.femaleGiven)
  if (!ctx.familyName) return given
  // A woman's marga is often written after "BR." (boru, daughter of).
  return m || rng.chance(0.5) ? `${given} ${ctx.familyName}` : `${given} BR. ${ctx.familyName}`
}

function balinese(rng: Rng, ctx: NameContext): string {
  const orders = ctx.sex === 'M' ? BALINESE.orderMale : BALINESE.orderFemale
  const order = orders[(ctx.birthOrder - 1) % orders.length] ?? orders[0] ?? ['I']
  return `${rng.pick(order)} ${rng.pick(ctx.sex === 'M' ? BALINESE.maleGiven : BALINESE.femaleGiven)}`
}

function christian(rng: Rng, ctx: NameContext): string {
  const pool = ctx.sex === 'M' ? CHRISTIAN.maleGiven : CHRISTIAN.femaleGiven
  const given = rng.chance(0.35) ? `${rng.pick(pool)} ${rng.pick(pool)}` : rng.pick(pool)
  return ctx.familyName ? `${given} ${ctx.familyName}` : given
}

function chinese(rng: Rng, ctx: NameContext): string {
  const given = rng.pick(ctx.sex === 'M' ? CHINESE.maleGiven : CHINESE.femaleGiven)
  return ctx.familyName ? `${given} ${ctx.familyName}` : given
}

export function personName(rng: Rng, ctx: NameContext): string {
  // A Muslim family in a mostly Christian or Hindu tradition names its children the Islamic way.
  if (ctx.religion === 'ISLAM' && (ctx.culture === 'christian' || ctx.culture === 'balinese')) return islamic(rng, ctx)
  switch (ctx.culture) {
    case 'javanese':
      return javanese(rng, ctx)
    case 'sundanese':
      return sundanese(rng, ctx)
    case 'islamic':
      return islamic(rng, ctx)
    case 'batak':
      return batak(rng, ctx)
    case 'balinese':
      return balinese(rng, ctx)
    case 'christian':
      return christian(rng, ctx)
    case 'chinese':
      return chinese(rng, ctx)
  }
}
