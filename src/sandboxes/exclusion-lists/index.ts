/** The sandbox exclusion lists (ASN, TNI, Polri, village officials, state officials, other programmes). */
export { createSandboxExclusionLists } from './exclusion-lists.ts'
