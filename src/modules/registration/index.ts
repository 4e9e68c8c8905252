/** The registration module's public door. */
export { registerRegistrationRoutes } from './registration.pages.tsx'
export { profileView, type ProfileView } from './registration.service.ts'
export { STEPS, type Step } from './registration.tables.ts'
export { checkNik } from './nik.ts'
export { checkKk } from './kk.ts'
export { checkAge, ageOn } from './age.ts'
