// First half of `npm test`: components, a fresh test database, and the
// environment the test suite reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './chromium.js';
import { SetupError, resetDatabase } from './components.js';
import { prepareLocalEnvironment } from './local-environment.js';
import { removeLogObjects } from './log-objects.js';
import { dataDir } from './project-paths.js';
import { ensureTestRedis } from './redis.js';

export const testEnvFile = path.join(dataDir, 'test-env.json');

async function main() {
  const started = Date.now();
  // Tests start from an empty schema so every run sees the same database.
  const log = (line: string) => console.log(line);
  const env = await prepareLocalEnvironment('test', log, { beforeMigrate: resetDatabase });
  // The transparency log starts afresh with the database that holds its indexes.
  await removeLogObjects(env);
  env.TEST_REDIS_URL = await ensureTestRedis(process.env, log);
  await ensureChromium(process.env, log);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(testEnvFile, JSON.stringify(env, null, 2), { mode: 0o600 });
  console.log(`Test environment ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : error);
  process.exit(1);
});
