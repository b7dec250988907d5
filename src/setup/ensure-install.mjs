// First step of `npm run dev` and `npm test`: installs dependencies when they
// are missing or older than the lockfile, and regenerates the Prisma client
// when the schema changed. Plain JavaScript, because nothing else is installed yet.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateClient } from './generate-client.mjs';

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

generateClient();
