import { readFileSync } from 'node:fs';
import { importJWK, type JWK } from 'jose';
import type { Config } from '../config.js';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | Uint8Array;
  publicKey: CryptoKey | Uint8Array;
  /** What /.well-known/jwks.json publishes. */
  publicJwk: JWK;
}

/** The service's Ed25519 key for badge credentials and the status list. */
export async function loadSigningKey(config: Pick<Config, 'BADGE_SIGNING_JWK' | 'BADGE_SIGNING_KEY_FILE'>): Promise<SigningKey> {
  const text = config.BADGE_SIGNING_JWK ?? readFileSync(config.BADGE_SIGNING_KEY_FILE!, 'utf8');
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error('The badge signing key is not valid JSON (expected an Ed25519 private JWK).');
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x || !jwk.kid) {
    throw new Error('The badge signing key must be an Ed25519 private JWK with a kid (npm run signing-key -- <file> makes one).');
  }
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid: jwk.kid,
    privateKey: await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA'),
    publicKey: await importJWK(publicJwk, 'EdDSA'),
    publicJwk,
  };
}
