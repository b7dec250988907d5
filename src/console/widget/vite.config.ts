import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { STOREFRONT_OPERATIONS, operationHash } from '../../http/storefront-operations.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// The storefront badge: one classic script (an IIFE, so it learns its own URL
// from document.currentScript), no framework, minified.
export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  define: { BADGE_STATUS_HASH: JSON.stringify(operationHash(STOREFRONT_OPERATIONS.BadgeStatus!)) },
  build: {
    outDir: path.resolve(here, '../dist/widget'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: { entry: path.resolve(here, 'brand-badge.ts'), formats: ['iife'], name: 'BrandBadge', fileName: () => 'brand-badge.js' },
  },
});
