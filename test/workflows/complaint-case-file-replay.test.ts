import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { historiesIn, installQuietRuntime, replayHistories, type HistoryFixture } from '../support/history-replay.js';

// Replays the recorded histories of the complaint workflow's case-file steps (a
// request for more information answered or expired, evidence on appeal)
// against today's code. Those steps are behind the patch below, so complaints
// started before them replay unchanged (complaint-replay.test.ts) and these
// histories need it. Re-record with `npx tsx test/fixtures/record-case-file-histories.ts`.

const PATCH = 'complaint-case-file-steps';
const FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'complaint-histories', 'case-file');

type Fixture = HistoryFixture;

const fixtures: Fixture[] = historiesIn(FOLDER);

beforeAll(installQuietRuntime);

const replay = (histories: Fixture[]) => replayHistories('complaint-case-file-replay', histories);

const decoded = (event: Record<string, any>) =>
  Buffer.from(event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? '', 'base64').toString('utf8');
const patchMarkers = (fixture: Fixture) => fixture.json.events.filter((e) => decoded(e).includes(`"id":"${PATCH}"`));
const updatesNamed = (fixture: Fixture) =>
  fixture.json.events.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).filter(Boolean);

describe('histories of the case-file steps', () => {
  it('cover a request answered, a request expired and evidence on appeal, each complete and patched', () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      'appeal-with-appellant-evidence',
      'information-answered-with-photo-and-statement',
      'information-request-expired',
    ]);
    for (const fixture of fixtures) {
      expect(fixture.json.events.at(-1)?.eventType, fixture.name).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
      expect(patchMarkers(fixture), fixture.name).toHaveLength(1);
    }
    expect(updatesNamed(fixtures[1]!)).toEqual(expect.arrayContaining(['requestInformation', 'answerInformationRequest']));
    expect(updatesNamed(fixtures[2]!)).toContain('requestInformation');
  });

  it('replay against the current workflow code without a determinism error', async () => {
    expect(await replay(fixtures)).toEqual(fixtures.map((f) => ({ name: f.name, error: undefined })));
  });

  it('fail to replay without their patch marker: the steps are taken only behind it', async () => {
    const unpatched = fixtures.slice(1).map((fixture) => {
      const json = structuredClone(fixture.json);
      for (const event of patchMarkers({ name: fixture.name, json })) {
        const payload = event.markerRecordedEventAttributes.details['patch-data'].payloads[0];
        payload.data = Buffer.from(decoded(event).replace(PATCH, `${PATCH}-unknown`)).toString('base64');
      }
      return { name: `${fixture.name}-unpatched`, json };
    });
    const results = await replay(unpatched);
    expect(results.map((r) => r.name)).toEqual(unpatched.map((f) => f.name));
    for (const result of results) expect(result.error, result.name).toMatch(/Nondeterminism|Determinism/i);
  });
});
