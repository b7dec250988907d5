import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { pageOriginAllowed } from './site-origin.js';
import { decodeStatusList, isBitSet } from './status-list.js';
import type { Fetched } from './cache-control.js';
import { checkBadgeLogged, type LogSources } from './log-proof.js';

/** What the page asks the badge to vouch for. */
export interface BadgeExpectation {
  /** The store's global ID, as the `store` attribute names it. */
  store: string;
  /** The brand's slug, as the `brand` attribute names it. */
  brand: string;
  /** `location.origin` of the page showing the badge. */
  pageOrigin: string;
  /** The service's origin: the credential's and the status lists' issuer. */
  issuer: string;
}

/**
 * Where the checks get the service's keys and signed status lists (cached as
 * their Cache-Control says), and the log's key and the badge's grant proof.
 */
export interface CredentialSources extends LogSources {
  /** With `reload`, from the service even if a copy is fresh: a key it does not have may be newer than the copy. */
  jwks(reload?: boolean): Promise<Fetched<JSONWebKeySet>>;
  statusList(url: string): Promise<Fetched<string>>;
}

export type BadgeCheck =
  { valid: true; kind: string; label: string; brandName: string; storeName: string; recheckAt: number } | { valid: false; reason: string };

interface BadgeClaims extends JWTPayload {
  kind?: unknown;
  label?: unknown;
  store?: { id?: unknown; name?: unknown };
  brand?: { slug?: unknown; name?: unknown };
  origins?: unknown;
  credentialStatus?: Array<{ statusPurpose?: unknown; statusListIndex?: unknown; statusListCredential?: unknown }>;
}

interface StatusListClaims extends JWTPayload {
  id?: unknown;
  credentialSubject?: { statusPurpose?: unknown; encodedList?: unknown };
}

const LABELS: Record<string, string> = { OFFICIAL_STORE: 'Official store of ', AUTHORIZED_STORE: 'Official authorized store of ' };
/** Tolerated difference between the page's clock and the service's. */
const CLOCK_TOLERANCE_SECONDS = 60;

const invalid = (reason: string): BadgeCheck => ({ valid: false, reason });

/**
 * Checks a badge credential offline: its EdDSA signature against the service's
 * keys, issuer, type and validity period; that it names the expected store and
 * brand and the page's origin; and that neither signed status list it names
 * (revocation, suspension) has its bit set; and that the transparency log
 * holds the grant of exactly this credential. `recheckAt` is when a status list
 * or the credential stops being current, so the badge must be checked again.
 */
export async function checkBadgeCredential(
  credential: string,
  expected: BadgeExpectation,
  sources: CredentialSources,
  now: number,
): Promise<BadgeCheck> {
  let keys = createLocalJWKSet((await sources.jwks()).value);
  let reloaded = false;
  const options = { issuer: expected.issuer, algorithms: ['EdDSA'], currentDate: new Date(now), clockTolerance: CLOCK_TOLERANCE_SECONDS };
  /** The payload of a JWS the service signed; a key missing from a cached key set is looked up once at the service. */
  async function verified<T extends JWTPayload>(jws: string, typ: string): Promise<T> {
    try {
      return (await jwtVerify<T>(jws, keys, { ...options, typ })).payload;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || reloaded) throw error;
      reloaded = true;
      keys = createLocalJWKSet((await sources.jwks(true)).value);
      return (await jwtVerify<T>(jws, keys, { ...options, typ })).payload;
    }
  }
  let claims: BadgeClaims;
  try {
    claims = await verified<BadgeClaims>(credential, 'badge+jwt');
  } catch (error) {
    return invalid(`credential: ${(error as Error).message}`);
  }
  if (claims.sub !== expected.store || claims.store?.id !== expected.store) return invalid('The credential names another store.');
  if (claims.brand?.slug !== expected.brand) return invalid('The credential names another brand.');
  if (!pageOriginAllowed(claims.origins, expected.pageOrigin)) return invalid('The credential does not name this site.');
  const prefix = typeof claims.kind === 'string' ? LABELS[claims.kind] : undefined;
  const brandName = claims.brand.name;
  if (!prefix || typeof brandName !== 'string' || claims.label !== prefix + brandName) return invalid('The credential has no known label.');
  const entries = claims.credentialStatus;
  const purposes = new Set(Array.isArray(entries) ? entries.map((entry) => entry.statusPurpose) : []);
  if (!purposes.has('revocation') || !purposes.has('suspension')) return invalid('The credential names no status lists.');

  let recheckAt = (claims.exp ?? 0) * 1000;
  for (const entry of entries!) {
    const url = entry.statusListCredential;
    const index = Number(entry.statusListIndex);
    if (typeof url !== 'string' || new URL(url).origin !== expected.issuer) return invalid('A status list is not the issuer’s.');
    let list: Fetched<string>;
    let listClaims: StatusListClaims;
    try {
      list = await sources.statusList(url);
      listClaims = await verified<StatusListClaims>(list.value, 'vc+jwt');
    } catch (error) {
      return invalid(`status list: ${(error as Error).message}`);
    }
    if (listClaims.id !== url || listClaims.credentialSubject?.statusPurpose !== entry.statusPurpose) {
      return invalid('The status list is not the one the credential names.');
    }
    const encoded = listClaims.credentialSubject?.encodedList;
    try {
      if (typeof encoded !== 'string' || isBitSet(await decodeStatusList(encoded), index))
        return invalid(`The badge is under ${entry.statusPurpose}.`);
    } catch (error) {
      return invalid(`status list: ${(error as Error).message}`);
    }
    // A list is current until its cache time or its signature ends, whichever comes first.
    recheckAt = Math.min(recheckAt, list.expiresAt, (listClaims.exp ?? 0) * 1000 + CLOCK_TOLERANCE_SECONDS * 1000);
  }
  // A badge the public log does not show as granted is one a monitor could not have seen: not shown.
  const logged = await checkBadgeLogged(credential, String(claims.jti), sources);
  if (!logged.valid) return invalid(logged.reason);
  return {
    valid: true,
    kind: claims.kind as string,
    label: claims.label,
    brandName,
    storeName: String(claims.store?.name ?? ''),
    recheckAt,
  };
}
