// `npm run grant-role -- --sub <subject> --role REVIEWER --reason "…"`: grants a
// server-held role from the server's own shell, which is how the first admin
// comes to be (after that, admins use the grantRole mutation). Reads
// DATABASE_URL, else the local dev database that `npm run dev` uses.
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configSchema } from '../config.js';
import { createDb } from '../db/client.js';
import { SERVER_GRANTED_ROLES, grantRoleBySubject } from '../services/role-grants.js';

const LOCAL_DEV_DATABASE = 'postgresql://postgres@127.0.0.1:5432/brand_auth_dev';

const { values } = parseArgs({ options: { sub: { type: 'string' }, role: { type: 'string' }, reason: { type: 'string' } } });
const role = values.role?.trim().toUpperCase();
if (!values.sub || !values.reason || !role || !(SERVER_GRANTED_ROLES as readonly string[]).includes(role)) {
  console.error(`Usage: npm run grant-role -- --sub <subject> --role ${SERVER_GRANTED_ROLES.join('|')} --reason <why>`);
  process.exit(2);
}

const env = z.object({ DATABASE_URL: configSchema.shape.DATABASE_URL.default(LOCAL_DEV_DATABASE) }).safeParse(process.env);
if (!env.success) {
  console.error(`DATABASE_URL ${env.error.issues[0]?.message ?? 'is invalid'}`);
  process.exit(2);
}

const db = createDb({ databaseUrl: env.data.DATABASE_URL, maxConnections: 1 });
try {
  const operator = `${userInfo().username}@${hostname()}`;
  const result = await grantRoleBySubject(db, { subject: values.sub, role: role as 'REVIEWER', reason: values.reason, operator });
  if (!result.ok) {
    console.error(result.errors.map((e) => e.message).join('\n'));
    process.exitCode = 1;
  } else {
    console.log(`${values.sub} now holds ${role} (actor ${result.value.id}); the grant is in the audit log.`);
  }
} finally {
  await db.$disconnect();
}
