import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadConfig, requiredVariables } from '../../src/config.js';
import { projectRoot } from '../support/test-env.js';

// The compose file is checked here because no Docker engine runs the tests.
const compose = parseDocument(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }).toJS() as {
  services: Record<string, { environment?: Record<string, string> }>;
};

describe('docker-compose.yml', () => {
  it('has postgres, temporal, minio, api and worker', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'minio', 'api', 'worker']));
  });

  it.each(['api', 'worker'])('sets every variable the config requires for %s, with valid values', (name) => {
    const environment = compose.services[name]!.environment ?? {};
    const interpolated = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, String(value).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]),
    );
    for (const variable of requiredVariables()) {
      const names = Array.isArray(variable) ? variable : [variable];
      expect(
        names.some((name) => name in interpolated),
        names.join(' or '),
      ).toBe(true);
    }
    expect(() => loadConfig(interpolated)).not.toThrow();
  });
});
