import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields of a selection set, fragments followed. Fields under @skip or
 * @include and fragments on any type count as asked: the answer may hold more
 * than is asked, never less.
 */
function fieldsIn(info: GraphQLResolveInfo, set: SelectionSetNode, into: FieldNode[] = []): FieldNode[] {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsIn(info, selection.selectionSet, into);
    else {
      const fragment = info.fragments[selection.name.value];
      if (fragment) fieldsIn(info, fragment.selectionSet, into);
    }
  }
  return into;
}

/**
 * Whether the caller asks of the payload's `entity` field (under any alias)
 * nothing beyond `fields`: then a mutation may answer from what it knows
 * instead of reading the row again.
 */
export function asksOnly(info: GraphQLResolveInfo, entity: string, fields: readonly string[]): boolean {
  const payloadFields = info.fieldNodes.flatMap((node) => (node.selectionSet ? fieldsIn(info, node.selectionSet) : []));
  const entityFields = payloadFields
    .filter((field) => field.name.value === entity)
    .flatMap((field) => (field.selectionSet ? fieldsIn(info, field.selectionSet) : []));
  return entityFields.every((field) => field.name.value === '__typename' || fields.includes(field.name.value));
}
