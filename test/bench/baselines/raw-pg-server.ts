// Baseline for the storefront and code-check paths: node:http and pg with the
// SQL those paths need and nothing else (no GraphQL, no ORM, no limits, no
// auth). It reads the same request bodies the service gets and answers with
// the same JSON, so the two are compared on equal answers.
//   POST /store-badges         { variables: { ids } }            one JOIN
//   POST /verify-product-code  { variables: { brandSlug, code } } SELECT, HMAC, UPDATE … RETURNING
// Env: DATABASE_URL, PRODUCT_CODE_HMAC_SECRET, PORT.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { badgeLabel } from '../../../src/credentials/badge-credentials.js';

const TIMESTAMP_OID = 1114;
// Prisma stores times in UTC in `timestamp without time zone` columns.
pg.types.setTypeParser(TIMESTAMP_OID, (value) => new Date(`${value.replace(' ', 'T')}Z`));

const PER_STORE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const secret = process.env.PRODUCT_CODE_HMAC_SECRET!;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
function storeRowId(id: string): string | null {
  const [type, row] = Buffer.from(id, 'base64').toString('utf8').split(':');
  return type === 'Store' && row && UUID.test(row) ? row : null;
}

interface BadgeRow {
  id: string;
  storeId: string;
  kind: 'OFFICIAL_STORE' | 'AUTHORIZED_STORE';
  status: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedReason: string | null;
  credential: string | null;
  storeName: string;
  brandId: string;
  brandSlug: string;
  brandName: string;
}

async function storeBadges(ids: string[]) {
  const rowIds = ids.map(storeRowId);
  const known = rowIds.filter((id): id is string => id !== null);
  const { rows } = await pool.query<BadgeRow>(
    `SELECT b.id, b."storeId", b.kind, b.status, b."issuedAt", b."expiresAt", b."revokedReason", b.credential,
            s.name AS "storeName", br.id AS "brandId", br.slug AS "brandSlug", br.name AS "brandName"
       FROM "Badge" b
       JOIN "Store" s ON s.id = b."storeId"
       JOIN "Brand" br ON br.id = b."brandId"
      WHERE b."storeId" = ANY($1::uuid[]) AND b.status IN ('ACTIVE', 'SUSPENDED')
      ORDER BY b."issuedAt" ASC
      LIMIT $2`,
    [known, known.length * PER_STORE],
  );
  const byStore = new Map<string, BadgeRow[]>();
  for (const row of rows) byStore.set(row.storeId, [...(byStore.get(row.storeId) ?? []), row]);
  return ids.map((storeId, i) => ({
    storeId,
    badges: (byStore.get(rowIds[i] ?? '') ?? []).slice(0, PER_STORE).map((b) => ({
      id: globalId('Badge', b.id),
      kind: b.kind,
      status: b.status,
      label: badgeLabel(b.kind, b.brandName),
      issuedAt: b.issuedAt.toISOString(),
      expiresAt: b.expiresAt.toISOString(),
      revokedReason: b.revokedReason,
      credential: b.status === 'ACTIVE' ? b.credential : null,
      store: { id: globalId('Store', b.storeId), name: b.storeName },
      brand: { id: globalId('Brand', b.brandId), slug: b.brandSlug, name: b.brandName },
    })),
  }));
}

async function verifyProductCode(brandSlug: string, code: string) {
  const unknown = (brand: { slug: string; name: string } | null) => ({
    result: 'UNKNOWN',
    sku: null,
    firstVerifiedAt: null,
    verificationCount: 0,
    brand,
  });
  const brands = await pool.query<{ id: string; slug: string; name: string }>('SELECT id, slug, name FROM "Brand" WHERE slug = $1', [
    brandSlug.trim(),
  ]);
  const brand = brands.rows[0];
  if (!brand) return unknown(null);
  const shown = { slug: brand.slug, name: brand.name };
  const normalized = code.trim();
  if (!/^[\x21-\x7E]{4,128}$/.test(normalized)) return unknown(shown);
  const codeHash = createHmac('sha256', secret).update(normalized, 'utf8').digest('hex');
  const { rows } = await pool.query<{ sku: string; status: string; firstVerifiedAt: Date; verificationCount: number }>(
    `UPDATE "ProductCode"
        SET "verificationCount" = "verificationCount" + 1,
            "firstVerifiedAt" = COALESCE("firstVerifiedAt", now() AT TIME ZONE 'UTC'),
            "lastVerifiedAt" = now() AT TIME ZONE 'UTC'
      WHERE "brandId" = $1::uuid AND "codeHash" = $2
      RETURNING "sku", "status"::text AS "status", "firstVerifiedAt", "verificationCount"`,
    [brand.id, codeHash],
  );
  const row = rows[0];
  if (!row) return unknown(shown);
  const count = Number(row.verificationCount);
  return {
    result: row.status === 'REVOKED' ? 'REVOKED' : count === 1 ? 'GENUINE' : 'GENUINE_REPEATED',
    sku: row.sku,
    firstVerifiedAt: row.firstVerifiedAt.toISOString(),
    verificationCount: count,
    brand: shown,
  };
}

async function body(req: IncomingMessage): Promise<{ variables: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  let data: unknown;
  if (req.method === 'POST' && req.url === '/store-badges') {
    const { variables } = await body(req);
    data = { storeBadges: await storeBadges(variables.ids as string[]) };
  } else if (req.method === 'POST' && req.url === '/verify-product-code') {
    const { variables } = await body(req);
    data = { verifyProductCode: await verifyProductCode(variables.brandSlug as string, variables.code as string) };
  } else {
    return res.writeHead(404).end();
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ data }));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
