/** Completion: assignments, completions, verification by rules, review queue, certificates, ratings (issue #7). */
export * from './learning.service.ts'
export { registerLearningApi, learningDeps, MAX_ROWS, BULK_BODY_LIMIT } from './learning.api.ts'
export { registerLearningPages, LearningPanel } from './learning.pages.tsx'
export { initials, newCertificateNumber, parseRow } from './rows.ts'
export { loadCompletionRules } from './rules.repository.ts'
export { surveysAnsweredBy, type SurveyAnswered } from './surveys.repository.ts'
export { SURVEYS, type SurveyId } from './surveys.ts'
export { checkCertificate, type PublicView } from './certificate.service.ts'
