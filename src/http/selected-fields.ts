import type { FieldNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import { graphql } from './graphql-runtime.js';

const { Kind } = graphql;

/**
 * The fields of a selection set, through inline fragments and fragment
 * spreads (each fragment followed once, so a cycle in a document not yet
 * validated ends). Directives are not looked at: fields under @skip or
 * @include count as selected.
 */
export function selectedFields(
  selectionSet: SelectionSetNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | null | undefined,
  spread = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectedFields(selection.selectionSet, fragmentNamed, spread);
    if (spread.has(selection.name.value)) return [];
    spread.add(selection.name.value);
    const fragment = fragmentNamed(selection.name.value);
    return fragment ? selectedFields(fragment.selectionSet, fragmentNamed, spread) : [];
  });
}
