export interface WebhookRetryPolicy {
  initialSeconds: number;
  maxIntervalSeconds: number;
  /** Attempts go on this long after the series began; the last falls at its end. */
  windowSeconds: number;
}

/**
 * The wait before the next attempt after `failedAttempts` failures, `elapsedMs`
 * into the series: doubling from the initial wait up to the longest, cut short
 * so that one last attempt falls exactly at the window's end; null once the window is over.
 */
export function nextAttemptDelayMs(failedAttempts: number, elapsedMs: number, policy: WebhookRetryPolicy): number | null {
  const windowMs = policy.windowSeconds * 1000;
  if (elapsedMs >= windowMs) return null;
  const backoffMs = Math.min(policy.initialSeconds * 1000 * 2 ** Math.max(0, failedAttempts - 1), policy.maxIntervalSeconds * 1000);
  return Math.min(backoffMs, windowMs - elapsedMs);
}
