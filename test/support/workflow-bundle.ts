import path from 'node:path';
import { projectRoot } from './test-env.js';

/** The workflow code bundled once per test run by the global set-up; every test worker loads it. */
export const workflowBundlePath = path.join(projectRoot, '.data', 'workflow-bundle.js');
