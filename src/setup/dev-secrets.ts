import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { generateLogKey } from '../transparency/log-config.js';

export interface DevSecrets {
  AUTH_HS256_SECRET: string;
  PRODUCT_CODE_HMAC_SECRET: string;
  /** Ed25519 private key as JWK JSON. */
  BADGE_SIGNING_JWK: string;
  /** The transparency log's own note key, never the badge key. */
  TLOG_SIGNING_KEY: string;
}

const randomSecret = () => randomBytes(32).toString('base64url');

export async function generateSigningJwk(): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return JSON.stringify({ ...jwk, kid, alg: 'EdDSA', use: 'sig' });
}

/**
 * Local secrets are generated once per checkout into the data folder, never
 * committed; secrets added by later versions are filled in on the next start.
 */
export async function loadDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.join(dataDir, 'dev-secrets.json');
  const existing: Partial<DevSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: DevSecrets = {
    AUTH_HS256_SECRET: existing.AUTH_HS256_SECRET ?? randomSecret(),
    PRODUCT_CODE_HMAC_SECRET: existing.PRODUCT_CODE_HMAC_SECRET ?? randomSecret(),
    BADGE_SIGNING_JWK: existing.BADGE_SIGNING_JWK ?? (await generateSigningJwk()),
    TLOG_SIGNING_KEY: existing.TLOG_SIGNING_KEY ?? generateLogKey(),
  };
  if (JSON.stringify(secrets) !== JSON.stringify(existing)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
