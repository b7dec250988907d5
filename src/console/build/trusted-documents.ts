import { globSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentNode } from '@0no-co/graphql.web';
import { persistedText } from '../app/graphql/document-hash.js';
import { consoleRoot } from './vite-config.js';

export interface TrustedDocument {
  name: string;
  sha256Hash: string;
  document: string;
}

/** Where operations are written; the only place the manifest takes them from. */
export const OPERATION_FILES = 'app/**/*.operations.ts';

const isDocument = (value: unknown): value is DocumentNode =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document';

/**
 * Every operation the console can send, as the API's production allow-list:
 * the exported documents of each `*.operations.ts`, printed the way the
 * browser prints them before hashing.
 */
export async function collectTrustedDocuments(root = consoleRoot): Promise<TrustedDocument[]> {
  const byName = new Map<string, TrustedDocument & { file: string }>();
  for (const file of globSync(OPERATION_FILES, { cwd: root }).sort()) {
    const exports = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exports)) {
      if (!isDocument(value)) continue;
      const operation = value.definitions.find((d) => d.kind === 'OperationDefinition');
      if (!operation) continue; // a fragment: it reaches the API inside the operations that spread it
      const name = operation.name?.value;
      if (!name) throw new Error(`${file}: ${exportName} is an operation without a name; name it (query ${exportName} { … }).`);
      const earlier = byName.get(name);
      if (earlier)
        throw new Error(`${file}: the operation name ${name} is taken already by ${earlier.file}; operation names must be unique.`);
      const document = persistedText(value);
      byName.set(name, { file, name, sha256Hash: createHash('sha256').update(document).digest('hex'), document });
    }
  }
  return [...byName.values()].map(({ name, sha256Hash, document }) => ({ name, sha256Hash, document }));
}
