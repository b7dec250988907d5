// Every workflow the worker runs. Workflow code is deterministic and imports
// activities by type only.
export { brandVerificationWorkflow, trademarksChangedSignal } from './brand-verification.workflow.js';
export {
  badgeLifecycleWorkflow,
  badgeRenewedSignal,
  badgeRevokedSignal,
  badgeTimersQuery,
  restoreBadgeSignal,
  suspendBadgeSignal,
} from './badge-lifecycle.workflow.js';
export { complaintWorkflow, complaintWorkflowId } from './complaint.workflow.js';
export * from './complaint-messages.js';
export { PARTY_REVIEWER_MESSAGE, partyOf, type ComplaintParty } from './complaint-parties.js';
export { maintenanceWorkflow, type MaintenanceReport } from './maintenance.workflow.js';
export { webhookDeliveryWorkflow, type WebhookDeliveryInput } from './webhook-delivery.workflow.js';
export { transparencyLogWorkflow, transparencyLogWorkflowId } from './transparency-log.workflow.js';
