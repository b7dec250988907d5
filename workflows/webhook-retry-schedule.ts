export interface WebhookRetryPolicy {
  initialSeconds: number;
  maxIntervalSeconds: number;
  /** Attempts go on this long after the series began; the last falls at its end. */
  windowSeconds: number;
}

/**
 * The wait before the next attempt after `failedAttempts` failures, `elapsedMs`
 * into the series: doubling from the initial wait up to the longest, cut short
 * so that one last attempt falls exactly at the window's end; null once an
 * attempt has started at or after that end. `attemptStartedMs` is when the
 * failed attempt began (default: now): an attempt that began before the end
 * and failed after it (a slow receiver, a busy worker) is followed by one
 * more at once, so the last attempt never falls short of the window.
 */
export function nextAttemptDelayMs(
  failedAttempts: number,
  elapsedMs: number,
  policy: WebhookRetryPolicy,
  attemptStartedMs = elapsedMs,
): number | null {
  const windowMs = policy.windowSeconds * 1000;
  if (attemptStartedMs >= windowMs) return null;
  const backoffMs = Math.min(policy.initialSeconds * 1000 * 2 ** Math.max(0, failedAttempts - 1), policy.maxIntervalSeconds * 1000);
  return Math.max(0, Math.min(backoffMs, windowMs - elapsedMs));
}
