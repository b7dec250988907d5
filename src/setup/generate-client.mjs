// Generates the Prisma client and the Pothos types when the schema or the
// installed packages changed. Runs as the package's `prepare` step (so every npm
// script works right after `npm ci`) and again before `npm run dev`/`npm test`.
// Plain JavaScript, because it runs before anything is compiled.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function generateClient() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const schemaFile = path.join(root, 'prisma', 'schema.prisma');
  const stamp = path.join(root, 'node_modules', '.prisma', 'brand-auth-schema.sha256');
  const digest = createHash('sha256')
    .update(readFileSync(schemaFile))
    .update(existsSync(installed) ? readFileSync(installed) : '')
    .digest('hex');
  const generated = path.join(root, 'src', 'generated', 'pothos-types.ts');
  if (existsSync(generated) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  console.log('Generating the Prisma client…');
  try {
    // `generate` never connects, but the schema's env("DATABASE_URL") must resolve
    // or the CLI falls back to downloading a native engine.
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--config', 'prisma/prisma.config.ts'],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          // Generators are found on PATH, as npm scripts would have it.
          PATH: [path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
          DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused',
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      },
    );
  } catch {
    console.error('Set-up step failed: prisma generate (its output is above).');
    process.exit(1);
  }
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, digest);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generateClient();
