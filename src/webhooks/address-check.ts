import { isIP } from 'node:net';
import { addressKind } from '../net/public-address.js';

// Webhook URLs are chosen by brands and stores, and the worker requests them:
// outside development they must not reach the service's own network (private,
// loopback, link-local, cloud metadata, and every other special-purpose range).

/** Only globally routable unicast addresses, judged as for every URL a user names (src/net/public-address.ts). */
export const isPublicAddress = (address: string): boolean => addressKind(address) === 'public';

export interface UrlRules {
  /** Production: https only, public addresses only. Development and tests deliver to receivers on loopback over http. */
  strict: boolean;
}

export const MAX_URL_LENGTH = 2000;

/** Strips the brackets of an IPv6 literal host. */
export const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/** Why the URL can't be an endpoint, from its text alone (no DNS); null when it can. */
export function endpointUrlProblem(raw: string, rules: UrlRules): string | null {
  if (raw.length > MAX_URL_LENGTH) return `A webhook URL has at most ${MAX_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'This is not a valid URL.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !rules.strict)) return 'A webhook URL must use https.';
  if (url.username || url.password) return 'A webhook URL may not hold credentials; authenticate deliveries by their signature.';
  const host = bareHost(url.hostname);
  if (!host) return 'A webhook URL needs a host.';
  if (rules.strict) {
    if (isIP(host) && !isPublicAddress(host)) return 'A webhook URL must not point to a private, loopback or link-local address.';
    if (host === 'localhost' || host.endsWith('.localhost')) return 'A webhook URL must not point to this machine.';
  }
  return null;
}

/** Why these resolved addresses can't be delivered to; null when every one is allowed. */
export function resolvedAddressProblem(addresses: string[], rules: UrlRules): string | null {
  if (addresses.length === 0) return 'The host of this URL does not resolve.';
  if (rules.strict && addresses.some((address) => !isPublicAddress(address)))
    return 'The host of this URL resolves to a private, loopback or link-local address.';
  return null;
}
