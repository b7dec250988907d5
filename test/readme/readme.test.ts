// The README is executable: its examples run, in order, against the API and the worker started the way
// `npm run dev` starts them, over real HTTP (curl, multipart uploads included), and their answers are checked.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../src/auth/tokens.js';
import { readmeBlocks, type ReadmeBlock } from './readme-blocks.js';
import { projectRoot, startReadmeServer, type ReadmeServer } from './readme-server.js';
import { ShellSession } from './shell-session.js';

const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const blocks = readmeBlocks(readme);

type Json = any;

interface Answer {
  block: ReadmeBlock;
  value: Json;
}

// The shared test database keeps what earlier runs made, and brand slugs and approved
// registrations are unique: each run gives the README's ones a suffix of its own.
const suffix = randomBytes(3).toString('hex');
function uniquePerRun(code: string): string {
  return code
    .replace(/(slug: \\")([a-z0-9-]+)(\\")/g, `$1$2-${suffix}$3`)
    .replace(/("slug":\s*")([a-z0-9-]+)(")/g, `$1$2-${suffix}$3`)
    .replace(/(registrationNumber: \\")([^\\]+)(\\")/g, `$1$2-${suffix}$3`)
    .replace(/("registrationNumber":\s*")([^"]+)(")/g, `$1$2-${suffix}$3`);
}

/** Every line of output that is a JSON object: the answers the README's commands echo. */
function jsonLines(output: string): Json[] {
  return output.split('\n').flatMap((line) => {
    if (!line.trimStart().startsWith('{')) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

function userErrorsIn(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap(userErrorsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'userErrors' && Array.isArray(v) ? v : userErrorsIn(v)));
}

/** What is wrong with a classic PDF's cross-reference table (startxref -> xref -> each object's offset). */
function pdfXrefProblems(pdf: string): string[] {
  if (!pdf.startsWith('%PDF-1.')) return ['no %PDF-1.x header'];
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf);
  if (!startxref) return ['no startxref ... %%EOF trailer'];
  const table = /^xref\s+(\d+) (\d+)\s+/.exec(pdf.slice(Number(startxref[1])));
  if (!table) return [`startxref ${startxref[1]} does not point at an xref table`];
  const first = Number(table[1]);
  const entries = pdf.slice(Number(startxref[1]) + table[0].length).match(/^\d{10} \d{5} [nf][ \r]?\n/gm) ?? [];
  if (entries.length < Number(table[2])) return [`xref lists ${entries.length} of ${table[2]} entries`];
  return entries.slice(0, Number(table[2])).flatMap((entry, i) => {
    const [offset, , type] = entry.trim().split(' ');
    return type === 'n' && !pdf.startsWith(`${first + i} 0 obj`, Number(offset))
      ? [`object ${first + i} is not at offset ${Number(offset)}`]
      : [];
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const describeBlock = (block: ReadmeBlock) => `README.md:${block.line} (${block.section})`;

describe('README examples', () => {
  let server: ReadmeServer;
  let shell: ShellSession;
  let workDir: string;
  const answers: Answer[] = [];
  let broken: string | undefined;

  beforeAll(async () => {
    server = await startReadmeServer();
    // Inside the checkout, as for a reader of the README: `npm run token` finds the project, and
    // `import 'jose'` and `require('sharp')` resolve from its node_modules.
    workDir = path.join(projectRoot, '.data', `readme-test-${suffix}`);
    mkdirSync(workDir, { recursive: true });
    shell = new ShellSession(workDir, {
      ...process.env,
      API: server.baseUrl,
      // `npm run token` signs with this secret when it is set, as the server checks with it.
      AUTH_HS256_SECRET: server.env.AUTH_HS256_SECRET,
    });
  }, 180_000);

  afterAll(async () => {
    shell?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('has examples to run, which paste into zsh too', () => {
    expect(blocks.filter((b) => b.kind === 'sh').length).toBeGreaterThan(5);
    // Interactive zsh (macOS's shell) runs `#` as a command unless `setopt interactivecomments`:
    // explanations go in the prose around the blocks.
    const comments = blocks
      .filter((b) => b.kind === 'sh')
      .flatMap((b) =>
        b.code.split('\n').flatMap((line, i) => (/(^|\s)#/.test(line) ? [`README.md:${b.line + 1 + i}: ${line.trim()}`] : [])),
      );
    expect(comments).toEqual([]);
  });

  for (const block of blocks) {
    if (block.kind === 'file') {
      it(`saves ${describeBlock(block)} as ${block.filename}`, ({ skip }) => {
        if (broken) skip(`an earlier block failed: ${broken}`);
        writeFileSync(path.join(workDir, block.filename!), block.code);
      });
      continue;
    }
    it(`runs ${describeBlock(block)}`, async ({ skip }) => {
      if (broken) skip(`an earlier block failed: ${broken}`);
      broken = describeBlock(block);
      const run = await shell.run(uniquePerRun(block.code), 90_000);
      const explain = `${block.code}\n--- exit ${run.exitCode} after ${run.ms} ms; stdout:\n${run.stdout}\n--- stderr:\n${run.stderr}`;
      // The answers first: an error in one says more than the exit status of the line that read it.
      for (const value of jsonLines(run.stdout)) {
        answers.push({ block, value });
        if ('data' in value || 'errors' in value) {
          expect(value.errors, explain).toBeUndefined();
          expect(userErrorsIn(value), explain).toEqual([]);
        }
      }
      expect(run.exitCode, explain).toBe(0);
      broken = undefined;
    }, 120_000);
  }

  /** The data of the one answer that has this top-level field. */
  /** The story's first answer of `field` (the sections after it may ask again). */
  function answer(field: string): Json {
    const found = answers.filter((a) => a.value?.data?.[field] !== undefined);
    expect(found.length, `README should show an answer of ${field}`).toBeGreaterThan(0);
    return found[0]!.value.data[field];
  }

  it('tells the story: a verified brand, its official store and badge, and a complaint ending with a coupon', ({ skip }) => {
    if (broken) skip(`an earlier block failed: ${broken}`);

    expect(answer('registerBrand').brand).toMatchObject({ status: 'PENDING_VERIFICATION' });

    // The certificate went through curl -F to the listener, byte for byte.
    const trademark = answer('submitTrademark').trademark;
    expect(trademark).toMatchObject({ status: 'SUBMITTED', document: { contentType: 'application/pdf' } });
    const certificate = path.join(workDir, trademark.document.filename);
    expect(trademark.document.sha256).toBe(sha256(certificate));
    // A real PDF, ready for structural checks: its cross-reference table points at its objects.
    expect(pdfXrefProblems(readFileSync(certificate, 'latin1'))).toEqual([]);

    expect(answer('reviewTrademark').trademark).toMatchObject({ status: 'APPROVED', brand: { status: 'VERIFIED' } });
    const official = answer('requestOfficialBadge').badge;
    expect(official).toMatchObject({ kind: 'OFFICIAL_STORE', status: 'ACTIVE', label: expect.stringMatching(/^Official store of /) });

    const [storefront] = answer('storeBadges');
    expect(storefront.badges).toEqual([
      expect.objectContaining({ kind: 'OFFICIAL_STORE', status: 'ACTIVE', expiresAt: official.expiresAt, credential: expect.any(String) }),
    ]);
    // The offline check (the README's snippet) against the server's JWKS and status lists.
    const offline = answers.filter((a) => 'valid' in a.value).map((a) => a.value);
    expect(offline).toEqual([{ valid: true, badge: expect.objectContaining({ kind: 'OFFICIAL_STORE', sub: storefront.storeId }) }]);

    expect(answer('fileComplaint').complaint).toMatchObject({
      status: 'AWAITING_EVIDENCE',
      deadlines: { evidenceDueAt: expect.any(String) },
    });
    const evidence = answer('addEvidence').evidence;
    expect(evidence).toMatchObject({
      contentType: 'image/jpeg',
      url: expect.stringMatching(/^http/),
      thumbnailUrl: expect.stringMatching(/^http/),
    });
    // Re-encoded and stripped: what is stored is not the uploaded file.
    expect(evidence.sha256).not.toBe(sha256(path.join(workDir, 'photo.jpg')));
    expect(answer('submitComplaint').complaint).toMatchObject({
      status: 'AWAITING_MERCHANT_RESPONSE',
      deadlines: { merchantResponseDueAt: expect.any(String) },
    });
    expect(answer('respondToComplaint').complaint).toMatchObject({ status: 'UNDER_REVIEW' });
    expect(answer('claimComplaint').complaint).toMatchObject({
      status: 'UNDER_REVIEW',
      assignedReviewer: { id: expect.any(String) },
      deadlines: { reviewDueAt: expect.any(String) },
    });
    expect(answer('decideComplaint').complaint).toMatchObject({ status: 'DECIDED', verdict: 'COUNTERFEIT' });

    const complaint = answer('node');
    expect(complaint).toMatchObject({
      status: 'DECIDED',
      verdict: 'COUNTERFEIT',
      coupon: {
        code: expect.any(String),
        value: { amount: expect.stringMatching(/^\d+\.\d\d$/), currency: expect.stringMatching(/^[A-Z]{3}$/) },
      },
      warning: { strikeNumber: 1 },
    });
    expect(complaint.timeline.map((e: Json) => e.type)).toEqual(
      expect.arrayContaining(['FILED', 'SUBMITTED', 'MERCHANT_RESPONDED', 'CLAIMED', 'DECIDED']),
    );
  });

  it("the README's offline check refuses a forged credential and sees a revocation in the status list", async ({ skip }) => {
    if (broken) skip(`an earlier block failed: ${broken}`);
    const file = blocks.find((b) => b.kind === 'file' && b.filename)?.filename;
    const credential: string | undefined = answers.find((a) => a.value?.data?.storeBadges)?.value.data.storeBadges[0].badges[0].credential;
    if (!file || !credential) return skip('the README shows no offline check');
    const check = async (value: string) => {
      const run = await shell.run(`node ${file} '${value}'`, 30_000);
      expect(run.exitCode, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Json;
    };

    const [header, payload, signature] = credential.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(credential), exp: 4102444800 })).toString('base64url');
    expect(await check(`${header}.${forged}.${signature}`)).toMatchObject({ valid: false });
    expect(payload).toBeDefined();

    const reviewer = await signDevToken(server.env.AUTH_HS256_SECRET!, { sub: `readme-reviewer-${suffix}`, roles: ['REVIEWER'] });
    const res = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reviewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation ($id: ID!) { revokeBadge(input: {id: $id, reason: "README test"}) { badge { status } userErrors { code message } } }',
        variables: { id: decodeJwt(credential).jti },
      }),
    });
    expect(await res.json()).toEqual({ data: { revokeBadge: { badge: { status: 'REVOKED' }, userErrors: [] } } });
    expect(await check(credential)).toEqual({ valid: false, reason: 'revocation' });
  });

  it('logged no errors in the API or the worker', () => {
    expect(server.api.errorLogs()).toEqual([]);
    expect(server.worker.errorLogs()).toEqual([]);
  });
});
