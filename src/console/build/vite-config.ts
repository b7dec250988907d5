import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { InlineConfig } from 'vite';

export const consoleRoot = path.resolve(import.meta.dirname, '..');
/** What `npm run build` writes and the API serves; gitignored. */
export const distDir = path.join(consoleRoot, 'dist');
export const consoleOutDir = path.join(distDir, 'console');
export const trustedDocumentsFile = path.join(distDir, 'trusted-documents.json');
export const widgetConfigFile = path.join(consoleRoot, 'widget', 'vite.config.ts');

/** The console's Vite settings, shared by the build and the dev server. */
export function consoleViteConfig(extra: InlineConfig = {}): InlineConfig {
  return {
    configFile: false,
    root: consoleRoot,
    base: '/console/',
    publicDir: false,
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: consoleOutDir, emptyOutDir: true, assetsDir: 'assets', target: 'es2022' },
    ...extra,
  };
}
