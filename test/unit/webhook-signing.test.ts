import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signatureHeaders, signingSecrets } from '../../src/webhooks/signing.js';
import { nextAttemptDelayMs } from '../../workflows/webhook-retry-schedule.js';

const body = JSON.stringify({ type: 'badge.granted', timestamp: '2026-12-06T10:00:00.000Z', data: { badgeId: 'QmFkZ2U6MQ==' } });

describe('webhook signatures', () => {
  it('verify with the Standard Webhooks library', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signatureHeaders([secret], 'evt-1', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
  });

  it('during a rotation carry both signatures, so either secret verifies', () => {
    const now = new Date();
    const old = {
      secret: generateWebhookSecret(),
      createdAt: new Date(now.getTime() - 60_000),
      retiresAt: new Date(now.getTime() + 60_000),
    };
    const current = { secret: generateWebhookSecret(), createdAt: now, retiresAt: null };
    const secrets = signingSecrets([old, current], now);
    expect(secrets).toEqual([current.secret, old.secret]);
    const headers = signatureHeaders(secrets, 'evt-2', now, body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(old.secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(current.secret).verify(body, headers)).toBeTruthy();
  });

  it('after the overlap only the new secret signs', () => {
    const now = new Date();
    const retired = { secret: generateWebhookSecret(), createdAt: new Date(now.getTime() - 120_000), retiresAt: now };
    const current = { secret: generateWebhookSecret(), createdAt: new Date(now.getTime() - 60_000), retiresAt: null };
    expect(signingSecrets([retired, current], now)).toEqual([current.secret]);
  });
});

describe('webhook retry schedule', () => {
  const policy = { initialSeconds: 10, maxIntervalSeconds: 3600, windowSeconds: 86_400 };

  it('doubles from the initial wait up to the longest', () => {
    expect(nextAttemptDelayMs(1, 0, policy)).toBe(10_000);
    expect(nextAttemptDelayMs(2, 10_000, policy)).toBe(20_000);
    expect(nextAttemptDelayMs(5, 300_000, policy)).toBe(160_000);
    expect(nextAttemptDelayMs(20, 3_600_000, policy)).toBe(3_600_000);
  });

  it('places the last attempt at the end of the window, then stops', () => {
    expect(nextAttemptDelayMs(30, 86_400_000 - 1000, policy)).toBe(1000);
    expect(nextAttemptDelayMs(31, 86_400_000, policy)).toBeNull();
  });

  it('follows an attempt that began before the end and failed after it with one more at once', () => {
    // Began 2 s before the end, answered (or timed out) 3 s later.
    expect(nextAttemptDelayMs(31, 86_401_000, policy, 86_398_000)).toBe(0);
    expect(nextAttemptDelayMs(31, 86_399_500, policy, 86_398_000)).toBe(500);
    expect(nextAttemptDelayMs(32, 86_401_200, policy, 86_401_000)).toBeNull();
  });

  it('with the defaults keeps trying for a whole day', () => {
    let elapsed = 0;
    let attempts = 1;
    for (let delay = nextAttemptDelayMs(attempts, elapsed, policy); delay !== null; delay = nextAttemptDelayMs(attempts, elapsed, policy)) {
      elapsed += delay;
      attempts += 1;
    }
    expect(elapsed).toBe(86_400_000);
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });
});
