import { isDeepStrictEqual } from 'node:util';
import { createInterface } from 'node:readline';
import { Context } from '@temporalio/activity';
import type { createActivities } from '../../src/activities/index.js';

type Activities = ReturnType<typeof createActivities>;

/** Which calls of an activity hold, and where. */
export interface PauseRule {
  /**
   * Matched against the call's arguments, position by position; an object
   * matches when every field it names matches (deeply), so
   * `[{ event: { type: 'DECIDED' } }]` picks applyTransition's decisions and
   * `['<complaint id>']` picks one complaint's warning. Omitted: every call.
   */
  args?: unknown[];
  /**
   * 'start' holds before the activity does anything; 'end' holds after its
   * work is done and committed but before the worker reports it, the moment a
   * crash makes the retry meet its own earlier writes. Default 'start'.
   */
  at?: 'start' | 'end';
}

/** Faults a test injects into the activities of a worker it starts, by activity name, so they apply to any activity. */
export interface InjectedFaults {
  /** These activities fail on their first N attempts. */
  failures?: Record<string, number>;
  /** These activities wait this long on their first attempt. */
  delaysMs?: Record<string, number>;
  /**
   * First attempts of these activities that match a rule hold until the test
   * releases them or kills the worker; the worker announces each hold
   * (see `PauseChannel`). Only a worker process has a channel.
   */
  pause?: Record<string, PauseRule | PauseRule[]>;
  /** Shorthand for `failures: { issueCoupon: N }`. */
  couponFailures?: number;
  /** Shorthand for `delaysMs: { issueCoupon: N }`. */
  couponDelayMs?: number;
}

/** An activity attempt held by a pause rule, as the worker announces it. */
export interface HeldActivity {
  /** Unique within the worker; the test releases the hold by it. */
  id: string;
  activity: string;
  at: 'start' | 'end';
  args: unknown[];
  workflowId: string;
  /** Its id in the workflow's history. */
  activityId: string;
  attempt: number;
}

/** How a worker tells the test an attempt is held, and learns when to let it go on. */
export interface PauseChannel {
  /** Resolves when the test releases the hold; never, if the test kills the worker instead. */
  hold(held: HeldActivity): Promise<void>;
}

function matches(pattern: unknown, value: unknown): boolean {
  if (pattern !== null && typeof pattern === 'object' && !Array.isArray(pattern)) {
    if (value === null || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([key, expected]) => matches(expected, (value as Record<string, unknown>)[key]));
  }
  if (Array.isArray(pattern)) return Array.isArray(value) && pattern.every((expected, i) => matches(expected, value[i]));
  return isDeepStrictEqual(pattern, value);
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The activities with `faults` wrapped around them; the production factory knows nothing of faults. */
export function withFaults(activities: Activities, faults: InjectedFaults = {}, channel?: PauseChannel): Activities {
  const failures: Record<string, number> = { ...faults.failures, ...(faults.couponFailures ? { issueCoupon: faults.couponFailures } : {}) };
  const delaysMs: Record<string, number> = { ...faults.delaysMs, ...(faults.couponDelayMs ? { issueCoupon: faults.couponDelayMs } : {}) };
  const pauses = faults.pause ?? {};
  if (Object.keys(pauses).length > 0 && !channel)
    throw new Error('Pausing activities needs a worker process (test/support/worker-main.ts).');
  let holds = 0;

  const wrap =
    (name: string, activity: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]): Promise<unknown> => {
      const { attempt, activityId, workflowExecution } = Context.current().info;
      const rules = attempt === 1 ? asList(pauses[name]).filter((rule) => !rule.args || matches(rule.args, args)) : [];
      const hold = async (at: 'start' | 'end') => {
        if (!rules.some((rule) => (rule.at ?? 'start') === at)) return;
        const held = {
          id: `${name}-${++holds}`,
          activity: name,
          at,
          args,
          workflowId: workflowExecution?.workflowId ?? '',
          activityId,
          attempt,
        };
        await channel!.hold(held);
      };
      const delay = delaysMs[name];
      if (delay && attempt === 1) await new Promise((resolve) => setTimeout(resolve, delay));
      const failing = failures[name];
      if (failing && attempt <= failing) throw new Error(`injected ${name} failure, attempt ${attempt}`);
      await hold('start');
      const result = await activity(...args);
      await hold('end');
      return result;
    };

  const named = new Set([...Object.keys(failures), ...Object.keys(delaysMs), ...Object.keys(pauses)]);
  const unknown = [...named].filter((name) => !(name in activities));
  if (unknown.length > 0) throw new Error(`Faults name activities the worker does not have: ${unknown.join(', ')}.`);
  const wrapped: Record<string, unknown> = { ...activities };
  for (const name of named) wrapped[name] = wrap(name, (activities as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!);
  return wrapped as Activities;
}

export const HELD_MESSAGE = 'activity held';

/**
 * The channel of a worker process: each hold is a JSON line on stdout, and a
 * line `{"release":"<id>"}` on stdin lets that attempt go on.
 */
export function stdioPauseChannel(): PauseChannel {
  const waiting = new Map<string, () => void>();
  let listening = false;
  return {
    hold(held) {
      if (!listening) {
        listening = true;
        createInterface({ input: process.stdin }).on('line', (line) => {
          const { release } = JSON.parse(line) as { release: string };
          waiting.get(release)?.();
          waiting.delete(release);
        });
        // Waiting for releases must not keep a worker that has shut down alive.
        (process.stdin as { unref?: () => void }).unref?.();
      }
      return new Promise<void>((resolve) => {
        waiting.set(held.id, resolve);
        console.log(JSON.stringify({ msg: HELD_MESSAGE, held }));
      });
    },
  };
}
