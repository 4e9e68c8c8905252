/** The course catalogue: submission by providers, PMO curation, search, demand. */
export * from './catalogue.rules.ts'
export * from './catalogue.service.ts'
export * from './catalogue.search.ts'
export { seatsTaken, takeSeat, giveSeatBack } from './catalogue.seats.ts'
export { registerCatalogueApi } from './catalogue.api.ts'
export { registerCataloguePages } from './catalogue.pages.tsx'
export { registerCataloguePmoPages } from './catalogue.pmo.pages.tsx'
export type { CourseMode, CourseStatus, ReviewDecision } from './catalogue.tables.ts'
