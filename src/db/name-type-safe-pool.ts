import pg from 'pg';

// PostgreSQL's `name` type (OID 19) is returned by catalog queries, and
// Prisma 6.19's pg adapter cannot deserialize it ("Column type 'name' could
// not be deserialized", prisma/orm#27403). Reporting such columns as `text`
// (OID 25) is lossless: `name` is a bounded string.
const NAME_OID = 19;
const TEXT_OID = 25;

function relabelNameColumns(result: unknown): unknown {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results) {
    const fields = (r as pg.QueryResult | undefined)?.fields;
    if (!fields) continue;
    for (const field of fields) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

export class NameTypeSafePool extends pg.Pool {
  // pg's overloads make a faithful override signature impractical.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an override must be assignable to every overload
  override query(...args: unknown[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (err: Error | undefined, res: unknown) => void;
      args[args.length - 1] = (err: Error | undefined, res: unknown) => callback(err, err ? res : relabelNameColumns(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    return (super.query as (...a: unknown[]) => Promise<unknown>)(...args).then(relabelNameColumns);
  }
}
