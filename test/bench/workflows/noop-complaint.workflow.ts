// The floor for complaint workflow throughput: a workflow taking a complaint's
// six Updates (file, photo, submit, respond, claim, decide), each running one
// activity in turn like the complaint's do, then the decision's two (warning,
// coupon); its activities do nothing. Bundled on its own for the bench.
import { defineUpdate, proxyActivities, setHandler, condition } from '@temporalio/workflow';

export const STEPS = ['file', 'addEvidence', 'submit', 'respond', 'claim', 'decide'] as const;
export type Step = (typeof STEPS)[number];
export const noopStepUpdate = defineUpdate<string, [Step]>('noopStep');

const { noop } = proxyActivities<{ noop(what: string): Promise<void> }>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function noopComplaintWorkflow(): Promise<string> {
  let turn: Promise<unknown> = Promise.resolve();
  let decided = false;
  setHandler(noopStepUpdate, (step) => {
    const run = turn.then(async () => {
      await noop(step);
      if (step === 'decide') decided = true;
      return step;
    });
    turn = run.catch(() => undefined);
    return run;
  });
  await condition(() => decided);
  await noop('issueWarning');
  await noop('issueCoupon');
  return 'coupon';
}
