import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './support/test-env.js';

// Workflow code is replayed and must be deterministic: it may import only the
// Temporal workflow API, sibling workflow files, and types (erased at build).
const workflowsDir = path.join(projectRoot, 'workflows');
const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.ts'));
const ALLOWED = [/^@temporalio\/workflow$/, /^\.\/[\w.-]+\.js$/];

describe.each(files)('workflows/%s', (file) => {
  it('imports no I/O: no Node built-ins, no src/ code, no other packages at run time', () => {
    const source = readFileSync(path.join(workflowsDir, file), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => ({ typeOnly: Boolean(m[1]), from: m[2]! }));
    const offending = imports.filter(({ typeOnly, from }) => !typeOnly && !ALLOWED.some((pattern) => pattern.test(from)));
    expect(offending).toEqual([]);
    expect(imports.length).toBeGreaterThan(0);
  });
});
