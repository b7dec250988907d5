import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const envFile = path.join(projectRoot, '.data', 'test-env.json');

/** The environment written by the test set-up (`npm test` runs it first). */
export function testEnv(): Record<string, string> {
  if (!existsSync(envFile)) throw new Error('No test environment: run the suite with `npm test`, which sets it up first.');
  return JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...testEnv(), ...overrides });
}
