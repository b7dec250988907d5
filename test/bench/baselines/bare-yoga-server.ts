// Baseline for storeBadges: graphql-yoga and Pothos with the same schema
// shape (StoreBadges → Badge → Store, Brand; DateTime; the same enums), with
// the service's own answer held in memory, so the same request yields the
// same bytes without a database, limits, auth or rate limiting.
// Env: BENCH_STORE_BADGES (a JSON file with the service's storeBadges answer), PORT.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import { badgeLabel } from '../../../src/credentials/badge-credentials.js';

interface Named {
  id: string;
  name: string;
}
interface Badge {
  id: string;
  kind: 'OFFICIAL_STORE' | 'AUTHORIZED_STORE';
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
  issuedAt: Date;
  expiresAt: Date;
  revokedReason: string | null;
  credential: string | null;
  store: Named;
  brand: Named & { slug: string };
}
type Stored = Omit<Badge, 'issuedAt' | 'expiresAt'> & { issuedAt: string; expiresAt: string };

const answer = JSON.parse(readFileSync(process.env.BENCH_STORE_BADGES!, 'utf8')) as Array<{ storeId: string; badges: Stored[] }>;
const badgesOf = new Map(
  answer.map(({ storeId, badges }) => [
    storeId,
    badges.map((b): Badge => ({ ...b, issuedAt: new Date(b.issuedAt), expiresAt: new Date(b.expiresAt) })),
  ]),
);

type Types = { Scalars: { DateTime: { Input: Date; Output: Date } } };
// No plugins here; the service's plugins (loaded in the same type-check) add their options to every builder's type.
const builder = new SchemaBuilder<Types>({} as PothosSchemaTypes.SchemaBuilderOptions<PothosSchemaTypes.ExtendDefaultTypes<Types>>);
builder.scalarType('DateTime', { serialize: (date) => date.toISOString(), parseValue: (value) => new Date(value as string) });
const Kind = builder.enumType('BadgeKind', { values: ['OFFICIAL_STORE', 'AUTHORIZED_STORE'] as const });
const Status = builder.enumType('BadgeStatus', { values: ['ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const });
const Store = builder.objectRef<Named>('Store').implement({ fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }) });
const Brand = builder.objectRef<Named & { slug: string }>('Brand').implement({
  fields: (t) => ({ id: t.exposeID('id'), slug: t.exposeString('slug'), name: t.exposeString('name') }),
});
const BadgeType = builder.objectRef<Badge>('Badge').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: Kind, resolve: (b) => b.kind }),
    status: t.field({ type: Status, resolve: (b) => b.status }),
    label: t.string({ resolve: (b) => badgeLabel(b.kind, b.brand.name) }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedReason: t.exposeString('revokedReason', { nullable: true }),
    credential: t.string({ nullable: true, resolve: (b) => (b.status === 'ACTIVE' ? b.credential : null) }),
    store: t.field({ type: Store, resolve: (b) => b.store }),
    brand: t.field({ type: Brand, resolve: (b) => b.brand }),
  }),
});
const StoreBadges = builder.objectRef<{ storeId: string; badges: Badge[] }>('StoreBadges').implement({
  fields: (t) => ({ storeId: t.exposeID('storeId'), badges: t.field({ type: [BadgeType], resolve: (e) => e.badges }) }),
});
builder.queryType({
  fields: (t) => ({
    storeBadges: t.field({
      type: [StoreBadges],
      args: { storeIds: t.arg.idList({ required: true }) },
      resolve: (_root, { storeIds }) => storeIds.map((id) => ({ storeId: String(id), badges: badgesOf.get(String(id)) ?? [] })),
    }),
  }),
});

const yoga = createYoga({ schema: builder.toSchema(), logging: false, graphqlEndpoint: '/graphql' });
const server = createServer((req, res) => void yoga(req, res));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
