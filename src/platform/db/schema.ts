/**
 * The database as Kysely sees it: every module's tables, each owned by one module
 * and declared in that module's `*.tables.ts`.
 */
import type { PlatformTables } from '../platform.tables.ts'
import type { AccountsTables } from '../../modules/accounts/accounts.tables.ts'
import type { RegistrationTables } from '../../modules/registration/registration.tables.ts'
import type { PrivacyTables } from '../../modules/privacy/privacy.tables.ts'
import type { OnlineTestTables } from '../../modules/registration/online-test.tables.ts'
import type { LedgerTables } from '../../modules/ledger/ledger.tables.ts'
import type { DocumentsTables } from '../../modules/documents/documents.tables.ts'
import type { ReverificationTables } from '../../modules/reverification/reverification.tables.ts'
import type { WavesTables } from '../../modules/waves/waves.tables.ts'
import type { PartnersTables } from '../../modules/partners/partners.tables.ts'
import type { CatalogueTables } from '../../modules/catalogue/catalogue.tables.ts'
import type { PurchasesTables } from '../../modules/purchases/purchases.tables.ts'
import type { LearningTables } from '../../modules/learning/learning.tables.ts'
import type { AssistedTables } from '../../modules/assisted/assisted.tables.ts'
import type { ReportsTables } from '../../modules/reports/reports.tables.ts'
import type { WaitingRoomTables } from '../../modules/waiting-room/waiting-room.tables.ts'
import type { HelpdeskTables } from '../../modules/helpdesk/helpdesk.tables.ts'
import type { IncentivesTables } from '../../modules/incentives/incentives.tables.ts'

export interface DB extends PlatformTables, AccountsTables, LedgerTables, RegistrationTables, PrivacyTables, OnlineTestTables, DocumentsTables, WavesTables, ReverificationTables, PartnersTables, AssistedTables, CatalogueTables, PurchasesTables, LearningTables, ReportsTables, WaitingRoomTables, HelpdeskTables, IncentivesTables {}
