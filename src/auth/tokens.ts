import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import { UnauthenticatedError } from '../errors.js';
import { rolesFromGroups } from './group-roles.js';

export const ROLES = ['CONSUMER', 'MERCHANT', 'BRAND', 'REVIEWER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  subject: string;
  /** hs256: the token's `roles` claim. jwks: only what the groups map to; server grants are added later. */
  roles: Role[];
  /** The token's `name` claim, shown to others as the actor's display name. */
  name: string | null;
  /** The OAuth client the token was issued to (`azp` or `client_id`), when it says. */
  clientId?: string | null;
}

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

const DEV_ISSUER = 'brand-auth-dev';
const MAX_NAME_LENGTH = 100;

function subjectOf(payload: JWTPayload): string {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 200) {
    throw new UnauthenticatedError('The token has no usable `sub` claim.');
  }
  return payload.sub;
}

function clientIdOf(payload: JWTPayload): string | null {
  const id = payload.azp ?? payload.client_id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function nameOf(payload: JWTPayload): string | null {
  const name = typeof payload.name === 'string' ? payload.name.trim() : '';
  return name ? name.slice(0, MAX_NAME_LENGTH) : null;
}

/** Dev tokens: the roles claim is taken as given, as anyone holding the secret could write any. */
function devClaims(payload: JWTPayload): TokenClaims {
  const declared = Array.isArray(payload.roles) ? payload.roles : [];
  return { subject: subjectOf(payload), roles: ROLES.filter((role) => declared.includes(role)), name: nameOf(payload) };
}

/**
 * Verifies bearer tokens: HS256 with a shared secret in dev and tests (loopback
 * only, see dev-token-guard), the identity provider's JWKS in production with
 * pinned algorithms, a required expiry, and roles only from mapped groups.
 */
export function createTokenVerifier(config: Config): TokenVerifier {
  let verify: (token: string) => Promise<TokenClaims>;
  const common = { requiredClaims: ['exp'], clockTolerance: config.AUTH_CLOCK_TOLERANCE_SECONDS };
  if (config.AUTH_MODE === 'jwks') {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL!));
    const options = { ...common, algorithms: config.AUTH_JWKS_ALGORITHMS, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE };
    verify = async (token) => {
      const { payload } = await jwtVerify(token, jwks, options);
      return {
        subject: subjectOf(payload),
        roles: rolesFromGroups(config.AUTH_GROUP_ROLES, payload[config.AUTH_GROUPS_CLAIM]),
        name: nameOf(payload),
        clientId: clientIdOf(payload),
      };
    };
  } else {
    const secret = new TextEncoder().encode(config.AUTH_HS256_SECRET!);
    const options = { ...common, algorithms: ['HS256'], issuer: config.AUTH_ISSUER ?? DEV_ISSUER, audience: config.AUTH_AUDIENCE };
    verify = async (token) => devClaims((await jwtVerify(token, secret, options)).payload);
  }
  return async (token) => {
    try {
      return await verify(token);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError('The bearer token is invalid or expired.');
    }
  };
}

export async function signDevToken(
  secret: string,
  claims: { sub: string; roles: Role[]; expiresIn?: string; issuer?: string; audience?: string; name?: string },
): Promise<string> {
  let jwt = new SignJWT({ roles: claims.roles, ...(claims.name ? { name: claims.name } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer ?? DEV_ISSUER)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h');
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
