import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jwtVerify } from 'jose';
import { expect, it, vi } from 'vitest';
import { projectRoot, testEnv } from '../support/test-env.js';

// The API's real entry point as a process: listens, logs JSON with request ids, stops cleanly on SIGTERM.
it('serves, logs every request with its id, and drains on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...testEnv(), PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // Complete lines only: the last one may still be arriving.
  const logLines = () =>
    output
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  const listening = await Promise.race([
    vi.waitFor(
      () => {
        const line = logLines().find((l) => l.msg === 'API listening');
        expect(line, output).toBeDefined();
        return line;
      },
      { timeout: 60_000, interval: 100 },
    ),
    exited.then((code) => {
      throw new Error(`the API exited with ${code} before listening:\n${output}`);
    }),
  ]);
  const url = listening.url as string;

  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'probe-0123456789' },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  expect(await res.json()).toEqual({ data: { me: null } });
  expect(res.headers.get('x-request-id')).toBe('probe-0123456789');
  // The request is logged once the response has gone out.
  await vi.waitFor(
    () =>
      expect(logLines().find((line) => line.requestId === 'probe-0123456789')).toMatchObject({
        msg: 'request',
        method: 'POST',
        path: '/graphql',
        status: 200,
      }),
    { timeout: 5_000, interval: 50 },
  );

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('"API stopped"');
});

it('mints dev tokens with npm run token', async () => {
  const env = testEnv();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/cli/token.ts', '--sub', 'alice', '--roles', 'brand,REVIEWER'],
    {
      cwd: projectRoot,
      env: { ...process.env, AUTH_HS256_SECRET: env.AUTH_HS256_SECRET },
    },
  );
  const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(env.AUTH_HS256_SECRET));
  expect(payload).toMatchObject({ sub: 'alice', roles: ['BRAND', 'REVIEWER'], iss: 'brand-auth-dev' });
  await expect(
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', '--sub', 'bob', '--roles', 'KING'], { cwd: projectRoot }),
  ).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('Unknown role(s): KING.'),
  });
});
