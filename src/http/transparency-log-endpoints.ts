import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Plugin } from 'graphql-yoga';
import type { ServiceDeps } from '../services/service-deps.js';
import { badgeGrantProof } from '../transparency/badge-proofs.js';
import { logIdentity } from '../transparency/log-keys.js';
import { CHECKPOINT_PATH, LOG_PREFIX, isFullTilePath } from '../transparency/log-storage.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMMUTABLE = 'public, max-age=604800, immutable';
const REVALIDATE = 'no-cache';

/** A badge id as the API hands it out (a global id), or the bare id an entry names. */
function badgeRowId(value: string): string | null {
  if (UUID.test(value)) return value;
  try {
    const { typename, id } = decodeGlobalID(value);
    return typename === 'Badge' && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

const text = (body: string | Buffer, status: number, cache: string, type = 'text/plain; charset=utf-8') =>
  new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    status,
    headers: { 'content-type': type, 'cache-control': cache, 'access-control-allow-origin': '*' },
  });

/**
 * The transparency log, read-only, at the paths it is stored at: /tlog/checkpoint,
 * /tlog/tile/… (full tiles never change; partial tiles and the checkpoint do),
 * the log's verifier key at /tlog/vkey, and a badge grant's tlog-proof.
 */
export function useTransparencyLogEndpoints(deps: ServiceDeps): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      const path = url.pathname;
      const proofMatch = /^\/badges\/([^/]+)\/tlog-proof$/.exec(path);
      if (proofMatch) {
        const id = badgeRowId(decodeURIComponent(proofMatch[1]!));
        if (!id) return endResponse(text('This is not a valid badge id.', 404, REVALIDATE));
        const proof = await badgeGrantProof(deps, id);
        return endResponse(proof.ok ? text(proof.proof, 200, REVALIDATE) : text(proof.message, proof.status, REVALIDATE));
      }
      if (!path.startsWith('/tlog/')) return;
      const name = path.slice('/tlog/'.length);
      if (name === 'vkey') {
        const identity = logIdentity(deps.config);
        return endResponse(identity ? text(`${identity.vkey}\n`, 200, 'public, max-age=3600') : text('No log.', 404, REVALIDATE));
      }
      let cache: string;
      if (name === CHECKPOINT_PATH) cache = REVALIDATE;
      else {
        try {
          cache = isFullTilePath(name) ? IMMUTABLE : REVALIDATE;
        } catch {
          return endResponse(text('Not a path of the transparency log.', 404, REVALIDATE));
        }
      }
      const data = await deps.storage.get(LOG_PREFIX + name);
      if (!data) return endResponse(text('Not in the transparency log (yet).', 404, REVALIDATE));
      endResponse(text(data, 200, cache, name === CHECKPOINT_PATH ? 'text/plain; charset=utf-8' : 'application/octet-stream'));
    },
  };
}
