import { gzipSync } from 'node:zlib';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CompactSign, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './signing-key.js';

export type StatusPurpose = 'revocation' | 'suspension';
export const STATUS_PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

/** W3C Bitstring Status List: at least 16 KiB of bits, so one index reveals little about which badge is checked. */
export const STATUS_LIST_BITS = 131_072;

export const CREDENTIAL_TYPE = 'badge+jwt';

export interface BadgeForCredential {
  id: string;
  storeId: string;
  brandId: string;
  kind: 'OFFICIAL_STORE' | 'AUTHORIZED_STORE';
  issuedAt: Date;
  expiresAt: Date;
  statusListIndex: number;
  brand: { slug: string; name: string };
  store: { name: string };
}

export const statusListUrl = (baseUrl: string, purpose: StatusPurpose) => new URL(`/status/badges/${purpose}`, baseUrl).toString();

export function badgeLabel(kind: BadgeForCredential['kind'], brandName: string): string {
  return kind === 'OFFICIAL_STORE' ? `Official store of ${brandName}` : `Official authorized store of ${brandName}`;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A compact JWS (EdDSA) a storefront verifies offline with the JWKS and the status lists. */
export function signBadgeCredential(key: SigningKey, baseUrl: string, badge: BadgeForCredential): Promise<string> {
  return new SignJWT({
    kind: badge.kind,
    label: badgeLabel(badge.kind, badge.brand.name),
    store: { id: encodeGlobalID('Store', badge.storeId), name: badge.store.name },
    brand: { id: encodeGlobalID('Brand', badge.brandId), slug: badge.brand.slug, name: badge.brand.name },
    credentialStatus: STATUS_PURPOSES.map((purpose) => ({
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(badge.statusListIndex),
      statusListCredential: statusListUrl(baseUrl, purpose),
    })),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: CREDENTIAL_TYPE })
    .setIssuer(new URL(baseUrl).origin)
    .setSubject(encodeGlobalID('Store', badge.storeId))
    .setJti(encodeGlobalID('Badge', badge.id))
    .setIssuedAt(seconds(badge.issuedAt))
    .setNotBefore(seconds(badge.issuedAt))
    .setExpirationTime(seconds(badge.expiresAt))
    .sign(key.privateKey);
}

export type CredentialCheck = { ok: true; badgeGlobalId: string; expiresAt: Date } | { ok: false; reason: string; badgeGlobalId?: string };

/** Signature, type, issuer and expiry; the badge's current status is the caller's to check. */
export async function checkBadgeCredential(key: SigningKey, baseUrl: string, credential: string, now: Date): Promise<CredentialCheck> {
  try {
    decodeProtectedHeader(credential);
  } catch {
    return { ok: false, reason: 'Not a compact JWS.' };
  }
  try {
    const { payload } = await jwtVerify(credential, key.publicKey, {
      algorithms: ['EdDSA'],
      typ: CREDENTIAL_TYPE,
      issuer: new URL(baseUrl).origin,
      currentDate: now,
    });
    return { ok: true, badgeGlobalId: String(payload.jti), expiresAt: new Date(payload.exp! * 1000) };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return { ok: false, reason: 'The credential has expired.', badgeGlobalId: String(error.payload.jti) };
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'The signature does not verify.' };
    return { ok: false, reason: `The credential is not valid: ${(error as Error).message}` };
  }
}

/** The bitstring: bit i (most significant bit first) is set when index i has the list's purpose. */
export function encodeStatusList(setIndexes: Iterable<number>): string {
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8);
  for (const index of setIndexes) {
    if (index < 0 || index >= STATUS_LIST_BITS) continue;
    bits[index >> 3]! |= 0x80 >> (index & 7);
  }
  // Multibase prefix "u": base64url without padding.
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** A signed BitstringStatusListCredential (VC-JWT, EdDSA). */
export async function signStatusList(
  key: SigningKey,
  baseUrl: string,
  purpose: StatusPurpose,
  setIndexes: Iterable<number>,
  now: Date,
  validForSeconds: number,
): Promise<string> {
  const id = statusListUrl(baseUrl, purpose);
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: new URL(baseUrl).origin,
    validFrom: now.toISOString(),
    credentialSubject: { id: `${id}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: encodeStatusList(setIndexes) },
    iss: new URL(baseUrl).origin,
    sub: id,
    iat: seconds(now),
    exp: seconds(now) + Math.max(validForSeconds, 60) * 10,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'vc+jwt' })
    .sign(key.privateKey);
}
