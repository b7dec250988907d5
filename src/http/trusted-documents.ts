import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { PersistedOperationOptions } from './storefront-operations.js';

const MANIFEST_FILE = 'trusted-documents.json';

/**
 * The web console's operations, from the manifest `npm run build` writes next
 * to the console; each hash is checked against its text, so an edited file
 * can't smuggle in a different document under a listed hash. Empty when the
 * console is not built.
 */
export function loadTrustedDocuments(distDir: string, logger: Logger): Map<string, string> {
  const file = path.join(distDir, MANIFEST_FILE);
  let entries: Array<{ sha256Hash?: unknown; document?: unknown }>;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as typeof entries;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`${file} is not a trusted-documents manifest: ${(error as Error).message}`);
    logger.warn({ file }, 'No trusted-documents manifest (run npm run build); the web console can run no operation in production');
    return new Map();
  }
  const documents = new Map<string, string>();
  for (const { sha256Hash, document } of entries) {
    if (typeof document !== 'string' || createHash('sha256').update(document).digest('hex') !== sha256Hash) {
      throw new Error(`${file} lists a document whose text does not match its sha256Hash; rebuild it with npm run build.`);
    }
    documents.set(sha256Hash, document);
  }
  return documents;
}

/**
 * In production only trusted documents run, except for the callers on
 * TRUSTED_DOCUMENTS_ALLOW_CLIENTS (by token subject or client id), who may
 * send any document; elsewhere everyone may (the README's curl examples).
 */
export function trustedDocumentPolicy(
  config: Config,
  documents: ReadonlyMap<string, string>,
  caller: (request: Request) => Promise<{ subject: string; clientId: string | null } | null>,
): PersistedOperationOptions {
  if (config.NODE_ENV !== 'production') return { documents };
  const allowed = new Set(config.TRUSTED_DOCUMENTS_ALLOW_CLIENTS);
  return {
    documents,
    allowText: async (request) => {
      if (allowed.size === 0) return false;
      const claims = await caller(request).catch(() => null);
      return claims !== null && (allowed.has(claims.subject) || (claims.clientId !== null && allowed.has(claims.clientId)));
    },
  };
}
