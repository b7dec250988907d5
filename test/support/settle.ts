/**
 * How long a test waits for what happens after an answer (a webhook delivery,
 * the log's relay, a cache refilled after an invalidation): well within this
 * even on a loaded two-core machine, where vi.waitFor's default of 1 s is not.
 */
export const SETTLES = { timeout: 15_000, interval: 50 };
