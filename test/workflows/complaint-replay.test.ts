import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowBundlePath } from '../support/workflow-bundle.js';
import { historyFromJSON } from '../fixtures/history-json.js';

// Replays recorded complaint histories against today's workflow code: a change
// that would break running complaints (a reordered activity, a new timer in
// the middle) fails here instead of in production. After an intended change,
// re-record with `npx tsx test/fixtures/record-complaint-histories.ts`: it
// writes the current version's histories to complaint-histories/v2 and keeps
// those of earlier versions, which complaints still running may have.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(root, 'test', 'fixtures', 'complaint-histories');

interface Fixture {
  name: string;
  json: { events: Array<Record<string, any>> };
}

/** The histories in `folder`, named by their path under the fixtures folder. */
const historiesIn = (folder: string): Fixture[] =>
  existsSync(folder)
    ? readdirSync(folder)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => ({
          name: path.relative(FIXTURES, path.join(folder, path.basename(file, '.json'))),
          json: JSON.parse(readFileSync(path.join(folder, file), 'utf8')),
        }))
    : [];

const fixtures: Fixture[] = [...historiesIn(FIXTURES), ...historiesIn(path.join(FIXTURES, 'v2'))];

let options: ReplayWorkerOptions;

beforeAll(async () => {
  // The replay worker and bundler log every state change at INFO; the checks below that must
  // fail still log their failure once.
  const logger = new DefaultLogger('WARN');
  try {
    Runtime.install({ logger, telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // Already installed in this process.
  }
  options = { workflowBundle: { codePath: workflowBundlePath }, replayName: 'complaint-replay' };
});

async function replay(histories: Fixture[]) {
  const results: Array<{ name: string; error: string | undefined }> = [];
  const inputs = histories.map((f) => ({ workflowId: f.name, history: historyFromJSON(f.json) }));
  for await (const result of Worker.runReplayHistories(options, inputs)) {
    results.push({ name: result.workflowId, error: result.error ? `${result.error.name}: ${result.error.message}` : undefined });
  }
  return results;
}

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
