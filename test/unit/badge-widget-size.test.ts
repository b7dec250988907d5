import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { operationHash, STOREFRONT_OPERATIONS } from '../../src/http/storefront-operations.js';
import { buildBadgeWidget } from '../support/badge-widget-build.js';

describe('the storefront badge script', () => {
  it('is one minified script of at most 15 KB gzipped that names the persisted badge read by its hash', async () => {
    const script = await readFile(await buildBadgeWidget(), 'utf8');
    const gzipped = gzipSync(script, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1024);
    expect(gzipped).toBeLessThanOrEqual(15 * 1024);
    expect(script).toContain(operationHash(STOREFRONT_OPERATIONS.BadgeStatus!));
    expect(script).not.toMatch(/\bimport\s*[{(]|\brequire\(/);
  });
});
