// `npm run schema`: refreshes the committed SDL (src/schema/schema.graphql) from
// the served schema, after checking it against that baseline: a breaking change
// needs an entry in src/schema/allowed-breaking-changes.json first.
// `npm run schema -- <file>` only writes the served SDL to <file>.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { schema } from '../schema/index.js';
import {
  allowListFile,
  allowListTemplate,
  baselineFile,
  canonicalBaseline,
  dangerousChanges,
  printServedSchema,
  readAllowList,
  readBaseline,
  unlistedBreakingChanges,
} from '../schema/schema-baseline.js';

const served = printServedSchema(schema);
const shown = (file: string) => path.relative(process.cwd(), file) || file;

if (process.argv[2]) {
  const target = path.resolve(process.argv[2]);
  writeFileSync(target, served);
  console.log(`Wrote the served schema to ${shown(target)}`);
  process.exit(0);
}

// Formatted as `prettier --check` expects, so the format gate and the schema test agree.
const writeBaseline = async () =>
  writeFileSync(baselineFile, await prettier.format(served, { ...(await prettier.resolveConfig(baselineFile)), filepath: baselineFile }));

if (!existsSync(baselineFile)) {
  await writeBaseline();
  console.log(`Wrote ${shown(baselineFile)} (there was none); review it and commit it`);
  process.exit(0);
}
const baseline = readBaseline();
const breaking = unlistedBreakingChanges(baseline, schema, readAllowList());
if (breaking.length > 0) {
  console.error(`${breaking.length} breaking change(s) against ${shown(baselineFile)} are not in ${shown(allowListFile)}:`);
  for (const change of breaking) console.error(`  ${change.type}: ${change.description}`);
  console.error('Revert them or, if they are intended, add these to "allowed" with a reason and run npm run schema again:');
  console.error(allowListTemplate(breaking));
  process.exit(1);
}
for (const change of dangerousChanges(baseline, schema)) console.warn(`  dangerous: ${change.type}: ${change.description}`);
if (canonicalBaseline(baseline) === served) {
  console.log(`${shown(baselineFile)} is up to date`);
} else {
  await writeBaseline();
  console.log(`Updated ${shown(baselineFile)}; review its diff and commit it`);
}
