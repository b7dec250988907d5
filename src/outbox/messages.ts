/** What a workflow is told once the change that calls for it has committed. */
export type WorkflowMessage =
  /** Signal-with-start: the brand's timer follows its trademarks. */
  | { kind: 'brandTrademarksChanged'; brandId: string }
  /** Starts the badge's timers. */
  | { kind: 'badgeIssued'; badgeId: string; expiresAt: string; reminderLeadSeconds: number }
  | { kind: 'badgeRevoked'; badgeId: string }
  | { kind: 'badgeSuspended'; badgeId: string; until: string; reason: string }
  | { kind: 'badgeRestored'; badgeId: string }
  /** Starts one series of attempts of a webhook delivery; series 0 is the first, each replay the next. */
  | { kind: 'webhookDelivery'; deliveryId: string; series: number }
  /** A renewal moved the badge's expiry forward: its timers follow. */
  | { kind: 'badgeRenewed'; badgeId: string; expiresAt: string }
  /** A renewed letter's badge took over from this one, which ended: its timers stop. */
  | { kind: 'badgeSuperseded'; badgeId: string };

export type WorkflowMessageKind = WorkflowMessage['kind'];

export const brandWorkflowId = (brandId: string) => `brand-verification-${brandId}`;
export const badgeWorkflowId = (badgeId: string) => `badge-lifecycle-${badgeId}`;
/** One workflow per delivery (and per replay of it), so a message delivered twice starts it once. */
export const webhookDeliveryWorkflowId = (deliveryId: string, series: number) =>
  series === 0 ? `webhook-delivery-${deliveryId}` : `webhook-delivery-${deliveryId}-replay-${series}`;

/** The workflow a message is for: one id per brand or badge, so a message delivered twice finds the same workflow. */
export function workflowIdOf(message: WorkflowMessage): string {
  if (message.kind === 'webhookDelivery') return webhookDeliveryWorkflowId(message.deliveryId, message.series);
  return message.kind === 'brandTrademarksChanged' ? brandWorkflowId(message.brandId) : badgeWorkflowId(message.badgeId);
}
