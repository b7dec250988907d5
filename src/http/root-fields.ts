import { Kind, getOperationAST, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface RootFields {
  /** Root field selections, each alias counted, through fragments at the root (capped at MAX_COUNTED). */
  count: number;
  /** The distinct root field names selected. */
  names: Set<string>;
}

// Beyond any budget: a larger count is refused all the same.
export const MAX_COUNTED = 10_000;

/**
 * What the operation asks for at its root. `@skip`/`@include` are ignored, so a
 * client can't lower its count with them; a fragment spread twice counts twice
 * (the conservative side). Fragments are counted once each and the result
 * reused, so nested spreads can't make the count itself expensive.
 */
export function rootFields(document: DocumentNode, operationName?: string | null): RootFields {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { count: 0, names: new Set() };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const names = new Set<string>();
  const counted = new Map<string, number>();
  const count = (selectionSet: SelectionSetNode, path: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        names.add(selection.name.value);
        total += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet, path);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic spreads are invalid; validation refuses them, the count just skips them.
        if (!fragment || path.has(name)) continue;
        if (!counted.has(name)) counted.set(name, count(fragment.selectionSet, new Set([...path, name])));
        total += counted.get(name)!;
      }
      if (total >= MAX_COUNTED) return MAX_COUNTED;
    }
    return total;
  };
  return { count: count(operation.selectionSet, new Set()), names };
}
