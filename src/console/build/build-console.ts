// `npm run build`: the console (and the storefront widget, when it exists) into
// src/console/dist/, and the trusted-documents manifest the API runs in production.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { collectTrustedDocuments } from './trusted-documents.ts';
import { consoleOutDir, consoleViteConfig, distDir, trustedDocumentsFile, widgetConfigFile } from './vite-config.ts';

/** Gzipped bytes of the scripts and styles index.html loads before anything else. */
export function firstLoadBytes(outDir = consoleOutDir): number {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const assets = new Set([...html.matchAll(/(?:src|href)="\/console\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!));
  return [...assets].reduce((sum, asset) => sum + gzipSync(readFileSync(path.join(outDir, asset))).length, 0);
}

export async function buildConsole(): Promise<void> {
  await build(consoleViteConfig());
  if (existsSync(widgetConfigFile)) await build({ configFile: widgetConfigFile, root: path.dirname(widgetConfigFile), logLevel: 'warn' });
  const documents = await collectTrustedDocuments();
  mkdirSync(distDir, { recursive: true });
  writeFileSync(trustedDocumentsFile, `${JSON.stringify(documents, null, 2)}\n`);
  console.log(
    `Console built into ${path.relative(process.cwd(), consoleOutDir)} (first load ${(firstLoadBytes() / 1024).toFixed(1)} KiB gzipped); ` +
      `${documents.length} trusted documents in ${path.relative(process.cwd(), trustedDocumentsFile)}.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildConsole().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
