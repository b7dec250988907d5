import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPendingCloneAlerts } from '../../src/services/clone-alerts.js';
import { registerBrand } from '../support/brand-operations.js';
import { REGISTER_CODES, VERIFY_PRODUCT_CODE } from '../support/product-code-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, type Actor } from '../support/store-operations.js';
import { ACCEPT, INVITE } from '../support/team-operations.js';

// Checks past PRODUCT_CODE_CLONE_ALERT_CHECKS raise one alert per code.
const THRESHOLD = 3;

const COUNTS = /* GraphQL */ `codesRegistered codesChecked codesCheckedRepeatedly totalChecks firstCheckedAt lastCheckedAt`;
const DISTRIBUTOR = /* GraphQL */ `distributor { batch distributorName distributorReference assignedAt }`;

const INSIGHT = /* GraphQL */ `
  query ($slug: String!, $first: Int) {
    brand(slug: $slug) {
      id
      scanInsight {
        totals { ${COUNTS} }
        skus(first: $first) { sku ${COUNTS} }
        batches(first: $first) { batch ${DISTRIBUTOR} ${COUNTS} }
        mostRepeatedCodes(first: $first) { id sku batch status verificationCount firstVerifiedAt lastVerifiedAt }
      }
    }
  }
`;

const ALERTS = /* GraphQL */ `
  query ($slug: String!, $first: Int, $after: String) {
    brand(slug: $slug) {
      cloneAlerts(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            productCodeId
            sku
            batch
            ${DISTRIBUTOR}
            verificationCountAtAlert
            threshold
            verificationCount
            firstVerifiedAt
            lastVerifiedAt
            raisedAt
            published
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

const ASSIGN_BATCH = /* GraphQL */ `
  mutation ($input: AssignProductBatchInput!) {
    assignProductBatch(input: $input) {
      productBatch {
        batch
        distributorName
        distributorReference
        assignedAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

const SET_CHECKS = /* GraphQL */ `
  mutation ($input: SetCloneAlertChecksInput!) {
    setCloneAlertChecks(input: $input) {
      cloneAlertChecks
      userErrors {
        code
        field
        message
      }
    }
  }
`;

const ALERT_CHECKS = /* GraphQL */ `
  query ($slug: String!) {
    brand(slug: $slug) {
      scanInsight {
        cloneAlertChecks
      }
    }
  }
`;

let stack: Stack;

beforeAll(async () => {
  // The alert test sends 30 anonymous checks at once; a public rate limit must not interfere.
  stack = await startStack({
    config: { PUBLIC_RATE_LIMIT_PER_MINUTE: '100000', PRODUCT_CODE_CLONE_ALERT_CHECKS: String(THRESHOLD) },
  });
});

afterAll(async () => {
  await stack?.close();
});

type Role = 'OWNER' | 'MANAGER' | 'AGENT';
interface Team {
  brand: { id: string; slug: string };
  owner: Actor;
}

async function newTeam(): Promise<Team> {
  const owner = await actor(stack, 'owner', ['BRAND']);
  const brand = await registerBrand(stack, owner.token, unique('scans'));
  return { brand, owner };
}

/** A person in the team in `role`, through an accepted invitation. */
async function member(team: Team, role: Exclude<Role, 'OWNER'>): Promise<Actor> {
  const who = await actor(stack, role.toLowerCase(), ['BRAND']);
  const invited = await stack.gql(INVITE, { input: { brandId: team.brand.id, subject: who.subject, role } }, { token: team.owner.token });
  const invitation = invited.body.data?.inviteBrandMember.invitation;
  if (!invitation) throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
  const accepted = await stack.gql(ACCEPT, { input: { invitationId: invitation.id } }, { token: who.token });
  if (accepted.body.data?.acceptBrandInvitation.invitation?.status !== 'ACCEPTED') {
    throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  }
  return who;
}

const code = () => `PC-${randomUUID()}`;
const tokenOf = (who: Actor | null) => (who ? { token: who.token } : {});
const codeOf = (res: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => res.body.errors?.[0]?.extensions?.code;

async function register(team: Team, sku: string, batch: string | null, codes: string[]) {
  const res = await stack.gql(REGISTER_CODES, { input: { brandId: team.brand.id, sku, batch, codes } }, { token: team.owner.token });
  if (res.body.data?.registerProductCodes.registered !== codes.length) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
}

async function check(team: Team, value: string, times = 1) {
  for (let i = 0; i < times; i += 1) {
    const res = await stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: team.brand.slug, code: value });
    if (!res.body.data?.verifyProductCode) throw new Error(`verify failed: ${JSON.stringify(res.body)}`);
  }
}

const insight = (team: Team, who: Actor | null, first?: number) => stack.gql(INSIGHT, { slug: team.brand.slug, first }, tokenOf(who));
const alerts = (team: Team, who: Actor | null, page: { first?: number; after?: string } = {}) =>
  stack.gql(ALERTS, { slug: team.brand.slug, ...page }, tokenOf(who));
const assign = (team: Team, who: Actor | null, input: Record<string, unknown>) =>
  stack.gql(ASSIGN_BATCH, { input: { brandId: team.brand.id, ...input } }, tokenOf(who));

const counts = (registered: number, checked: number, repeated: number, total: number) => ({
  codesRegistered: registered,
  codesChecked: checked,
  codesCheckedRepeatedly: repeated,
  totalChecks: total,
});

async function codeRowId(team: Team, sku: string, verificationCount: number) {
  const row = await stack.db.productCode.findFirstOrThrow({ where: { brandId: rowId(team.brand.id), sku, verificationCount } });
  return row.id;
}

describe('who sees scan insight and who assigns batches', () => {
  let team: Team;
  let manager: Actor;
  let agent: Actor;

  beforeAll(async () => {
    team = await newTeam();
    [manager, agent] = await Promise.all([member(team, 'MANAGER'), member(team, 'AGENT')]);
    await register(team, 'SKU-A', 'B-ACCESS', [code()]);
  });

  it('shows insight and alerts to every member of the team, AGENTs included', async () => {
    for (const who of [team.owner, manager, agent]) {
      const seen = await insight(team, who);
      expect(seen.body.errors).toBeUndefined();
      expect(seen.body.data.brand.scanInsight.totals).toMatchObject(counts(1, 0, 0, 0));
      const listed = await alerts(team, who);
      expect(listed.body.errors).toBeUndefined();
      expect(listed.body.data.brand.cloneAlerts.edges).toEqual([]);
    }
  });

  it('refuses anonymous callers, consumers and owners of another brand', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const otherOwner = (await newTeam()).owner;
    const refusals: Array<[Actor | null, string]> = [
      [null, 'UNAUTHENTICATED'],
      [consumer, 'FORBIDDEN'],
      [otherOwner, 'FORBIDDEN'],
    ];
    for (const [who, expected] of refusals) {
      const seen = await insight(team, who);
      expect(codeOf(seen)).toBe(expected);
      expect(seen.body.data.brand.scanInsight).toBeNull();
      const listed = await alerts(team, who);
      expect(codeOf(listed)).toBe(expected);
      expect(listed.body.data.brand.cloneAlerts).toBeNull();
    }
  });

  it('lets OWNERs and MANAGERs assign a batch, and refuses AGENTs and outsiders without writing', async () => {
    const consumer = await actor(stack, 'consumer', ['CONSUMER']);
    const otherOwner = (await newTeam()).owner;
    const refusals: Array<[Actor | null, string]> = [
      [null, 'UNAUTHENTICATED'],
      [consumer, 'FORBIDDEN'],
      [otherOwner, 'FORBIDDEN'],
      [agent, 'FORBIDDEN'],
    ];
    for (const [who, expected] of refusals) {
      const res = await assign(team, who, { batch: 'B-ACCESS', distributorName: 'Leaky Wholesale' });
      expect(codeOf(res)).toBe(expected);
    }
    expect(await stack.db.productBatch.count({ where: { brandId: rowId(team.brand.id) } })).toBe(0);

    const byManager = await assign(team, manager, { batch: 'B-ACCESS', distributorName: 'North Wholesale', distributorReference: 'D-17' });
    expect(byManager.body.data.assignProductBatch).toMatchObject({
      productBatch: { batch: 'B-ACCESS', distributorName: 'North Wholesale', distributorReference: 'D-17' },
      userErrors: [],
    });
    const byOwner = await assign(team, team.owner, { batch: ' B-ACCESS ', distributorName: 'South Wholesale' });
    expect(byOwner.body.data.assignProductBatch).toMatchObject({
      productBatch: { batch: 'B-ACCESS', distributorName: 'South Wholesale', distributorReference: null },
      userErrors: [],
    });
    const rows = await stack.db.productBatch.findMany({ where: { brandId: rowId(team.brand.id) } });
    expect(rows.map((r) => r.distributorName)).toEqual(['South Wholesale']);
  });

  it('refuses a batch the brand has no codes in, and bad names, with userErrors', async () => {
    const unknown = await assign(team, manager, { batch: 'B-NONE', distributorName: 'Someone' });
    expect(unknown.body.data.assignProductBatch).toEqual({
      productBatch: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'batch'], message: 'The brand has no codes in this batch.' }],
    });
    const bad = await assign(team, manager, { batch: ' ', distributorName: '', distributorReference: 'x'.repeat(101) });
    expect(bad.body.data.assignProductBatch.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([
      ['INVALID', ['input', 'batch']],
      ['INVALID', ['input', 'distributorName']],
      ['LIMIT_EXCEEDED', ['input', 'distributorReference']],
    ]);
  });
});

describe('the numbers', () => {
  it('counts codes registered, checked, checked again and every check, per SKU and per batch', async () => {
    const team = await newTeam();
    const [a1, a2, a3, b1, b2, c1, c2] = [code(), code(), code(), code(), code(), code(), code()];
    await register(team, 'SKU-A', 'B1', [a1, a2, a3]);
    await register(team, 'SKU-A', 'B2', [b1, b2]);
    await register(team, 'SKU-B', null, [c1, c2]);
    await assign(team, team.owner, { batch: 'B1', distributorName: 'East Traders', distributorReference: 'E-1' });

    const before = await insight(team, team.owner);
    expect(before.body.data.brand.scanInsight.totals).toEqual({ ...counts(7, 0, 0, 0), firstCheckedAt: null, lastCheckedAt: null });
    expect(before.body.data.brand.scanInsight.mostRepeatedCodes).toEqual([]);

    const started = new Date();
    await check(team, a1, 3);
    await check(team, a2, 1);
    await check(team, b1, 2);
    await check(team, c1, 1);
    await check(team, code(), 2); // unknown: counts nowhere
    const finished = new Date();

    const res = await insight(team, team.owner);
    expect(res.body.errors).toBeUndefined();
    const { totals, skus, batches, mostRepeatedCodes } = res.body.data.brand.scanInsight;
    expect(totals).toMatchObject(counts(7, 4, 2, 7));
    expect(new Date(totals.firstCheckedAt).getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
    expect(new Date(totals.lastCheckedAt).getTime()).toBeLessThanOrEqual(finished.getTime() + 1000);
    expect(new Date(totals.firstCheckedAt).getTime()).toBeLessThan(new Date(totals.lastCheckedAt).getTime());

    expect(skus).toMatchObject([
      { sku: 'SKU-A', ...counts(5, 3, 2, 6) },
      { sku: 'SKU-B', ...counts(2, 1, 0, 1) },
    ]);
    expect(batches).toMatchObject([
      {
        batch: 'B1',
        distributor: { batch: 'B1', distributorName: 'East Traders', distributorReference: 'E-1' },
        ...counts(3, 2, 1, 4),
      },
      { batch: 'B2', distributor: null, ...counts(2, 1, 1, 2) },
      { batch: null, distributor: null, ...counts(2, 1, 0, 1) },
    ]);

    const [first, second] = [await codeRowId(team, 'SKU-A', 3), await codeRowId(team, 'SKU-A', 2)];
    expect(mostRepeatedCodes).toMatchObject([
      { id: Buffer.from(`ProductCode:${first}`).toString('base64'), sku: 'SKU-A', batch: 'B1', status: 'ACTIVE', verificationCount: 3 },
      { id: Buffer.from(`ProductCode:${second}`).toString('base64'), sku: 'SKU-A', batch: 'B2', status: 'ACTIVE', verificationCount: 2 },
    ]);
    // The codes themselves never leave the service.
    for (const value of [a1, a2, a3, b1, b2, c1, c2]) expect(JSON.stringify(res.body)).not.toContain(value);

    const bounded = await insight(team, team.owner, 1);
    expect(bounded.body.data.brand.scanInsight.skus).toHaveLength(1);
    expect(bounded.body.data.brand.scanInsight.batches).toHaveLength(1);
    expect(bounded.body.data.brand.scanInsight.mostRepeatedCodes).toHaveLength(1);

    // Up to the threshold is a genuine item checked a few times: no alert.
    expect(await stack.db.productCodeCloneAlert.count({ where: { brandId: rowId(team.brand.id) } })).toBe(0);
  });

  it('reads the insight in the same few statements however many SKUs and batches there are', async () => {
    const team = await newTeam();
    await register(team, 'SKU-1', 'B-1', [code()]);
    stack.sql.length = 0;
    const small = await insight(team, team.owner);
    expect(small.body.errors).toBeUndefined();
    const fewStatements = stack.sql.length;

    for (let i = 2; i <= 12; i += 1) {
      const codes = [code(), code()];
      await register(team, `SKU-${i}`, `B-${i}`, codes);
      await check(team, codes[0]!, 2);
    }
    stack.sql.length = 0;
    const large = await insight(team, team.owner);
    expect(large.body.data.brand.scanInsight.skus).toHaveLength(12);
    expect(large.body.data.brand.scanInsight.batches).toHaveLength(12);
    expect(large.body.data.brand.scanInsight.mostRepeatedCodes).toHaveLength(11);
    expect(stack.sql.length).toBe(fewStatements);
    // The caller and their grants, the brand, their brand roles, then one statement per part of the insight.
    expect(stack.sql.length).toBeLessThanOrEqual(8);
  });
});

describe('clone alerts', () => {
  it('raises one alert and one webhook event however many checks race past the threshold', async () => {
    const team = await newTeam();
    const agent = await member(team, 'AGENT');
    const cloned = code();
    await register(team, 'SKU-X', 'B-LEAK', [cloned, code()]);
    await assign(team, team.owner, { batch: 'B-LEAK', distributorName: 'Harbour Imports', distributorReference: 'H-9' });

    const results = await Promise.all(
      Array.from({ length: 30 }, () => stack.gql(VERIFY_PRODUCT_CODE, { brandSlug: team.brand.slug, code: cloned })),
    );
    expect(results.map((r) => r.body.data?.verifyProductCode.verificationCount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    await check(team, cloned, 2);

    const brandId = rowId(team.brand.id);
    const rows = await stack.db.productCodeCloneAlert.findMany({ where: { brandId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ verificationCount: THRESHOLD + 1, threshold: THRESHOLD });
    expect(rows[0]!.publishedAt).not.toBeNull();

    const events = await stack.db.webhookEvent.findMany({ where: { brandId, type: 'PRODUCT_CODE_CLONE_ALERT' } });
    expect(events).toHaveLength(1);
    const productCodeId = Buffer.from(`ProductCode:${rows[0]!.productCodeId}`).toString('base64');
    expect(JSON.parse(events[0]!.body)).toMatchObject({
      type: 'product_code.clone_alert',
      data: {
        brandId: team.brand.id,
        productCodeId,
        reason: expect.stringContaining(`Checked ${THRESHOLD + 1} times`),
        details: {
          sku: 'SKU-X',
          batch: 'B-LEAK',
          verificationCount: THRESHOLD + 1,
          threshold: THRESHOLD,
          distributor: { name: 'Harbour Imports', reference: 'H-9' },
        },
      },
    });
    expect(events[0]!.body).not.toContain(cloned);

    const listed = await alerts(team, agent);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.brand.cloneAlerts.edges.map((e: { node: unknown }) => e.node)).toMatchObject([
      {
        productCodeId,
        sku: 'SKU-X',
        batch: 'B-LEAK',
        distributor: { batch: 'B-LEAK', distributorName: 'Harbour Imports', distributorReference: 'H-9' },
        verificationCountAtAlert: THRESHOLD + 1,
        threshold: THRESHOLD,
        verificationCount: 32,
        published: true,
      },
    ]);
  });

  it("announces once, from the worker's sweep, an alert whose announcement was lost", async () => {
    const team = await newTeam();
    const cloned = code();
    await register(team, 'SKU-L', null, [cloned]);
    await check(team, cloned, THRESHOLD + 1);
    const brandId = rowId(team.brand.id);
    const [alert] = await stack.db.productCodeCloneAlert.findMany({ where: { brandId } });
    // As if the API process stopped between recording the alert and writing its event, two minutes ago.
    await stack.db.webhookEvent.deleteMany({ where: { brandId, type: 'PRODUCT_CODE_CLONE_ALERT' } });
    await stack.db.productCodeCloneAlert.update({
      where: { id: alert!.id },
      data: { publishedAt: null, raisedAt: new Date(Date.now() - 120_000) },
    });

    const swept = await publishPendingCloneAlerts(stack.runtime.services);
    expect(swept.published).toBeGreaterThanOrEqual(1);
    expect((await stack.db.productCodeCloneAlert.findUniqueOrThrow({ where: { id: alert!.id } })).publishedAt).not.toBeNull();
    await publishPendingCloneAlerts(stack.runtime.services);
    const events = await stack.db.webhookEvent.findMany({ where: { brandId, type: 'PRODUCT_CODE_CLONE_ALERT' } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.body)).toMatchObject({ data: { details: { sku: 'SKU-L', verificationCount: THRESHOLD + 1 } } });
  });

  it('pages alerts newest first', async () => {
    const team = await newTeam();
    const [older, newer] = [code(), code()];
    await register(team, 'SKU-P', null, [older, newer]);
    await check(team, older, THRESHOLD + 1);
    await check(team, newer, THRESHOLD + 1);

    const page1 = await alerts(team, team.owner, { first: 1 });
    expect(page1.body.errors).toBeUndefined();
    const first = page1.body.data.brand.cloneAlerts;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const page2 = await alerts(team, team.owner, { first: 1, after: first.pageInfo.endCursor });
    const second = page2.body.data.brand.cloneAlerts;
    expect(second.pageInfo.hasNextPage).toBe(false);

    const raised = [first.edges[0].node, second.edges[0].node];
    expect(new Date(raised[0].raisedAt).getTime()).toBeGreaterThanOrEqual(new Date(raised[1].raisedAt).getTime());
    const byCount = await stack.db.productCode.findMany({ where: { brandId: rowId(team.brand.id) }, orderBy: { lastVerifiedAt: 'desc' } });
    expect(raised.map((node) => node.productCodeId)).toEqual(byCount.map((row) => Buffer.from(`ProductCode:${row.id}`).toString('base64')));

    const bad = await alerts(team, team.owner, { after: 'not-a-cursor' });
    expect(codeOf(bad)).toBe('INVALID');
  });

  it('keeps a check below the threshold to one statement', async () => {
    const team = await newTeam();
    const value = code();
    await register(team, 'SKU-S', null, [value]);
    stack.sql.length = 0;
    await check(team, value);
    expect(stack.sql).toHaveLength(1);
  });

  it("follows the brand's own threshold, set by OWNERs and MANAGERs only", async () => {
    const team = await newTeam();
    const [manager, agent] = await Promise.all([member(team, 'MANAGER'), member(team, 'AGENT')]);
    const setChecks = (who: Actor | null, checks: number | null) =>
      stack.gql(SET_CHECKS, { input: { brandId: team.brand.id, checks } }, tokenOf(who));
    const threshold = async (who: Actor) =>
      (await stack.gql(ALERT_CHECKS, { slug: team.brand.slug }, tokenOf(who))).body.data.brand.scanInsight.cloneAlertChecks;

    expect(await threshold(agent)).toBe(THRESHOLD);
    const otherOwner = (await newTeam()).owner;
    for (const [who, expected] of [
      [null, 'UNAUTHENTICATED'],
      [agent, 'FORBIDDEN'],
      [otherOwner, 'FORBIDDEN'],
    ] as Array<[Actor | null, string]>) {
      expect(codeOf(await setChecks(who, 1))).toBe(expected);
    }
    expect((await setChecks(manager, 0)).body.data.setCloneAlertChecks).toEqual({
      cloneAlertChecks: null,
      userErrors: [{ code: 'INVALID', field: ['input', 'checks'], message: 'The threshold is 1 to 1,000,000 checks.' }],
    });
    expect(await stack.db.brandScanSetting.count({ where: { brandId: rowId(team.brand.id) } })).toBe(0);

    expect((await setChecks(manager, 1)).body.data.setCloneAlertChecks).toEqual({ cloneAlertChecks: 1, userErrors: [] });
    expect(await threshold(agent)).toBe(1);
    const value = code();
    await register(team, 'SKU-T', null, [value]);
    await check(team, value, 2);
    const alert = await stack.db.productCodeCloneAlert.findFirstOrThrow({ where: { brandId: rowId(team.brand.id) } });
    expect(alert).toMatchObject({ verificationCount: 2, threshold: 1 });

    expect((await setChecks(team.owner, null)).body.data.setCloneAlertChecks).toEqual({ cloneAlertChecks: THRESHOLD, userErrors: [] });
    expect(await threshold(team.owner)).toBe(THRESHOLD);
  });
});
