import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { historiesIn, installQuietRuntime, replayHistories, type HistoryFixture } from '../support/history-replay.js';

// Replays recorded badge-lifecycle and brand-verification histories against
// today's workflow code. v1 was recorded before renewals existed: badges and
// brands whose workflows started then must go on running once renewals are
// deployed. Re-record after an intended change with
// `npx tsx test/fixtures/record-badge-histories.ts workflows v2`.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(root, 'test', 'fixtures', 'badge-histories');

type Fixture = HistoryFixture;

const v1 = historiesIn(path.join(FIXTURES, 'v1'), 'v1/');
const v2 = historiesIn(path.join(FIXTURES, 'v2'), 'v2/');

beforeAll(installQuietRuntime);

const replay = (histories: Fixture[]) => replayHistories('badge-replay', histories);

const markers = (fixture: Fixture) =>
  fixture.json.events.filter((e) => e.markerRecordedEventAttributes).map((e) => e.markerRecordedEventAttributes.markerName);

describe('badge and brand workflow histories', () => {
  it('exist from before renewals and from today, each a complete run', () => {
    expect(v1.map((f) => f.name)).toEqual([
      'v1/badge-reminded-then-expired',
      'v1/badge-suspended-restored-revoked',
      'v1/brand-timer-then-ends',
    ]);
    expect(v2.map((f) => f.name)).toContain('v2/badge-renewed-then-expired');
    for (const fixture of [...v1, ...v2]) {
      expect(fixture.json.events.at(-1)?.eventType, fixture.name).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    }
    // Recorded before the patches existed, and after.
    expect(v1.flatMap(markers)).toEqual([]);
    expect(v2.flatMap(markers)).not.toEqual([]);
  });

  it('replay against the current workflow code without a determinism error', async () => {
    const all = [...v1, ...v2];
    expect(await replay(all)).toEqual(all.map((f) => ({ name: f.name, error: undefined })));
  });

  it('fail to replay when the history scheduled another activity than the code does', async () => {
    const fixture = v1.find((f) => f.name === 'v1/badge-reminded-then-expired')!;
    const json = structuredClone(fixture.json);
    json.events.find((e) => e.activityTaskScheduledEventAttributes)!.activityTaskScheduledEventAttributes.activityType.name =
      'notifyLegacy';
    const [result] = await replay([{ name: 'changed', json }]);
    expect(result?.error).toMatch(/DeterminismViolationError/);
  });
});
