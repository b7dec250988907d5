import { isIP } from 'node:net';
import { addressKind, isLoopbackHostname, type AddressPolicy } from './public-address.js';

// A store's web address is an origin (scheme://host[:port]), as browsers
// compare them: what a storefront widget checks the page against.

export const ORIGIN_MAX_LENGTH = 255;

export type ParsedOrigin = { ok: true; origin: string; hostname: string } | { ok: false; message: string };

const refuse = (message: string): ParsedOrigin => ({ ok: false, message });

/**
 * The origin a store may claim: https (http only for loopback hosts when
 * loopback is allowed), a host name with a dot or a public IP address, no
 * credentials, path, query or fragment.
 */
export function parseStoreOrigin(input: string, policy: AddressPolicy): ParsedOrigin {
  const text = input.trim();
  if (text.length === 0) return refuse('Give an origin like https://shop.example.');
  if (text.length > ORIGIN_MAX_LENGTH) return refuse(`An origin has at most ${ORIGIN_MAX_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('This is not a URL; give an origin like https://shop.example.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('An origin starts with https://.');
  if (url.username || url.password) return refuse('An origin has no user name or password.');
  if (url.pathname !== '/' || url.search || url.hash)
    return refuse(`Give the origin alone (${url.origin}), without a path, query or fragment.`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = isLoopbackHostname(hostname);
  if (loopback && !policy.allowLoopback) return refuse('A loopback address (localhost) is not a public web site.');
  if (url.protocol === 'http:' && !loopback) return refuse('A store origin uses https://.');
  if (!loopback) {
    if (isIP(hostname) && addressKind(hostname) !== 'public') return refuse('This address is not on the public internet.');
    if (!isIP(hostname) && !hostname.includes('.')) return refuse('The host must be a full domain name, like shop.example.');
  }
  return { ok: true, origin: url.origin, hostname };
}

/**
 * The origin of a URL someone pasted ("https://shop.example/p/1",
 * "shop.example/p/1"), or null when it is none. A URL without a scheme is
 * taken as https.
 */
export function originOfUrl(input: string): string | null {
  const text = input.trim();
  if (text.length === 0 || text.length > 2048 || /\s/.test(text)) return null;
  // "mailto:…", "javascript:…": a scheme that is no web address. "localhost:3000" is a host and port.
  if (/^[a-z][a-z0-9+.-]*:(?!\/\/|\d)/i.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username || url.password) return null;
  return url.origin;
}
