import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** State of the local components (databases of Temporal and MinIO, logs, dev secrets); never committed. */
export const dataDir = path.join(projectRoot, '.data');

export const prismaCli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');

export const defaultCacheDir = () =>
  process.env.BRAND_AUTH_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'brand-auth', 'bin');
