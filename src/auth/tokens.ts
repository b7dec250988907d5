import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { UnauthenticatedError } from '../errors.js';

export const ROLES = ['CONSUMER', 'MERCHANT', 'BRAND', 'REVIEWER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  subject: string;
  roles: Role[];
}

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

const DEV_ISSUER = 'brand-auth-dev';

function toClaims(payload: { sub?: unknown; roles?: unknown }): TokenClaims {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) {
    throw new UnauthenticatedError('The token has no usable `sub` claim.');
  }
  const declared = Array.isArray(payload.roles) ? payload.roles : [];
  const roles = ROLES.filter((role) => declared.includes(role));
  return { subject: payload.sub, roles };
}

/** Verifies bearer tokens: HS256 with a shared secret in dev and tests, the identity provider's JWKS in production. */
export function createTokenVerifier(config: Config): TokenVerifier {
  let verify: (token: string) => ReturnType<typeof jwtVerify>;
  if (config.AUTH_MODE === 'jwks') {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL!));
    verify = (token) => jwtVerify(token, jwks, { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE });
  } else {
    const secret = new TextEncoder().encode(config.AUTH_HS256_SECRET!);
    verify = (token) =>
      jwtVerify(token, secret, { algorithms: ['HS256'], issuer: config.AUTH_ISSUER ?? DEV_ISSUER, audience: config.AUTH_AUDIENCE });
  }
  return async (token) => {
    try {
      const { payload } = await verify(token);
      return toClaims(payload);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError('The bearer token is invalid or expired.');
    }
  };
}

export async function signDevToken(
  secret: string,
  claims: { sub: string; roles: Role[]; expiresIn?: string; issuer?: string; audience?: string },
): Promise<string> {
  let jwt = new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer ?? DEV_ISSUER)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h');
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
