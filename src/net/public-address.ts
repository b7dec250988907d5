import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Which network addresses the service may connect to when it fetches a URL a
// user named (a store's verification file). Only globally routable unicast
// addresses: a user must not make the service reach its own network, cloud
// metadata (169.254.169.254) or anything else behind the firewall.

export interface AddressPolicy {
  /** Loopback addresses too: for development and tests, never in production. */
  allowLoopback: boolean;
}

export type AddressKind = 'public' | 'loopback' | 'non-public' | 'invalid';

/** What an IP address is, IPv4-mapped IPv6 addresses judged as the IPv4 address they carry. */
export function addressKind(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!isIP(bare.split('%')[0]!)) return 'invalid';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(bare);
  } catch {
    return 'invalid';
  }
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  // Private, link-local, carrier-grade NAT, multicast, reserved, and the
  // IPv6 ranges that embed an IPv4 address (6to4, Teredo, NAT64).
  return 'non-public';
}

/** Whether the service may connect to `address` under `policy`. */
export function isAllowedAddress(address: string, policy: AddressPolicy): boolean {
  const kind = addressKind(address);
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback);
}

/** Host names that always mean this machine, whatever DNS says. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || addressKind(host) === 'loopback';
}
