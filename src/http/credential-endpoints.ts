import type { Plugin } from 'graphql-yoga';
import { STATUS_PURPOSES, signStatusList, type StatusPurpose } from '../credentials/badge-credentials.js';
import { statusListIndexes } from '../services/badges.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * What storefronts need to verify badge credentials offline: the service's
 * public keys, and the signed status lists that say which badges are revoked
 * or suspended. The lists may be cached for STATUS_LIST_MAX_AGE_SECONDS, which
 * bounds how late a storefront learns of a revocation.
 */
export function useCredentialEndpoints(deps: ServiceDeps): Plugin {
  const maxAge = deps.config.STATUS_LIST_MAX_AGE_SECONDS;
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/.well-known/jwks.json') {
        return endResponse(
          new Response(JSON.stringify({ keys: [deps.signingKey.publicJwk] }), {
            headers: {
              'content-type': 'application/jwk-set+json',
              'cache-control': 'public, max-age=3600',
              'access-control-allow-origin': '*',
            },
          }),
        );
      }
      const match = /^\/status\/badges\/([a-z]+)$/.exec(url.pathname);
      if (!match) return;
      const purpose = match[1] as StatusPurpose;
      if (!STATUS_PURPOSES.includes(purpose)) {
        return endResponse(new Response(`No status list "${purpose}"; there are: ${STATUS_PURPOSES.join(', ')}.`, { status: 404 }));
      }
      const list = await signStatusList(
        deps.signingKey,
        deps.config.PUBLIC_BASE_URL,
        purpose,
        await statusListIndexes(deps, purpose),
        deps.clock(),
        maxAge,
      );
      endResponse(
        new Response(list, {
          headers: {
            'content-type': 'application/vc+jwt',
            'cache-control': `public, max-age=${maxAge}`,
            'access-control-allow-origin': '*',
          },
        }),
      );
    },
  };
}
