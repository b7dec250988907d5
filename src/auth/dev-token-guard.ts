// Whoever knows the HS256 secret can mint a token with any role, ADMIN
// included. So dev tokens are accepted only where that can't hurt: a
// development or test process listening on loopback, with a secret that isn't
// a placeholder. These rules run at config load, before anything listens.

type Env = Record<string, string | undefined>;

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

// Values people paste from examples. Prefix matches, except "change me", which
// is matched anywhere; none of them is likely inside a random value.
const PLACEHOLDER =
  /change[-_. ]?me|^(replace[-_. ]?me|placeholder|example|your[-_. ]|secret|password|dev[-_. ]?secret|test[-_. ]?secret)/i;

/** Bits of entropy estimated from the value's own character frequencies. */
export function estimatedEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * value.length;
}

// 32 random hex characters (128 bits) estimate at about 115; a repeated or
// dictionary-like value falls far below.
const MIN_ENTROPY_BITS = 96;
const MIN_DISTINCT_CHARACTERS = 10;

/** Why a secret can't be used, or null. Length is checked by the schema. */
export function secretProblem(name: string, value: string): string | null {
  if (value.length < 32) return null;
  const advice = 'use a random value, e.g. the output of `openssl rand -base64 32`';
  if (PLACEHOLDER.test(value)) return `${name} is a placeholder; ${advice}`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS || estimatedEntropyBits(value) < MIN_ENTROPY_BITS) {
    return `${name} is too predictable (repeated or few distinct characters); ${advice}`;
  }
  return null;
}

const ENABLED = new Set(['true', '1']);

/** Problems with the token settings, reported with the rest of the config's. */
export function authModeProblems(env: Env): string[] {
  const problems: string[] = [];
  const mode = env.AUTH_MODE ?? 'hs256';
  const host = env.HOST ?? '127.0.0.1';
  if (mode === 'hs256' && !isLoopbackHost(host) && !ENABLED.has(env.AUTH_HS256_ALLOW_NON_LOOPBACK ?? '')) {
    problems.push(
      `AUTH_MODE=hs256 (the default) accepts dev tokens anyone with the secret can mint with any role, so it needs HOST on loopback (127.0.0.1, ::1 or localhost), not ${host}. ` +
        "Use AUTH_MODE=jwks with your identity provider; only inside a container whose port is published on the host's loopback, set AUTH_HS256_ALLOW_NON_LOOPBACK=true.",
    );
  }
  if (mode === 'hs256' && env.AUTH_HS256_SECRET) {
    const problem = secretProblem('AUTH_HS256_SECRET', env.AUTH_HS256_SECRET);
    if (problem) problems.push(problem);
  }
  if (env.PRODUCT_CODE_HMAC_SECRET) {
    const problem = secretProblem('PRODUCT_CODE_HMAC_SECRET', env.PRODUCT_CODE_HMAC_SECRET);
    if (problem) problems.push(problem);
  }
  return problems;
}
