import { describe, expect, it } from 'vitest';
import { coverageEnd, entitledExpiry } from '../../src/services/badge-renewal.js';
import { expiresSoon } from '../../src/services/reseller-overview.js';

const DAY = 86_400_000;
const now = new Date('2026-12-06T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);
const period = (from: number, until: number) => ({ validFrom: at(from), validUntil: at(until) });

describe('coverageEnd', () => {
  it('is null when nothing covers now', () => {
    expect(coverageEnd([], now)).toBeNull();
    expect(coverageEnd([period(1, 10)], now)).toBeNull();
    expect(coverageEnd([period(-10, 0)], now)).toBeNull();
  });

  it('follows renewals that start no later than the current period ends, in any order', () => {
    expect(coverageEnd([period(-1, 5)], now)).toEqual(at(5));
    expect(coverageEnd([period(5, 400), period(-1, 5)], now)).toEqual(at(400));
    expect(coverageEnd([period(300, 700), period(-1, 5), period(2, 365)], now)).toEqual(at(700));
  });

  it('stops at a gap', () => {
    expect(coverageEnd([period(-1, 5), period(6, 400)], now)).toEqual(at(5));
  });
});

describe('entitledExpiry', () => {
  const letter = (validUntil: number, status = 'APPROVED', grantor: { status: string; validUntil: Date } | null = null) => ({
    status,
    validUntil: at(validUntil),
    grantor,
  });

  it("gives an official store the brand's proof", () => {
    expect(entitledExpiry({ kind: 'OFFICIAL_STORE', proofEnds: at(365) })).toEqual(at(365));
    expect(entitledExpiry({ kind: 'OFFICIAL_STORE', proofEnds: null })).toBeNull();
  });

  it('gives an authorized store the first end along its chain', () => {
    expect(entitledExpiry({ kind: 'AUTHORIZED_STORE', proofEnds: at(365), letter: letter(180) })).toEqual(at(180));
    expect(entitledExpiry({ kind: 'AUTHORIZED_STORE', proofEnds: at(30), letter: letter(180) })).toEqual(at(30));
    expect(
      entitledExpiry({
        kind: 'AUTHORIZED_STORE',
        proofEnds: at(365),
        letter: letter(180, 'APPROVED', { status: 'APPROVED', validUntil: at(90) }),
      }),
    ).toEqual(at(90));
  });

  it('gives nothing when a letter along the chain no longer stands', () => {
    expect(entitledExpiry({ kind: 'AUTHORIZED_STORE', proofEnds: at(365), letter: letter(180, 'REVOKED') })).toBeNull();
    expect(
      entitledExpiry({
        kind: 'AUTHORIZED_STORE',
        proofEnds: at(365),
        letter: letter(180, 'APPROVED', { status: 'EXPIRED', validUntil: at(200) }),
      }),
    ).toBeNull();
    expect(entitledExpiry({ kind: 'AUTHORIZED_STORE', proofEnds: at(365), letter: null })).toBeNull();
  });
});

describe('expiresSoon', () => {
  const lead = 30 * 86_400;
  it('holds for a standing badge within the reminder lead of its expiry', () => {
    expect(expiresSoon({ status: 'ACTIVE', expiresAt: at(29) }, now, lead)).toBe(true);
    expect(expiresSoon({ status: 'SUSPENDED', expiresAt: at(30) }, now, lead)).toBe(true);
    expect(expiresSoon({ status: 'ACTIVE', expiresAt: at(31) }, now, lead)).toBe(false);
  });

  it('never holds for a badge that no longer stands, or none', () => {
    expect(expiresSoon({ status: 'EXPIRED', expiresAt: at(1) }, now, lead)).toBe(false);
    expect(expiresSoon({ status: 'REVOKED', expiresAt: at(1) }, now, lead)).toBe(false);
    expect(expiresSoon(null, now, lead)).toBe(false);
  });
});
