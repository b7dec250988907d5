import type { Plugin } from 'graphql-yoga';
import {
  STATUS_PURPOSES,
  legacyStatusListUrl,
  signStatusList,
  statusListUrl,
  type StatusPurpose,
} from '../credentials/badge-credentials.js';
import { statusListContent } from '../services/status-lists.js';
import type { ServiceDeps } from '../services/service-deps.js';

/**
 * What storefronts need to verify badge credentials offline: the service's
 * public keys, and the signed status lists that say which badges are revoked
 * or suspended (/status/badges/<purpose>/<list id>, one per shard). A list may
 * be cached for STATUS_LIST_MAX_AGE_SECONDS, which bounds how late a storefront
 * learns of a revocation, and its signature expires as its cache time ends.
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
      const match = /^\/status\/badges\/([a-z]+)(?:\/(0|[1-9]\d{0,8}))?$/.exec(url.pathname);
      if (!match) return;
      const purpose = match[1] as StatusPurpose;
      if (!STATUS_PURPOSES.includes(purpose)) {
        return endResponse(new Response(`No status list "${purpose}"; there are: ${STATUS_PURPOSES.join(', ')}.`, { status: 404 }));
      }
      // Without a list id: the URL credentials named before lists were sharded, which is list 0.
      const listId = match[2] === undefined ? 0 : Number(match[2]);
      const content = await statusListContent(deps, listId, purpose);
      if (!content) return endResponse(new Response(`No ${purpose} status list ${listId}.`, { status: 404 }));
      const base = deps.config.PUBLIC_BASE_URL;
      const list = await signStatusList(deps.signingKey, base, {
        url: match[2] === undefined ? legacyStatusListUrl(base, purpose) : statusListUrl(base, purpose, listId),
        purpose,
        size: content.size,
        setIndexes: content.setIndexes,
        now: deps.clock(),
        maxAgeSeconds: maxAge,
      });
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
