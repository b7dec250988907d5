import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** This checkout's own generated files (dev secrets, test environment, printed schema); never committed. */
export const dataDir = path.join(projectRoot, '.data');

/**
 * Tells this checkout's test database and bucket apart from another checkout's on the same machine,
 * so that two test runs never empty each other's data.
 */
export const checkoutId = createHash('sha256').update(projectRoot).digest('hex').slice(0, 8);

export const prismaCli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');

/**
 * Data, logs and locks of the local Temporal and MinIO servers. They listen on fixed ports, so every
 * checkout of this user shares them, and their state lives outside any checkout: deleting one must
 * not pull the data from under a server the others use.
 */
export function localStateDir(env: NodeJS.ProcessEnv): string {
  if (env.BRAND_AUTH_STATE_DIR) return env.BRAND_AUTH_STATE_DIR;
  return path.join(env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state'), 'brand-auth');
}
