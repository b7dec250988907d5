import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const configFile = fileURLToPath(new URL('../../src/console/widget/vite.config.ts', import.meta.url));

/** Builds the storefront badge script with its production config into a folder of its own; answers the file's path. */
export async function buildBadgeWidget(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'brand-badge-'));
  await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return path.join(outDir, 'brand-badge.js');
}
