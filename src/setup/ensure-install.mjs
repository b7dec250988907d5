// First step of `npm run dev` and `npm test`: installs dependencies when they
// are missing or older than the lockfile, and regenerates the Prisma client
// when the schema changed. Plain JavaScript, because nothing else is installed yet.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, env = process.env) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  } catch {
    console.error(`Set-up step failed: ${path.basename(cmd)} ${args.slice(0, 2).join(' ')} (its output is above).`);
    process.exit(1);
  }
};

const lockfile = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs) {
  console.log('Installing dependencies (npm ci)…');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}

const schemaFile = path.join(root, 'prisma', 'schema.prisma');
const stamp = path.join(root, 'node_modules', '.prisma', 'brand-auth-schema.sha256');
const digest = createHash('sha256').update(readFileSync(schemaFile)).update(readFileSync(installed)).digest('hex');
const generated = path.join(root, 'src', 'generated', 'pothos-types.ts');
if (!existsSync(generated) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
  console.log('Generating the Prisma client…');
  // `generate` never connects, but the schema's env("DATABASE_URL") must resolve
  // or the CLI falls back to downloading a native engine.
  run(
    process.execPath,
    [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--config', 'prisma/prisma.config.ts'],
    {
      ...process.env,
      // Generators are found on PATH, as npm scripts would have it.
      PATH: [path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused',
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  );
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, digest);
}
