import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isAllowedAddress, type AddressPolicy } from './public-address.js';

// Fetches a small text file from a URL a user named, without letting that user
// aim the service at its own network: every address the host resolves to is
// checked, and the connection is made to the address that was checked (no
// second lookup a rebinding DNS server could answer differently). Redirects
// are followed only within the same origin; the time and the size are capped.

export interface SafeFetchOptions extends AddressPolicy {
  timeoutMs: number;
  maxBytes: number;
  /** Same-origin redirects followed at most. */
  maxRedirects?: number;
}

export interface SafeFetchResult {
  status: number;
  body: string;
}

/** A fetch refused or failed; the message is meant for the person who named the URL. */
export class SafeFetchError extends Error {}

const USER_AGENT = 'brand-auth-origin-check/1';

/** A `lookup` for http.request that answers only with addresses the policy allows. */
export function checkedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(new SafeFetchError(`${hostname} could not be resolved (${error.code ?? error.message}).`), '', 4);
      // Every address must pass: a host that also resolves to a private one is refused, whichever would be dialed.
      const refused = addresses.find((a) => !isAllowedAddress(a.address, policy));
      if (addresses.length === 0 || refused) {
        return callback(new SafeFetchError(`${hostname} resolves to an address that is not on the public internet.`), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function getOnce(url: URL, options: SafeFetchOptions, deadline: number): Promise<{ status: number; location?: string; body: string }> {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  // Addresses written in the URL are never looked up, so they are checked here.
  if (isIP(hostname) && !isAllowedAddress(hostname, options)) {
    return Promise.reject(new SafeFetchError(`${hostname} is not an address on the public internet.`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const giveUp = (error: SafeFetchError) => {
      settle(() => reject(error));
      request.destroy();
    };
    const request = client.request(
      url,
      {
        method: 'GET',
        agent: false,
        lookup: checkedLookup(options),
        headers: { 'user-agent': USER_AGENT, accept: 'text/plain', 'accept-encoding': 'identity' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          settle(() => resolve({ status, location: response.headers.location, body: '' }));
          request.destroy();
          return;
        }
        const tooLarge = () => new SafeFetchError(`The file is larger than ${options.maxBytes} bytes.`);
        if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) return giveUp(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) giveUp(tooLarge());
          else chunks.push(chunk);
        });
        response.on('end', () => settle(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8') })));
        response.on('error', (error) => settle(() => reject(new SafeFetchError(connectionProblem(url, error)))));
      },
    );
    const timer = setTimeout(
      () => giveUp(new SafeFetchError(`${url.origin} did not answer within ${options.timeoutMs} ms.`)),
      Math.max(1, deadline - Date.now()),
    );
    request.on('error', (error) =>
      settle(() => reject(error instanceof SafeFetchError ? error : new SafeFetchError(connectionProblem(url, error)))),
    );
    request.end();
  });
}

function connectionProblem(url: URL, error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return `${url.origin} refused the connection.`;
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT'))
    return `${url.origin} has no valid TLS certificate (${error.code}).`;
  return `${url.origin} could not be reached (${error.code ?? 'connection failed'}).`;
}

/** GETs `target`; throws SafeFetchError when refused, unreachable, too slow, too large or redirected elsewhere. */
export async function safeFetchText(target: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const deadline = Date.now() + options.timeoutMs;
  let url = new URL(target);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SafeFetchError('Only http and https URLs are fetched.');
  const origin = url.origin;
  for (let redirects = 0; ; redirects += 1) {
    const answer = await getOnce(url, options, deadline);
    if (answer.location === undefined && !(answer.status >= 300 && answer.status < 400)) return answer;
    if (redirects >= (options.maxRedirects ?? 3)) throw new SafeFetchError(`${origin} redirected too many times.`);
    const next = answer.location ? new URL(answer.location, url) : null;
    if (!next || next.origin !== origin)
      throw new SafeFetchError(`${origin} redirected to another site; the file must be served by the origin itself.`);
    url = next;
  }
}
