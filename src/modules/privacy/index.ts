export { registerPrivacyRoutes } from './privacy.pages.tsx'
export { exportMyData } from './privacy.service.ts'
