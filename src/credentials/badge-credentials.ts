import { gzipSync } from 'node:zlib';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CompactSign, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './signing-key.js';

export type StatusPurpose = 'revocation' | 'suspension';
export const STATUS_PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

export const CREDENTIAL_TYPE = 'badge+jwt';

export interface BadgeForCredential {
  id: string;
  storeId: string;
  brandId: string;
  kind: 'OFFICIAL_STORE' | 'AUTHORIZED_STORE';
  issuedAt: Date;
  expiresAt: Date;
  statusListId: number;
  statusListIndex: number;
  brand: { slug: string; name: string };
  store: { name: string };
  /** The store's verified web origins: a widget shows the badge only on a page of one of them. */
  origins?: readonly string[];
  /** When this credential is signed, if later than the badge's issue (a re-issue after the store's origins changed). */
  signedAt?: Date;
}

/** Where status list `listId` of a purpose is served; each credential names the list that holds its bit. */
export const statusListUrl = (baseUrl: string, purpose: StatusPurpose, listId: number) =>
  new URL(`/status/badges/${purpose}/${listId}`, baseUrl).toString();

/** The URL of the single list credentials named before lists were sharded; it still serves list 0. */
export const legacyStatusListUrl = (baseUrl: string, purpose: StatusPurpose) => new URL(`/status/badges/${purpose}`, baseUrl).toString();

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
    origins: [...(badge.origins ?? [])],
    credentialStatus: STATUS_PURPOSES.map((purpose) => ({
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(badge.statusListIndex),
      statusListCredential: statusListUrl(baseUrl, purpose, badge.statusListId),
    })),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: CREDENTIAL_TYPE })
    .setIssuer(new URL(baseUrl).origin)
    .setSubject(encodeGlobalID('Store', badge.storeId))
    .setJti(encodeGlobalID('Badge', badge.id))
    .setIssuedAt(seconds(badge.signedAt ?? badge.issuedAt))
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

/** The bitstring of `size` bits: bit i (most significant bit first) is set when index i has the list's purpose. */
export function encodeStatusList(size: number, setIndexes: Iterable<number>): string {
  const bits = Buffer.alloc(Math.ceil(size / 8));
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`Index ${index} is outside a list of ${size} bits.`);
    bits[index >> 3]! |= 0x80 >> (index & 7);
  }
  // Multibase prefix "u": base64url without padding.
  return `u${gzipSync(bits).toString('base64url')}`;
}

export interface StatusListToSign {
  /** The URL it is served at, which is also its id. */
  url: string;
  purpose: StatusPurpose;
  size: number;
  setIndexes: Iterable<number>;
  now: Date;
  /** Its cache time: a copy is not to be trusted longer than it may be cached. */
  maxAgeSeconds: number;
}

/** A signed BitstringStatusListCredential (VC-JWT, EdDSA). */
export async function signStatusList(key: SigningKey, baseUrl: string, list: StatusListToSign): Promise<string> {
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: list.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: new URL(baseUrl).origin,
    validFrom: list.now.toISOString(),
    validUntil: new Date((seconds(list.now) + list.maxAgeSeconds) * 1000).toISOString(),
    credentialSubject: {
      id: `${list.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: list.purpose,
      encodedList: encodeStatusList(list.size, list.setIndexes),
    },
    iss: new URL(baseUrl).origin,
    sub: list.url,
    iat: seconds(list.now),
    exp: seconds(list.now) + list.maxAgeSeconds,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'vc+jwt' })
    .sign(key.privateKey);
}
