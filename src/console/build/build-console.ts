// `npm run build`: the console (and the storefront widget, when it exists) into
// src/console/dist/, and the trusted-documents manifest the API runs in production.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { collectTrustedDocuments } from './trusted-documents.js';
import { consoleOutDir, consoleViteConfig, distDir, trustedDocumentsFile, widgetConfigFile } from './vite-config.js';

/** Gzipped bytes of the scripts and styles index.html loads before anything else. */
export function firstLoadBytes(outDir = consoleOutDir): number {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const assets = new Set([...html.matchAll(/(?:src|href)="\/console\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!));
  return [...assets].reduce((sum, asset) => sum + gzipSync(readFileSync(path.join(outDir, asset))).length, 0);
}

/**
 * Builds into `outDir` (default src/console/dist, what the API serves): console/, widget/ and
 * trusted-documents.json. Returns the first load's gzipped size in bytes.
 */
export async function buildConsole(outDir = distDir): Promise<{ firstLoadBytes: number; documents: number }> {
  const consoleDir = path.join(outDir, path.relative(distDir, consoleOutDir));
  // Vite takes production from NODE_ENV, which a test runner sets to "test": that would ship React's
  // development build and a client that sends query texts. A build is always a production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(consoleViteConfig({ mode: 'production', build: { ...consoleViteConfig().build, outDir: consoleDir } }));
    if (existsSync(widgetConfigFile)) {
      await build({
        configFile: widgetConfigFile,
        root: path.dirname(widgetConfigFile),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: path.join(outDir, 'widget') },
      });
    }
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const documents = await collectTrustedDocuments();
  mkdirSync(outDir, { recursive: true });
  // Written aside and renamed: an API starting meanwhile reads the old manifest or the new one, never half of one.
  const manifest = path.join(outDir, path.basename(trustedDocumentsFile));
  writeFileSync(`${manifest}.${process.pid}`, `${JSON.stringify(documents, null, 2)}\n`);
  renameSync(`${manifest}.${process.pid}`, manifest);
  return { firstLoadBytes: firstLoadBytes(consoleDir), documents: documents.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildConsole().then(
    ({ firstLoadBytes, documents }) =>
      console.log(
        `Console built into ${path.relative(process.cwd(), consoleOutDir)} (first load ${(firstLoadBytes / 1024).toFixed(1)} KiB gzipped); ` +
          `${documents} trusted documents in ${path.relative(process.cwd(), trustedDocumentsFile)}.`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
