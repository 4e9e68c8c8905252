/** The mail module's only public door: outbox, in-app inbox and their delivery. */
export {
  createMail,
  listOutbox,
  getOutbox,
  listInbox,
  countUnread,
  markInboxRead,
  DELIVER_JOB,
  type Mail,
  type MailDeps,
  type MailMessage,
  type OutboxRow,
  type InboxRow,
} from './mail.service.ts'
export { createTransport, type Transport, type TransportOptions, type OutgoingMessage, type Delivery } from './transport.ts'
