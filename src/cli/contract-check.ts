// `npm run contract`: prints the served schema and checks it against the public
// contract kept beside the project (../shared/contract), with its own checker.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema/index.js';
import { dataDir, projectRoot } from '../setup/project-paths.js';

const checker = path.resolve(projectRoot, '..', 'shared', 'tools', 'contract-check.mjs');
if (!existsSync(checker)) {
  console.error(`The contract checker is not beside the project (expected ${path.relative(projectRoot, checker)}); check out the shared folder next to this one.`);
  process.exit(1);
}
const printed = path.join(dataDir, 'schema.graphql');
mkdirSync(dataDir, { recursive: true });
writeFileSync(printed, printSchema(lexicographicSortSchema(schema)));
try {
  execFileSync(process.execPath, [checker, printed], { cwd: projectRoot, stdio: 'inherit' });
} catch {
  process.exit(1);
}
