export { registerAccountRoutes } from './accounts.pages.tsx'
export { hashPassword } from './passwords.ts'
export { insertAccountIfAbsent, findAccountById, countAccountsByRole } from './accounts.repository.ts'
export { ROLES, type Role } from './accounts.tables.ts'
