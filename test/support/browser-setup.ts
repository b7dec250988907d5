import { existsSync } from 'node:fs';
import { buildConsole } from '../../src/console/build/build-console.js';
import { browserConsoleDist, chromiumPath } from './browser.js';

// Once per run: the console as production builds it (persisted hashes, no query texts), served by each file's own API.
export default async function buildConsoleOnce() {
  if (!existsSync(chromiumPath()))
    throw new Error(`No Chromium at ${chromiumPath()}: run \`tsx src/setup/prepare-test.ts\`, which installs it.`);
  await buildConsole(browserConsoleDist);
}
