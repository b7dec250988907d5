import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeConsoleBuild {
  dir: string;
  /** The hashed script index.html loads. */
  script: string;
  documents: Array<{ name: string; sha256Hash: string; document: string }>;
}

/**
 * A directory laid out as `npm run build` lays out src/console/dist, with
 * small files of known content: what the API serves is checked byte for
 * byte without running Vite.
 */
export function fakeConsoleBuild(documents: string[] = [], options: { widget?: boolean } = {}): FakeConsoleBuild {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  const script = 'assets/index-Ab12Cd34.js';
  mkdirSync(path.join(dir, 'console', 'assets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'console', 'index.html'),
    `<!doctype html><html lang="en"><head><script type="module" src="/console/${script}"></script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(path.join(dir, 'console', script), 'console.log("console");');
  if (options.widget) {
    mkdirSync(path.join(dir, 'widget'));
    writeFileSync(path.join(dir, 'widget', 'brand-badge.js'), 'customElements.define("brand-badge", class extends HTMLElement {});');
  }
  const manifest = documents.map((document) => ({
    name: /^(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? 'Anonymous',
    sha256Hash: createHash('sha256').update(document).digest('hex'),
    document,
  }));
  writeFileSync(path.join(dir, 'trusted-documents.json'), JSON.stringify(manifest));
  return { dir, script, documents: manifest };
}
