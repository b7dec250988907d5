import { decodeGlobalID } from '@pothos/plugin-relay';
import { fail, ok, type Result } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns an opaque ID argument into a row id, or a userError naming the field. */
export function parseGlobalId(value: string, typename: string, field: string[]): Result<string> {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(value);
  } catch {
    return fail('INVALID', `This is not a valid ${typename} id.`, field);
  }
  if (decoded.typename !== typename || !UUID.test(decoded.id)) {
    return fail('INVALID', `This is not a valid ${typename} id.`, field);
  }
  return ok(decoded.id);
}
