// `npm run contract`: prints the served schema and checks it against the public
// contract kept beside the project (../shared/contract), with its own checker.
// An extra check: a clone with nothing beside it skips it (exit 0); the committed
// SDL and its unit test (test/unit/schema-snapshot.test.ts) guard the API there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema } from '../schema/index.js';
import { printServedSchema } from '../schema/schema-baseline.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const checker = path.resolve(projectRoot, '..', 'shared', 'tools', 'contract-check.mjs');
if (!existsSync(checker)) {
  console.log(`Contract check skipped: ${path.relative(projectRoot, checker)} is not beside the project.`);
  process.exit(0);
}
const dataDir = path.join(projectRoot, '.data');
const printed = path.join(dataDir, 'schema.graphql');
mkdirSync(dataDir, { recursive: true });
writeFileSync(printed, printServedSchema(schema));
try {
  execFileSync(process.execPath, [checker, printed], { cwd: projectRoot, stdio: 'inherit' });
} catch {
  process.exit(1);
}
