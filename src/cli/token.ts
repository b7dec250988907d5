// `npm run token -- --sub alice --roles BRAND,REVIEWER`: prints a dev token.
import { parseArgs } from 'node:util';
import { ROLES, signDevToken, type Role } from '../auth/tokens.js';
import { loadDevSecrets } from '../setup/dev-secrets.js';
import { dataDir } from '../setup/project-paths.js';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    roles: { type: 'string', default: '' },
    'expires-in': { type: 'string', default: '12h' },
  },
});

const roles = (values.roles ?? '')
  .split(',')
  .map((r) => r.trim().toUpperCase())
  .filter(Boolean);
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (!values.sub || unknown.length > 0) {
  console.error(
    !values.sub
      ? 'Usage: npm run token -- --sub <subject> --roles <ROLE,...> [--expires-in 12h]'
      : `Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}.`,
  );
  process.exit(2);
}

// Same secret as `npm run dev` unless AUTH_HS256_SECRET is set.
const secret = process.env.AUTH_HS256_SECRET ?? (await loadDevSecrets(dataDir)).AUTH_HS256_SECRET;
console.log(await signDevToken(secret, { sub: values.sub, roles: roles as Role[], expiresIn: values['expires-in'] }));
