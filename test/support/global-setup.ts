import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlerOptions, workflowsPath } from '../../src/temporal/create-worker.js';
import { workflowBundlePath } from './workflow-bundle.js';

// Bundling the workflows takes seconds; doing it once here saves it in every worker a test starts.
export default async function bundleWorkflowsOnce() {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    webpackConfigHook: bundlerOptions!.webpackConfigHook,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  mkdirSync(path.dirname(workflowBundlePath), { recursive: true });
  // Written aside and renamed, so a worker never reads a half-written bundle.
  const staging = `${workflowBundlePath}.${process.pid}`;
  writeFileSync(staging, code);
  renameSync(staging, workflowBundlePath);
}
