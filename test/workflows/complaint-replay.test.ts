import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { historiesIn, installQuietRuntime, replayHistories, type HistoryFixture } from '../support/history-replay.js';

// Replays recorded complaint histories against today's workflow code: a change
// that would break running complaints (a reordered activity, a new timer in
// the middle) fails here instead of in production. After an intended change,
// re-record with `npx tsx test/fixtures/record-complaint-histories.ts`: it
// writes the current version's histories to complaint-histories/v2 and keeps
// those of earlier versions, which complaints still running may have.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(root, 'test', 'fixtures', 'complaint-histories');

type Fixture = HistoryFixture;

const fixtures: Fixture[] = [...historiesIn(FIXTURES), ...historiesIn(path.join(FIXTURES, 'v2'), 'v2/')];

beforeAll(installQuietRuntime);

const replay = (histories: Fixture[]) => replayHistories('complaint-replay', histories);

const modified = (fixture: Fixture, change: (events: Fixture['json']['events']) => void): Fixture => {
  const json = structuredClone(fixture.json);
  change(json.events);
  return { name: `${fixture.name}-modified`, json };
};

describe('complaint workflow histories', () => {
  it('exist for earlier versions and the current one, each a complete run of complaintWorkflow', () => {
    expect(fixtures.filter((f) => f.name.startsWith('v2'))).not.toEqual([]);
    expect(fixtures.filter((f) => !f.name.startsWith('v2'))).not.toEqual([]);
    expect(
      fixtures.map((f) => f.name),
      `no histories in ${FIXTURES}: run npx tsx test/fixtures/record-complaint-histories.ts`,
    ).not.toEqual([]);
    for (const fixture of fixtures) {
      expect(fixture.json.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name, fixture.name).toBe('complaintWorkflow');
      expect(fixture.json.events.at(-1)?.eventType, fixture.name).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    }
  });

  it('replay against the current workflow code without a determinism error', async () => {
    expect(fixtures).not.toEqual([]);
    expect(await replay(fixtures)).toEqual(fixtures.map((f) => ({ name: f.name, error: undefined })));
  });
});

describe('the replay check', () => {
  // Proves the check can fail: each history below no longer matches the code.
  const withActivities = () => {
    const fixture = fixtures.find((f) => f.json.events.some((e) => e.activityTaskScheduledEventAttributes));
    expect(fixture, 'a recorded history with an activity').toBeDefined();
    return fixture!;
  };

  it('fails for a history of a workflow function the bundle does not have', async () => {
    const renamed = modified(withActivities(), (events) => {
      events[0]!.workflowExecutionStartedEventAttributes.workflowType.name = 'complaintWorkflowV0';
    });
    expect(await replay([renamed])).toEqual([
      { name: renamed.name, error: expect.stringMatching(/^ReplayError: .*no such function is exported by the workflow bundle/s) },
    ]);
  });

  it('fails when the history scheduled another activity than the code does', async () => {
    const changed = modified(withActivities(), (events) => {
      events.find((e) => e.activityTaskScheduledEventAttributes)!.activityTaskScheduledEventAttributes.activityType.name =
        'sendLegacyNotification';
    });
    expect(await replay([changed])).toEqual([
      {
        name: changed.name,
        error: expect.stringMatching(
          /^DeterminismViolationError: .*Activity type of scheduled event 'sendLegacyNotification' does not match/s,
        ),
      },
    ]);
  });
});
