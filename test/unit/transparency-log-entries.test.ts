import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { minimalEnv } from '../support/config-fixture.js';
import { memoryStorage } from '../support/memory-storage.js';
import { generateNoteKey } from '../../src/tlog/index.js';
import { parseSkey } from '../../src/tlog/note.js';
import { commitment, encodeEntry, type LogEntry } from '../../src/transparency/entries.js';
import { LogConflictError, LOG_PREFIX, isFullTilePath, writeTiles } from '../../src/transparency/log-storage.js';

const entry: LogEntry = {
  v: 1,
  type: 'badge.revoked',
  time: 1_765_000_000,
  eventId: 'badge:b:revoked:1',
  ids: { store: 's', badge: 'b' },
  reason: 'REVOKED_BY_REVIEWER',
  status: { suspended: 0, revoked: 1, list: 0, index: 7 },
};

describe('log entries', () => {
  it('are RFC 8785 canonical JSON: keys sorted at every level, no spaces, whatever order they were built in', () => {
    expect(encodeEntry(entry).toString()).toBe(
      '{"eventId":"badge:b:revoked:1","ids":{"badge":"b","store":"s"},"reason":"REVOKED_BY_REVIEWER",' +
        '"status":{"index":7,"list":0,"revoked":1,"suspended":0},"time":1765000000,"type":"badge.revoked","v":1}',
    );
  });

  it('refuse to exceed 64 KiB', () => {
    expect(() => encodeEntry({ ...entry, eventId: 'x'.repeat(70_000) })).toThrow(/over 65535/);
  });

  it('commit to text with a salt: the same text under another salt gives another commitment', () => {
    const a = commitment(Buffer.alloc(32, 1), 'Sells grey-market goods');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(commitment(Buffer.alloc(32, 2), 'Sells grey-market goods')).not.toBe(a);
    expect(commitment(Buffer.alloc(32, 1), 'Sells grey-market goods')).toBe(a);
  });
});

describe('tile writes', () => {
  it('take identical bytes already stored as success, and stop on different bytes', async () => {
    const objects = new Map<string, Buffer>();
    const storage = memoryStorage(objects);
    await writeTiles(storage, [{ path: 'tile/0/000.p/3', data: Buffer.alloc(96, 1) }]);
    await writeTiles(storage, [{ path: 'tile/0/000.p/3', data: Buffer.alloc(96, 1) }]);
    expect(objects.get(`${LOG_PREFIX}tile/0/000.p/3`)).toEqual(Buffer.alloc(96, 1));
    await expect(writeTiles(storage, [{ path: 'tile/0/000.p/3', data: Buffer.alloc(96, 2) }])).rejects.toThrow(LogConflictError);
  });

  it('are served immutable only when full', () => {
    expect(isFullTilePath('tile/0/x001/234')).toBe(true);
    expect(isFullTilePath('tile/entries/000')).toBe(true);
    expect(isFullTilePath('tile/0/000.p/3')).toBe(false);
    expect(() => isFullTilePath('tile/0/1')).toThrow();
  });
});

describe('log settings', () => {
  const env = (overrides: Record<string, string | undefined>) => ({ ...minimalEnv, ...overrides });

  it('take witnesses as JSON with cosignature keys, and refuse a quorum larger than the witnesses', () => {
    const witness = generateNoteKey('witness.example/w1', 0x04).vkey;
    const config = loadConfig(
      env({ TLOG_WITNESSES: JSON.stringify([{ url: 'https://w.example/add-checkpoint', vkey: witness }]), TLOG_WITNESS_QUORUM: '1' }),
    );
    expect(config.TLOG_WITNESSES).toEqual([{ url: 'https://w.example/add-checkpoint', vkey: witness }]);
    expect(() => loadConfig(env({ TLOG_WITNESS_QUORUM: '1' }))).toThrow(/only 0 witnesses/);
    expect(() => loadConfig(env({ TLOG_WITNESSES: '[{"url":"https://w.example","vkey":"nope"}]' }))).toThrow(/cosignature/);
    expect(() => loadConfig(env({ NODE_ENV: 'production', TLOG_SIGNING_KEY: undefined }))).toThrow(
      /TLOG_SIGNING_KEY is required in production/,
    );
  });

  it('refuse the badge signing key as the log key', () => {
    const { skey } = generateNoteKey('auth.example/transparency-log');
    const seed = parseSkey(skey).key.toString('base64url');
    expect(() =>
      loadConfig(env({ TLOG_SIGNING_KEY: skey, BADGE_SIGNING_JWK: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: seed }) })),
    ).toThrow(/a key of its own/);
    expect(loadConfig(env({ TLOG_SIGNING_KEY: skey })).TLOG_SIGNING_KEY).toBe(skey);
  });
});
