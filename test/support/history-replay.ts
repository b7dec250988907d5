import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '../fixtures/history-json.js';
import { workflowBundlePath } from './workflow-bundle.js';

// Recorded workflow histories replayed against today's workflow code: a change
// that running workflows can't follow fails here, before it is deployed.

export interface HistoryFixture {
  name: string;
  json: { events: Array<Record<string, any>> };
}

/** The histories recorded in `folder` (none if it doesn't exist), each named `prefix` + its file name. */
export function historiesIn(folder: string, prefix = ''): HistoryFixture[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: `${prefix}${path.basename(file, '.json')}`,
      json: JSON.parse(readFileSync(path.join(folder, file), 'utf8')),
    }));
}

/**
 * The replay worker and bundler log every state change at INFO; checks that
 * must fail still log their failure once.
 */
export function installQuietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    // Already installed in this process.
  }
}

/** Each history replayed on the project's workflow bundle, with the error it ended in, if any. */
export async function replayHistories(replayName: string, histories: HistoryFixture[]) {
  const results: Array<{ name: string; error: string | undefined }> = [];
  const inputs = histories.map((f) => ({ workflowId: f.name, history: historyFromJSON(f.json) }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath }, replayName }, inputs)) {
    results.push({ name: result.workflowId, error: result.error ? `${result.error.name}: ${result.error.message}` : undefined });
  }
  return results;
}
