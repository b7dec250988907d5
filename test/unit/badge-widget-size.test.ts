import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { operationHash, STOREFRONT_OPERATIONS } from '../../src/http/storefront-operations.js';

const configFile = fileURLToPath(new URL('../../src/console/widget/vite.config.ts', import.meta.url));

describe('the storefront badge script', () => {
  it('is one minified script of at most 15 KB gzipped that names the persisted badge read by its hash', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'brand-badge-'));
    await build({ configFile, logLevel: 'silent', mode: 'production', build: { outDir, emptyOutDir: true } });
    const script = await readFile(path.join(outDir, 'brand-badge.js'), 'utf8');
    const gzipped = gzipSync(script, { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(1024);
    expect(gzipped).toBeLessThanOrEqual(15 * 1024);
    expect(script).toContain(operationHash(STOREFRONT_OPERATIONS.BadgeStatus!));
    expect(script).not.toMatch(/\bimport\s*[{(]|\brequire\(/);
  });
});
