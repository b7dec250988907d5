import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields } from '../http/selected-fields.js';

/**
 * Whether the caller asks of the payload's `entity` field (under any alias)
 * nothing beyond `fields`: then a mutation may answer from what it knows
 * instead of reading the row again. Fields under @skip or @include and
 * fragments on any type count as asked: the answer may hold more than is
 * asked, never less.
 */
export function asksOnly(info: GraphQLResolveInfo, entity: string, fields: readonly string[]): boolean {
  const fragmentNamed = (name: string) => info.fragments[name];
  const payloadFields = info.fieldNodes.flatMap((node) => (node.selectionSet ? selectedFields(node.selectionSet, fragmentNamed) : []));
  const entityFields = payloadFields
    .filter((field) => field.name.value === entity)
    .flatMap((field) => (field.selectionSet ? selectedFields(field.selectionSet, fragmentNamed) : []));
  return entityFields.every((field) => field.name.value === '__typename' || fields.includes(field.name.value));
}
