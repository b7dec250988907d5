import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND_BY_SLUG, registerBrand, submitTrademark } from '../support/brand-operations.js';
import { submitLetter, letterInput } from '../support/authorization-chain.js';
import { BRAND_LETTERS, CONFIRM_LETTER } from '../support/letter-operations.js';
import { REGISTER_CODES } from '../support/product-code-operations.js';
import { rowId, startStack, unique, type Stack } from '../support/stack.js';
import { actor, createStore, type Actor } from '../support/store-operations.js';
import {
  ACCEPT,
  CANCEL,
  CHANGE_ROLE,
  DECLINE,
  INVITE,
  LEAVE,
  MY_INVITATIONS,
  REMOVE_MEMBER,
  TEAM,
  actorIdOf,
} from '../support/team-operations.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

type Role = 'OWNER' | 'MANAGER' | 'AGENT';
interface Person extends Actor {
  id: string;
}
interface Team {
  brand: { id: string; slug: string };
  owner: Person;
}

async function person(prefix: string, roles: Parameters<typeof actor>[2] = ['BRAND']): Promise<Person> {
  const who = await actor(stack, prefix, roles);
  return { ...who, id: await actorIdOf(stack, who.token) };
}

async function newTeam(): Promise<Team> {
  const owner = await person('owner');
  const brand = await registerBrand(stack, owner.token, unique('team'), unique('Team Brand'));
  return { brand, owner };
}

const invite = (by: Actor, brandId: string, subject: string, role: Role) =>
  stack.gql(INVITE, { input: { brandId, subject, role } }, { token: by.token });
const accept = (by: Actor, invitationId: string) => stack.gql(ACCEPT, { input: { invitationId } }, { token: by.token });
const changeRole = (by: Actor, brandId: string, actorId: string, role: Role) =>
  stack.gql(CHANGE_ROLE, { input: { brandId, actorId, role } }, { token: by.token });
const remove = (by: Actor, brandId: string, actorId: string) =>
  stack.gql(REMOVE_MEMBER, { input: { brandId, actorId } }, { token: by.token });
const leave = (by: Actor, brandId: string) => stack.gql(LEAVE, { input: { brandId } }, { token: by.token });
const team = (by: Actor | null, slug: string) => stack.gql(TEAM, { slug }, by ? { token: by.token } : {});

async function invited(team: Team, role: Role, by: Actor = team.owner) {
  const who = await person(role.toLowerCase());
  const res = await invite(by, team.brand.id, who.subject, role);
  const invitation = res.body.data?.inviteBrandMember.invitation;
  if (!invitation) throw new Error(`invite failed: ${JSON.stringify(res.body)}`);
  return { who, invitation: invitation as { id: string; status: string; expiresAt: string } };
}

/** A person in the team in `role`, through an accepted invitation. */
async function member(team: Team, role: Role): Promise<Person> {
  const { who, invitation } = await invited(team, role);
  const res = await accept(who, invitation.id);
  if (res.body.data?.acceptBrandInvitation.invitation?.status !== 'ACCEPTED') throw new Error(`accept failed: ${JSON.stringify(res.body)}`);
  return who;
}

const codeOf = (res: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => res.body.errors?.[0]?.extensions?.code;
const userErrorCodes = (payload: { userErrors: Array<{ code: string }> }) => payload.userErrors.map((e) => e.code);

async function rolesInTeam(brandId: string) {
  const rows = await stack.db.brandMember.findMany({ where: { brandId: rowId(brandId) }, orderBy: { actorId: 'asc' } });
  return rows.map((row) => row.role);
}

describe('a brand team', () => {
  it('starts with its registrant as OWNER, who sees the team with its audit trail', async () => {
    const { brand, owner } = await newTeam();
    const res = await team(owner, brand.slug);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.brand).toMatchObject({
      myRole: 'OWNER',
      team: {
        members: [{ actor: { id: owner.id }, role: 'OWNER', since: expect.any(String) }],
        invitations: [],
        auditTrail: [{ action: 'brand.registered', actor: { id: owner.id }, member: { id: owner.id }, role: 'OWNER' }],
      },
    });
  });

  it('keeps members added without a role (as before teams existed) as OWNERs', async () => {
    const { brand } = await newTeam();
    const earlier = await person('earlier');
    await stack.db
      .$executeRaw`INSERT INTO "BrandMember" ("brandId", "actorId") VALUES (${rowId(brand.id)}::uuid, ${rowId(earlier.id)}::uuid)`;
    expect(await rolesInTeam(brand.id)).toEqual(['OWNER', 'OWNER']);
  });

  it('shows the team to OWNERs and MANAGERs only', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    const outsider = await person('outsider');

    const seen = await team(manager, t.brand.slug);
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data.brand.team.members.map((m: { role: string }) => m.role)).toEqual(['OWNER', 'MANAGER', 'AGENT']);

    for (const [who, code] of [
      [agent, 'FORBIDDEN'],
      [outsider, 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      const res = await team(who, t.brand.slug);
      expect(codeOf(res)).toBe(code);
      expect(res.body.data.brand.team).toBeNull();
    }
    expect((await team(agent, t.brand.slug)).body.data.brand.myRole).toBe('AGENT');
    expect((await team(outsider, t.brand.slug)).body.data.brand.myRole).toBeNull();
  });
});

describe('invitations', () => {
  it('brings the invitee into the team in the invited role, once, and records it', async () => {
    const t = await newTeam();
    const { who, invitation } = await invited(t, 'MANAGER');
    const expires = new Date(invitation.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(13.9 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(14 * 86_400_000);

    const mine = await stack.gql(MY_INVITATIONS, {}, { token: who.token });
    expect(mine.body.data.myBrandInvitations).toEqual([
      expect.objectContaining({
        id: invitation.id,
        role: 'MANAGER',
        status: 'PENDING',
        brand: { id: t.brand.id, slug: t.brand.slug },
        invitedBy: { id: t.owner.id },
      }),
    ]);
    const stranger = await person('stranger');
    expect((await stack.gql(MY_INVITATIONS, {}, { token: stranger.token })).body.data.myBrandInvitations).toEqual([]);
    expect(codeOf(await stack.gql(MY_INVITATIONS))).toBe('UNAUTHENTICATED');

    // Someone else can't take it, and can't see it.
    expect(codeOf(await accept(stranger, invitation.id))).toBe('FORBIDDEN');
    expect(codeOf(await stack.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: invitation.id }, { token: stranger.token }))).toBe(
      'FORBIDDEN',
    );

    const accepted = await accept(who, invitation.id);
    expect(accepted.body.data.acceptBrandInvitation).toMatchObject({ invitation: { status: 'ACCEPTED' }, userErrors: [] });
    const again = await accept(who, invitation.id);
    expect(userErrorCodes(again.body.data.acceptBrandInvitation)).toEqual(['NOT_ALLOWED_IN_STATE']);
    expect((await stack.gql(MY_INVITATIONS, {}, { token: who.token })).body.data.myBrandInvitations).toEqual([]);

    const seen = (await team(t.owner, t.brand.slug)).body.data.brand.team;
    expect(seen.members).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: t.owner.id }), role: 'OWNER' }),
      expect.objectContaining({ actor: expect.objectContaining({ id: who.id }), role: 'MANAGER' }),
    ]);
    expect(seen.auditTrail.map((e: { action: string }) => e.action)).toEqual([
      'brand_team.joined',
      'brand_team.invited',
      'brand.registered',
    ]);
    expect(seen.auditTrail[0]).toMatchObject({ actor: { id: who.id }, member: { id: who.id }, role: 'MANAGER' });
    expect(seen.auditTrail[1]).toMatchObject({ actor: { id: t.owner.id }, member: { id: who.id }, role: 'MANAGER' });
  });

  it('lets OWNERs invite any role and MANAGERs invite AGENTs only', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    const outsider = await person('outsider');
    const subject = () => unique('invitee');

    for (const role of ['OWNER', 'MANAGER', 'AGENT'] as const) {
      const res = await invite(t.owner, t.brand.id, subject(), role);
      expect(res.body.data.inviteBrandMember).toMatchObject({ invitation: { role, status: 'PENDING' }, userErrors: [] });
    }
    const byManager = await invite(manager, t.brand.id, subject(), 'AGENT');
    expect(byManager.body.data.inviteBrandMember).toMatchObject({ invitation: { role: 'AGENT' }, userErrors: [] });

    for (const role of ['OWNER', 'MANAGER'] as const) expect(codeOf(await invite(manager, t.brand.id, subject(), role))).toBe('FORBIDDEN');
    for (const role of ['OWNER', 'MANAGER', 'AGENT'] as const) {
      expect(codeOf(await invite(agent, t.brand.id, subject(), role))).toBe('FORBIDDEN');
      expect(codeOf(await invite(outsider, t.brand.id, subject(), role))).toBe('FORBIDDEN');
    }
    const anonymous = await stack.gql(INVITE, { input: { brandId: t.brand.id, subject: subject(), role: 'AGENT' } });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect(await stack.db.brandInvitation.count({ where: { brandId: rowId(t.brand.id) } })).toBe(6);
  });

  it('refuses inviting a member, a second pending invitation, a blank subject and a bad brand id', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const already = await invite(t.owner, t.brand.id, manager.subject, 'AGENT');
    expect(already.body.data.inviteBrandMember).toMatchObject({
      invitation: null,
      userErrors: [{ code: 'CONFLICT', field: ['input', 'subject'] }],
    });

    const subject = unique('twice');
    expect((await invite(t.owner, t.brand.id, subject, 'AGENT')).body.data.inviteBrandMember.userErrors).toEqual([]);
    const twice = await invite(t.owner, t.brand.id, subject, 'MANAGER');
    expect(userErrorCodes(twice.body.data.inviteBrandMember)).toEqual(['CONFLICT']);

    const blank = await invite(t.owner, t.brand.id, '   ', 'AGENT');
    expect(blank.body.data.inviteBrandMember.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'subject'] }),
    ]);
    const badId = await invite(t.owner, 'not-an-id', unique('x'), 'AGENT');
    expect(badId.body.data.inviteBrandMember.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: ['input', 'brandId'] }),
    ]);
  });

  it('lets the invitee decline, after which it cannot be accepted', async () => {
    const t = await newTeam();
    const { who, invitation } = await invited(t, 'AGENT');
    const stranger = await person('stranger');
    expect(codeOf(await stack.gql(DECLINE, { input: { invitationId: invitation.id } }, { token: stranger.token }))).toBe('FORBIDDEN');
    expect(codeOf(await stack.gql(DECLINE, { input: { invitationId: invitation.id } }, { token: t.owner.token }))).toBe('FORBIDDEN');

    const declined = await stack.gql(DECLINE, { input: { invitationId: invitation.id } }, { token: who.token });
    expect(declined.body.data.declineBrandInvitation).toMatchObject({ invitation: { status: 'DECLINED' }, userErrors: [] });
    expect(userErrorCodes((await accept(who, invitation.id)).body.data.acceptBrandInvitation)).toEqual(['NOT_ALLOWED_IN_STATE']);
    expect(await rolesInTeam(t.brand.id)).toEqual(['OWNER']);
  });

  it('lets an OWNER cancel any invitation and a MANAGER an AGENT one; a cancelled one cannot be accepted', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    const outsider = await person('outsider');
    const cancel = (by: Actor, invitationId: string) => stack.gql(CANCEL, { input: { invitationId } }, { token: by.token });

    const forManager = await invited(t, 'MANAGER');
    const forAgent = await invited(t, 'AGENT');
    expect(codeOf(await cancel(manager, forManager.invitation.id))).toBe('FORBIDDEN');
    expect(codeOf(await cancel(agent, forAgent.invitation.id))).toBe('FORBIDDEN');
    expect(codeOf(await cancel(outsider, forAgent.invitation.id))).toBe('FORBIDDEN');
    expect(codeOf(await cancel(forAgent.who, forAgent.invitation.id))).toBe('FORBIDDEN');

    const byManager = await cancel(manager, forAgent.invitation.id);
    expect(byManager.body.data.cancelBrandInvitation).toMatchObject({ invitation: { status: 'CANCELLED' }, userErrors: [] });
    const byOwner = await cancel(t.owner, forManager.invitation.id);
    expect(byOwner.body.data.cancelBrandInvitation).toMatchObject({ invitation: { status: 'CANCELLED' }, userErrors: [] });
    expect(userErrorCodes((await cancel(t.owner, forManager.invitation.id)).body.data.cancelBrandInvitation)).toEqual([
      'NOT_ALLOWED_IN_STATE',
    ]);
    expect(userErrorCodes((await accept(forAgent.who, forAgent.invitation.id)).body.data.acceptBrandInvitation)).toEqual([
      'NOT_ALLOWED_IN_STATE',
    ]);
    expect((await team(t.owner, t.brand.slug)).body.data.brand.team.invitations).toEqual([]);
  });

  it('expires after its time: not listed, not accepted, and the person can be invited again', async () => {
    const t = await newTeam();
    const { who, invitation } = await invited(t, 'AGENT');
    await stack.db.brandInvitation.update({ where: { id: rowId(invitation.id) }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect((await stack.gql(MY_INVITATIONS, {}, { token: who.token })).body.data.myBrandInvitations).toEqual([]);
    expect((await team(t.owner, t.brand.slug)).body.data.brand.team.invitations).toEqual([]);
    const late = await accept(who, invitation.id);
    expect(late.body.data.acceptBrandInvitation.userErrors).toEqual([expect.objectContaining({ code: 'EXPIRED' })]);
    expect(await rolesInTeam(t.brand.id)).toEqual(['OWNER']);

    const again = await invite(t.owner, t.brand.id, who.subject, 'AGENT');
    expect(again.body.data.inviteBrandMember).toMatchObject({ invitation: { status: 'PENDING' }, userErrors: [] });
    const old = await stack.db.brandInvitation.findUniqueOrThrow({ where: { id: rowId(invitation.id) } });
    expect(old.status).toBe('EXPIRED');
  });
});

describe('roles and membership', () => {
  it('lets only OWNERs change roles', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    const outsider = await person('outsider');

    expect(codeOf(await changeRole(manager, t.brand.id, agent.id, 'MANAGER'))).toBe('FORBIDDEN');
    expect(codeOf(await changeRole(agent, t.brand.id, agent.id, 'OWNER'))).toBe('FORBIDDEN');
    expect(codeOf(await changeRole(outsider, t.brand.id, agent.id, 'MANAGER'))).toBe('FORBIDDEN');

    const promoted = await changeRole(t.owner, t.brand.id, agent.id, 'MANAGER');
    expect(promoted.body.data.changeBrandMemberRole).toMatchObject({
      member: { actor: { id: agent.id }, role: 'MANAGER' },
      userErrors: [],
    });
    const notInTeam = await changeRole(t.owner, t.brand.id, outsider.id, 'AGENT');
    expect(notInTeam.body.data.changeBrandMemberRole.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'actorId'] }),
    ]);

    const trail = (await team(t.owner, t.brand.slug)).body.data.brand.team.auditTrail;
    expect(trail[0]).toMatchObject({
      action: 'brand_team.role_changed',
      actor: { id: t.owner.id },
      member: { id: agent.id },
      role: 'MANAGER',
      previousRole: 'AGENT',
    });
  });

  it('never leaves a brand without an OWNER', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');

    const demoted = await changeRole(t.owner, t.brand.id, t.owner.id, 'MANAGER');
    expect(demoted.body.data.changeBrandMemberRole.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED_IN_STATE' })]);
    const left = await leave(t.owner, t.brand.id);
    expect(left.body.data.leaveBrand.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED_IN_STATE' })]);
    const selfRemoved = await remove(t.owner, t.brand.id, t.owner.id);
    expect(userErrorCodes(selfRemoved.body.data.removeBrandMember)).toEqual(['INVALID']);
    expect(await rolesInTeam(t.brand.id)).toContain('OWNER');

    // With a second owner, the first may step down.
    await changeRole(t.owner, t.brand.id, manager.id, 'OWNER');
    const stepDown = await changeRole(t.owner, t.brand.id, t.owner.id, 'AGENT');
    expect(stepDown.body.data.changeBrandMemberRole).toMatchObject({ member: { role: 'AGENT' }, userErrors: [] });
    const lastDemoted = await changeRole(manager, t.brand.id, manager.id, 'MANAGER');
    expect(userErrorCodes(lastDemoted.body.data.changeBrandMemberRole)).toEqual(['NOT_ALLOWED_IN_STATE']);
  });

  it('lets OWNERs remove anyone else and MANAGERs remove AGENTs', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const otherManager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    const otherAgent = await member(t, 'AGENT');
    const outsider = await person('outsider');

    expect(codeOf(await remove(manager, t.brand.id, otherManager.id))).toBe('FORBIDDEN');
    expect(codeOf(await remove(manager, t.brand.id, t.owner.id))).toBe('FORBIDDEN');
    expect(codeOf(await remove(agent, t.brand.id, otherAgent.id))).toBe('FORBIDDEN');
    expect(codeOf(await remove(outsider, t.brand.id, agent.id))).toBe('FORBIDDEN');

    const byManager = await remove(manager, t.brand.id, agent.id);
    expect(byManager.body.data.removeBrandMember).toMatchObject({ brand: { id: t.brand.id }, userErrors: [] });
    const byOwner = await remove(t.owner, t.brand.id, otherManager.id);
    expect(byOwner.body.data.removeBrandMember.userErrors).toEqual([]);
    const gone = await remove(t.owner, t.brand.id, agent.id);
    expect(userErrorCodes(gone.body.data.removeBrandMember)).toEqual(['NOT_FOUND']);
    expect((await team(agent, t.brand.slug)).body.data.brand.myRole).toBeNull();

    const trail = (await team(t.owner, t.brand.slug)).body.data.brand.team.auditTrail;
    expect(trail.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'brand_team.member_removed',
        actor: { id: t.owner.id },
        member: { id: otherManager.id },
        role: 'MANAGER',
      }),
      expect.objectContaining({ action: 'brand_team.member_removed', actor: { id: manager.id }, member: { id: agent.id }, role: 'AGENT' }),
    ]);
  });

  it('lets any member leave, but not someone outside the team', async () => {
    const t = await newTeam();
    const agent = await member(t, 'AGENT');
    const outsider = await person('outsider');
    expect(codeOf(await leave(outsider, t.brand.id))).toBe('FORBIDDEN');
    const left = await leave(agent, t.brand.id);
    expect(left.body.data.leaveBrand).toMatchObject({ brand: { id: t.brand.id, myRole: null }, userErrors: [] });
    expect(codeOf(await leave(agent, t.brand.id))).toBe('FORBIDDEN');
    expect((await team(t.owner, t.brand.slug)).body.data.brand.team.auditTrail[0]).toMatchObject({
      action: 'brand_team.left',
      actor: { id: agent.id },
      role: 'AGENT',
    });
  });
});

/**
 * Holds the brand's member rows locked, starts the requests, and lets go only
 * once both wait on the lock, so they truly run at the same time.
 */
async function atOnce<T>(brandId: string, requests: Array<() => Promise<T>>): Promise<T[]> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = stack.db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "BrandMember" WHERE "brandId" = ${rowId(brandId)}::uuid FOR UPDATE`;
      locked();
      await held;
    },
    { timeout: 30_000 },
  );
  await isLocked;
  const results = Promise.all(requests.map((request) => request()));
  try {
    await expect
      .poll(
        async () => {
          const [row] = await stack.db.$queryRaw<[{ waiting: bigint }]>`
            SELECT count(*) AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%"BrandMember"%FOR UPDATE%'`;
          return Number(row.waiting);
        },
        { timeout: 10_000 },
      )
      .toBe(requests.length);
  } finally {
    release();
    await holder;
  }
  return results;
}

describe('the last owner under concurrency', () => {
  it('lets one of two owners stepping down at once succeed', async () => {
    const t = await newTeam();
    const second = await member(t, 'OWNER');
    const results = await atOnce(t.brand.id, [
      () => changeRole(t.owner, t.brand.id, t.owner.id, 'MANAGER'),
      () => changeRole(second, t.brand.id, second.id, 'MANAGER'),
    ]);
    const outcomes = results.map((res) => userErrorCodes(res.body.data.changeBrandMemberRole));
    expect(outcomes).toContainEqual([]);
    expect(outcomes).toContainEqual(['NOT_ALLOWED_IN_STATE']);
    expect((await rolesInTeam(t.brand.id)).filter((role) => role === 'OWNER')).toHaveLength(1);
  });

  it('lets one of two owners leaving at once go', async () => {
    const t = await newTeam();
    const second = await member(t, 'OWNER');
    const results = await atOnce(t.brand.id, [() => leave(t.owner, t.brand.id), () => leave(second, t.brand.id)]);
    const outcomes = results.map((res) => userErrorCodes(res.body.data.leaveBrand));
    expect(outcomes.sort()).toEqual([[], ['NOT_ALLOWED_IN_STATE']]);
    expect(await rolesInTeam(t.brand.id)).toEqual(['OWNER']);
  });

  it('lets one of two owners removing each other at once succeed', async () => {
    const t = await newTeam();
    const second = await member(t, 'OWNER');
    const results = await atOnce(t.brand.id, [() => remove(t.owner, t.brand.id, second.id), () => remove(second, t.brand.id, t.owner.id)]);
    // The later one finds its caller removed: no longer a member, so refused.
    const succeeded = results.filter((res) => res.body.data?.removeBrandMember?.userErrors.length === 0);
    const refused = results.filter((res) => codeOf(res) === 'FORBIDDEN');
    expect([succeeded.length, refused.length]).toEqual([1, 1]);
    expect(await rolesInTeam(t.brand.id)).toEqual(['OWNER']);
  });
});

describe('what each role may do for the brand', () => {
  it('lets AGENTs see letters and private trademarks but not confirm letters, register codes or submit trademarks; MANAGERs may', async () => {
    const t = await newTeam();
    const manager = await member(t, 'MANAGER');
    const agent = await member(t, 'AGENT');
    expect((await submitTrademark(stack, t.owner.token, t.brand.id)).body.data.submitTrademark.userErrors).toEqual([]);

    const merchant = await actor(stack, 'merchant', ['MERCHANT']);
    const store = await createStore(stack, merchant);
    const submitted = await submitLetter(stack, merchant, letterInput(store.id, t.brand.id));
    const letterId = submitted.body.data.submitAuthorizationLetter.letter.id;

    // Seeing: every role.
    for (const who of [t.owner, manager, agent]) {
      const letters = await stack.gql(BRAND_LETTERS, { brandId: t.brand.id }, { token: who.token });
      expect(letters.body.data.authorizationLetters.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([letterId]);
      const brand = await stack.gql(BRAND_BY_SLUG, { slug: t.brand.slug }, { token: who.token });
      expect(brand.body.data.brand.trademarks).toEqual([expect.objectContaining({ status: 'SUBMITTED' })]);
    }

    // Acting in the brand's name: not agents.
    const codes = { brandId: t.brand.id, sku: 'SKU-1', codes: [unique('code')] };
    expect(codeOf(await stack.gql(REGISTER_CODES, { input: codes }, { token: agent.token }))).toBe('FORBIDDEN');
    expect(codeOf(await submitTrademark(stack, agent.token, t.brand.id))).toBe('FORBIDDEN');
    const byAgent = await stack.gql(CONFIRM_LETTER, { input: { letterId, confirm: true } }, { token: agent.token });
    expect(codeOf(byAgent)).toBe('FORBIDDEN');
    expect(byAgent.body.errors?.[0]?.message).toMatch(/AGENT/);

    const registered = await stack.gql(REGISTER_CODES, { input: codes }, { token: manager.token });
    expect(registered.body.data.registerProductCodes).toMatchObject({ registered: 1, userErrors: [] });
    const confirmed = await stack.gql(CONFIRM_LETTER, { input: { letterId, confirm: true } }, { token: manager.token });
    expect(confirmed.body.data.confirmAuthorization).toMatchObject({ letter: { brandConfirmation: 'CONFIRMED' }, userErrors: [] });
  });
});
