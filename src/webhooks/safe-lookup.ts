import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, resolvedAddressProblem, type UrlRules } from './address-check.js';

export class ForbiddenDestination extends Error {
  override name = 'ForbiddenDestination';
}

/** Every address the host resolves to, checked; throws ForbiddenDestination when one is not allowed. */
export async function resolveAllowed(hostname: string, rules: UrlRules): Promise<Array<{ address: string; family: number }>> {
  const host = bareHost(hostname);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  const problem = resolvedAddressProblem(
    addresses.map((a) => a.address),
    rules,
  );
  if (problem) throw new ForbiddenDestination(problem);
  return addresses;
}

/**
 * A `lookup` for the HTTP client: the connection goes only to addresses just
 * checked, so a name can't pass the check and then resolve elsewhere (DNS rebinding).
 */
export function checkedLookup(rules: UrlRules): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, rules).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 4);
        } else if (options.all) {
          (callback as unknown as (error: null, all: typeof wanted) => void)(null, wanted);
        } else {
          callback(null, wanted[0]!.address, wanted[0]!.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}
