/** The registration module's public door. */
export { registerRegistrationRoutes } from './registration.pages.tsx'
export { profileView, type ProfileView } from './registration.service.ts'
export { STEPS, type Step } from './registration.tables.ts'
export { checkNik } from './nik.ts'
export { checkKk } from './kk.ts'
export { checkAge, ageOn } from './age.ts'
export { todayInJakarta } from './dates.ts'
export { historyOf as profileHistory } from './registration.repository.ts'
