import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { createComplexityRule } from 'graphql-query-complexity';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { fieldCost } from './field-costs.js';
import { graphql } from './graphql-runtime.js';
import { limitExceeded } from './limit-errors.js';

const { Kind, TypeInfo, ValidationContext, visit, visitWithTypeInfo } = graphql;

// graphql-query-complexity's own default; a document within the token limit
// reaches it only by spreading fragments into fragments.
const MAX_MEASURED_NODES = 10_000;
const TOO_MANY_NODES = 'Query exceeds the maximum allowed number of nodes.';

type Measured = { cost: number } | { tooLarge: true } | { invalidVariables: true };

/** The cost of the operation `params` names, with its variables (list sizes often come from them). */
export function measureCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  params: Pick<GraphQLParams, 'variables' | 'operationName'>,
): Measured {
  const typeInfo = new TypeInfo(schema);
  const problems: GraphQLError[] = [];
  const context = new ValidationContext(schema, document, typeInfo, (problem) => problems.push(problem));
  let cost = 0;
  // The library dereferences the name of every operation when one is asked for; a name that matches none fails in execution anyway.
  const named = document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === params.operationName);
  const rule = createComplexityRule({
    maximumComplexity: Number.MAX_SAFE_INTEGER,
    estimators: [fieldCost],
    variables: params.variables ?? {},
    operationName: named ? params.operationName! : undefined,
    maxQueryNodes: MAX_MEASURED_NODES,
    onComplete: (measured) => (cost += measured),
  });
  try {
    visit(document, visitWithTypeInfo(typeInfo, rule(context)));
  } catch (error) {
    if (error instanceof Error && error.message === TOO_MANY_NODES) return { tooLarge: true };
    throw error;
  }
  return problems.length > 0 ? { invalidVariables: true } : { cost };
}

/**
 * Refuses an operation whose cost (field-costs.ts) is over `maxCost` before
 * it runs, and before the request's context is built (which records a new
 * caller). The cost depends on the variables, so it is measured on every
 * request, after validation, which yoga caches per document.
 */
export function useQueryCost(options: { maxCost: number }): Plugin {
  return {
    onValidate({ params: { schema, documentAST }, context }) {
      return ({ valid }) => {
        if (!valid) return;
        const params = (context as { params?: GraphQLParams }).params ?? {};
        const measured = measureCost(schema, documentAST, params);
        // Variables that don't fit the operation are refused by execution, with its own message.
        if ('invalidVariables' in measured) return;
        if ('tooLarge' in measured) {
          throw limitExceeded('cost', `The query has more than ${MAX_MEASURED_NODES} fields once its fragments are spread.`, {
            max: options.maxCost,
          });
        }
        if (measured.cost > options.maxCost) {
          throw limitExceeded(
            'cost',
            `The query costs ${measured.cost}; at most ${options.maxCost} is allowed. Ask for smaller pages or fewer ids, fewer nested lists, or fewer product-code checks and uploads.`,
            { max: options.maxCost, actual: measured.cost },
          );
        }
      };
    },
  };
}
