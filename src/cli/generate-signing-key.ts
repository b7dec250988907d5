// `npm run signing-key -- <file>`: writes a new Ed25519 badge signing key (JWK)
// to the file unless it exists; prints the public JWK.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningJwk } from '../setup/dev-secrets.js';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run signing-key -- <file>');
  process.exit(2);
}
if (!existsSync(target)) {
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  writeFileSync(target, await generateSigningJwk(), { mode: 0o600 });
}
const { d: _private, ...publicJwk } = JSON.parse(readFileSync(target, 'utf8')) as Record<string, string>;
console.log(JSON.stringify(publicJwk));
