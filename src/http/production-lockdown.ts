import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

// graphql's NoSchemaIntrospectionCustomRule checks types with instanceof, which
// fails when the schema and the rule come from graphql's two builds (CommonJS
// and ESM, as under vitest); errors are made with yoga's createGraphQLError for
// the same reason, so yoga recognizes them. Every introspection type is reached through these
// two root fields, so refusing them by name is the same rule.
const introspectionEntryPoints = new Set(['__schema', '__type']);

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (!introspectionEntryPoints.has(node.name.value)) return;
    context.reportError(
      createGraphQLError(`GraphQL introspection has been disabled, but the requested query contained the field "${node.name.value}".`, {
        nodes: node,
      }),
    );
  },
});

/**
 * In production the schema is not handed out: introspection is refused by a
 * validation rule, and validation errors no longer suggest field names ("Did
 * you mean …?"), which would let a client rebuild the schema by guessing. The
 * public contract is published as a file; GraphiQL is off too (app.ts).
 */
export function productionLockdown(): Plugin[] {
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(noIntrospection);
      },
    },
    blockFieldSuggestionsPlugin({ mask: '' }) as Plugin,
  ];
}
