// The committed SDL (schema.graphql beside this file) is the reviewed baseline of
// the API. The served schema must print to the same text as the baseline's schema
// (both printed canonically, so the file's own formatting does not matter: it is
// written prettier-formatted), and may differ from it by a breaking change
// (graphql's findBreakingChanges) only when allowed-breaking-changes.json lists
// that change with a reason. `npm run schema` refreshes the baseline, and refuses
// to while an unlisted breaking change remains.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BreakingChange, DangerousChange, GraphQLSchema } from 'graphql';

// graphql is loaded the way Node loads it for Pothos and yoga (its CommonJS build).
// Under vitest a plain `import` gets its ESM build instead, a second copy whose
// functions refuse the served schema ("Cannot use GraphQLObjectType from another
// module or realm"). Under Node both ways give the same copy.
const { BreakingChangeType, buildSchema, findBreakingChanges, findDangerousChanges, lexicographicSortSchema, printSchema } = createRequire(
  import.meta.url,
)('graphql') as typeof import('graphql');

export const baselineFile = fileURLToPath(new URL('./schema.graphql', import.meta.url));
export const allowListFile = fileURLToPath(new URL('./allowed-breaking-changes.json', import.meta.url));

export interface AllowedBreakingChange {
  type: BreakingChange['type'];
  description: string;
  reason: string;
}

/** The schema as SDL, types sorted by name, so the text does not depend on registration order. */
export function printServedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

export function readBaseline(): string {
  return readFileSync(baselineFile, 'utf8');
}

/** The baseline printed the way printServedSchema prints the served schema: comparable as text. */
export function canonicalBaseline(baselineSdl: string): string {
  return printServedSchema(buildSchema(baselineSdl));
}

/** Reads and validates the allow-list; throws naming the first malformed entry. */
export function readAllowList(file = allowListFile): AllowedBreakingChange[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const entries = (parsed as { allowed?: unknown }).allowed;
  if (!Array.isArray(entries)) throw new Error(`${file}: expected an object with an "allowed" array`);
  const types = new Set<string>(Object.values(BreakingChangeType));
  return entries.map((entry: Partial<Record<keyof AllowedBreakingChange, unknown>>, i) => {
    const { type, description, reason } = entry ?? {};
    if (typeof type !== 'string' || !types.has(type))
      throw new Error(`${file}: allowed[${i}].type must be one of ${[...types].join(', ')}`);
    if (typeof description !== 'string' || !description)
      throw new Error(`${file}: allowed[${i}].description must be findBreakingChanges' text`);
    if (typeof reason !== 'string' || reason.trim().length < 10 || /^todo\b/i.test(reason.trim()))
      throw new Error(`${file}: allowed[${i}].reason must say why the break is intended (who relies on it, how they migrate)`);
    return { type: type as BreakingChange['type'], description, reason };
  });
}

/** Breaking changes from the baseline SDL to the served schema that the allow-list does not name. */
export function unlistedBreakingChanges(baselineSdl: string, served: GraphQLSchema, allowed: AllowedBreakingChange[]): BreakingChange[] {
  return findBreakingChanges(buildSchema(baselineSdl), served).filter(
    (change) => !allowed.some((entry) => entry.type === change.type && entry.description === change.description),
  );
}

export function dangerousChanges(baselineSdl: string, served: GraphQLSchema): DangerousChange[] {
  return findDangerousChanges(buildSchema(baselineSdl), served);
}

/** What to paste into the allow-list, reason left for a person to write. */
export function allowListTemplate(changes: BreakingChange[]): string {
  return JSON.stringify(
    changes.map(({ type, description }) => ({ type, description, reason: '' })),
    null,
    2,
  );
}
