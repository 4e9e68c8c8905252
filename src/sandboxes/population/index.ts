export {
  generateHouseholds,
  generatePeople,
  DEFAULT_AS_OF,
  type PopulationOptions,
  type Household,
  type Person,
  type Address,
  type EligibilityFlags,
  type Sex,
} from './population.ts'
export { createRng, type Rng } from './prng.ts'
export {
  RELIGIONS,
  OCCUPATIONS,
  EDUCATION_LEVELS,
  MARITAL_STATUSES,
  RELATIONSHIPS,
  type Religion,
  type Occupation,
  type Education,
  type MaritalStatus,
  type Relationship,
  type EmploymentStatus,
  type OtherProgramme,
} from './registry-values.ts'
