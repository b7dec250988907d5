import type { DocumentNode, GraphQLError, GraphQLSchema, ValueNode } from 'graphql';
import { createComplexityRule } from 'graphql-query-complexity';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { FIELD_COSTS, fieldCost } from './field-costs.js';
import { graphql } from './graphql-runtime.js';
import { limitExceeded } from './limit-errors.js';

const { Kind, TypeInfo, ValidationContext, visit, visitWithTypeInfo } = graphql;

// graphql-query-complexity's own default; a document within the token limit
// reaches it only by spreading fragments into fragments.
const MAX_MEASURED_NODES = 10_000;
const TOO_MANY_NODES = 'Query exceeds the maximum allowed number of nodes.';

type Measured = { cost: number } | { tooLarge: true } | { invalidVariables: true };

const holdsVariable = (value: ValueNode): boolean => {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(holdsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => holdsVariable(field.value));
  return false;
};

/**
 * Whether a variable's value can change what the document costs: it does when
 * it reaches a directive (`@skip`, `@include`) or an argument of a field whose
 * size is read from its arguments (field-costs.ts). Elsewhere variables only
 * decide whether the request is valid, which execution checks anyway.
 */
export function costDependsOnVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let depends = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (!holdsVariable(node.value)) return;
        if (typeInfo.getDirective()) depends = true;
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || typeof FIELD_COSTS[`${parent.name}.${field.name}`]?.size === 'function') depends = true;
      },
    }),
  );
  return depends;
}

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

// Operation names remembered per document as within the limit; past this, a
// document sent under ever new names is measured every time.
const MAX_NAMES_PER_DOCUMENT = 16;

interface DocumentCosts {
  dependsOnVariables: boolean;
  /** Operations (by the name asked for) measured within the limit, whatever their variables. */
  withinLimit: Set<string>;
}

/**
 * Refuses an operation whose cost (field-costs.ts) is over `maxCost` before
 * it runs, and before the request's context is built (which records a new
 * caller). The cost can depend on the variables, so it is measured on every
 * request, after validation (which yoga caches per document), unless no
 * variable can change it and the document's operation was measured within the
 * limit before: yoga hands back the same document object for the same text.
 */
export function useQueryCost(options: { maxCost: number }): Plugin {
  const documents = new WeakMap<DocumentNode, DocumentCosts>();
  const costsOf = (schema: GraphQLSchema, document: DocumentNode) => {
    let costs = documents.get(document);
    if (!costs) {
      costs = { dependsOnVariables: costDependsOnVariables(schema, document), withinLimit: new Set() };
      documents.set(document, costs);
    }
    return costs;
  };
  return {
    onValidate({ params: { schema, documentAST }, context }) {
      return ({ valid }) => {
        if (!valid) return;
        const params = (context as { params?: GraphQLParams }).params ?? {};
        const costs = costsOf(schema, documentAST);
        const operation = params.operationName ?? '';
        if (!costs.dependsOnVariables && costs.withinLimit.has(operation)) return;
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
        if (!costs.dependsOnVariables && costs.withinLimit.size < MAX_NAMES_PER_DOCUMENT) costs.withinLimit.add(operation);
      };
    },
  };
}
