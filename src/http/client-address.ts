import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** false: the socket's peer is the client; a number: that many proxy hops in front; a list: the proxies' addresses or CIDRs. */
export type TrustProxy = false | number | string[];

interface PeerInfo {
  headers: { 'x-forwarded-for'?: string };
  socket: { remoteAddress?: string };
}

/**
 * The client's address: the socket's peer, or, behind trusted proxies, the
 * rightmost X-Forwarded-For entry that no trusted proxy wrote. Entries to its
 * left are whatever the client chose to send, so they are never believed.
 */
export function clientAddressResolver(trust: TrustProxy): (forwardedFor: string | null, peer: string | undefined) => string {
  const trusted =
    trust === false ? () => false : typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyaddr.compile(trust);
  return (forwardedFor, peer) => {
    if (!peer) return 'unknown';
    const request: PeerInfo = { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, socket: { remoteAddress: peer } };
    return proxyaddr(request as never, trusted);
  };
}

/**
 * The rate-limit key of an address. An IPv6 client usually holds a whole /64
 * and can pick any address in it, so the /64 is the client; IPv4-mapped IPv6
 * addresses count as their IPv4 address. Unparseable values (a proxy wrote
 * garbage) are keyed as they are.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}

/** True for a proxy list entry proxy-addr understands: an address, a CIDR, or one of its named ranges. */
export function isProxyEntry(entry: string): boolean {
  return ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry);
}
