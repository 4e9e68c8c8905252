export { registerDocumentRoutes } from './documents.pages.tsx'
export { documentsView, type DocumentStatus } from './documents.service.ts'
export type { DocumentsTables, DocumentKind } from './documents.tables.ts'
export { acceptMultipart, type FormFile, type MultipartBody } from './multipart.ts'
