import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded, type EdgeLimit } from './limit-errors.js';

export interface QueryShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
}

// graphql-armor words its refusals as syntax errors; the limit and the count it found are what matter.
const armorMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, '');

/**
 * Reports a refusal as a validation error (the document is refused before it
 * runs, and the validation cache remembers the refusal with the document).
 */
function reportTo(limit: EdgeLimit, max: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(limitExceeded(limit, armorMessage(error), { max }));
    },
  ];
}

/**
 * The shape of a document, measured by graphql-armor: nesting depth, aliases,
 * directives and tokens. Nothing is exempt: armor by default skips fields under
 * `__schema` and aliases of `__typename`, which lets any query named like an
 * introspection one nest or repeat freely, so both exemptions are off.
 */
export function queryShapeLimits(limits: QueryShapeLimits): Plugin[] {
  return [
    // Parsing stops at the first token past the limit, so a huge document is never built.
    maxTokensPlugin({
      n: limits.maxTokens,
      onReject: [
        (_context, error) => {
          throw limitExceeded('tokens', armorMessage(error), { max: limits.maxTokens });
        },
      ],
    }),
    maxDepthPlugin({
      n: limits.maxDepth,
      ignoreIntrospection: false,
      // Depth is the nesting of fields as they run; fragments and inline fragments add no level of their own.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: reportTo('depth', limits.maxDepth),
    }),
    maxAliasesPlugin({
      n: limits.maxAliases,
      allowList: [],
      propagateOnRejection: false,
      onReject: reportTo('aliases', limits.maxAliases),
    }),
    maxDirectivesPlugin({
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: reportTo('directives', limits.maxDirectives),
    }),
  ] as Plugin[];
}
