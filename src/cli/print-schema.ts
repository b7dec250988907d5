// `npm run schema [file]`: writes the served schema as SDL (default: schema.graphql in the data folder).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema/index.js';
import { dataDir } from '../setup/project-paths.js';

const target = path.resolve(process.argv[2] ?? path.join(dataDir, 'schema.graphql'));
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, printSchema(lexicographicSortSchema(schema)));
console.log(target);
