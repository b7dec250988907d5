import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Secrets that sign now: the current one and, during a rotation's overlap, the one it replaced. */
export function signingSecrets(secrets: Array<{ secret: string; createdAt: Date; retiresAt: Date | null }>, now: Date): string[] {
  return secrets
    .filter((s) => s.retiresAt === null || s.retiresAt > now)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((s) => s.secret);
}

/**
 * The three Standard Webhooks headers. Every signing secret signs, space
 * separated, so a receiver holding either the old or the new secret verifies.
 */
export function signatureHeaders(secrets: string[], messageId: string, timestamp: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' '),
  };
}
