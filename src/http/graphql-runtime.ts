import { createRequire } from 'node:module';

// graphql is loaded the way Node loads it for Pothos, yoga and graphql-armor
// (its CommonJS build), so the limits can inspect the served schema's types.
// Under vitest a plain `import` gets its ESM build instead, a second copy whose
// functions refuse the served schema ("Cannot use GraphQLNonNull from another
// module or realm"). Under Node both ways give the same copy.
export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
