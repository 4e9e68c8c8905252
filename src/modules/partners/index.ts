/** Partners (platforms and training providers), their credentials and the signed partner API. */
export * from './signature.ts'
export * from './partners.service.ts'
export { keepRawJson, partnerAuthenticator, registerPartnerApiRoutes, SIGNING_DOC } from './partners.http.ts'
export { registerPartnerPages } from './partners.pages.tsx'
export type { PartnerKind } from './partners.tables.ts'
