import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWTPayload } from 'jose';

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch; null leaves `exp` out. Default: in ten minutes. */
  expiresAt?: number | null;
}

const ISSUER = 'https://idp.brand-auth.test';
const AUDIENCE = 'brand-auth-api';
const KID = 'idp-key-1';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A stand-in for the platform's identity provider: an RS256 key pair whose
 * public half is served as a JWKS by a tiny HTTP server on loopback, and a
 * signer for the tokens it would issue (or that an attacker would forge).
 */
export async function startIdentityProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  let jwksRequests = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/jwks.json') return void res.writeHead(404).end();
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;

  const now = () => Math.floor(Date.now() / 1000);
  const standardClaims = (sub: string, claims: JWTPayload, options: TokenOptions): JWTPayload => ({
    iss: options.issuer ?? ISSUER,
    aud: options.audience ?? AUDIENCE,
    sub,
    iat: now(),
    ...(options.expiresAt === null ? {} : { exp: options.expiresAt ?? now() + 600 }),
    ...claims,
  });

  return {
    jwksUrl,
    issuer: ISSUER,
    audience: AUDIENCE,
    publicJwk,
    publicPem,
    get jwksRequests() {
      return jwksRequests;
    },
    /** Settings for a stack that trusts this provider. */
    config(extra: Record<string, string> = {}): Record<string, string> {
      return { AUTH_MODE: 'jwks', AUTH_JWKS_URL: jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ...extra };
    },
    /** A token the provider issues, signed with its private key. */
    token(sub: string, claims: JWTPayload = {}, options: TokenOptions = {}): Promise<string> {
      return new SignJWT(standardClaims(sub, claims, options)).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(privateKey);
    },
    /** `alg: none`: no signature at all. */
    unsignedToken(sub: string, claims: JWTPayload = {}): string {
      return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(standardClaims(sub, claims, {}))}.`;
    },
    /** HS256 with `secret` as the HMAC key: the key-confusion forgery when the secret is the public key. */
    hmacToken(sub: string, secret: string, claims: JWTPayload = {}): Promise<string> {
      return new SignJWT(standardClaims(sub, claims, {}))
        .setProtectedHeader({ alg: 'HS256', kid: KID, typ: 'JWT' })
        .sign(new TextEncoder().encode(secret));
    },
    /** Signed by a key pair the provider never published, under the provider's key id. */
    async foreignKeyToken(sub: string, claims: JWTPayload = {}): Promise<string> {
      const other = await generateKeyPair('RS256');
      return new SignJWT(standardClaims(sub, claims, {})).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(other.privateKey);
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>;
