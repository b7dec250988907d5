import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrandTestbed, DEMO_BRAND, expectFieldError, startBrandTestbed } from '../support/brand-console.js';
import { expectAccessible, saveScreenshot } from '../support/browser.js';
import { unique, type Stack } from '../support/stack.js';
import { REGISTER_BRAND } from '../support/brand-operations.js';
import { ACCEPT, INVITE, MY_INVITATIONS } from '../support/team-operations.js';

// A brand's owner runs the team from the web console: invites, cancels an
// invitation, sees the invitee join, changes their role and removes them.

let testbed: BrandTestbed;
let stack: Stack;
let page: Page;
let brand: BrandTestbed['brand'];

beforeAll(async () => {
  testbed = await startBrandTestbed('team');
  ({ stack, page, brand } = testbed);
});

afterAll(async () => {
  await testbed?.close();
});

const members = () => page.getByRole('table', { name: 'Members' });
const pending = () => page.getByRole('table', { name: 'Pending invitations' });

describe('the team in the web console', () => {
  it('invites an agent, refuses a second invitation of the same person at the field, and cancels another', async () => {
    await page.goto(testbed.url(`/console/brand/${brand.slug}/team`));
    await page.getByRole('heading', { level: 1, name: `${brand.name}: Team` }).waitFor();
    await members().waitFor();
    expect(await members().getByRole('row').count()).toBe(2);
    expect(await members().getByRole('row').nth(1).textContent()).toContain('Owner');
    expect(await page.getByText('No invitation is waiting.').count()).toBe(1);

    const agent = unique('dana');
    const invite = page.getByRole('form', { name: 'Invite someone' });
    // An owner may invite with any role; agents are the usual choice.
    expect(await invite.getByLabel('Role').inputValue()).toBe('AGENT');
    expect(await invite.getByLabel('Role').locator('option').count()).toBe(3);
    await invite.getByLabel('Their sign-in name').fill(agent);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite
      .getByRole('status')
      .filter({ hasText: `Invited ${agent} as agent` })
      .waitFor();
    await pending().getByRole('row').filter({ hasText: agent }).waitFor();

    await invite.getByLabel('Their sign-in name').fill(agent);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await expectFieldError(invite.getByLabel('Their sign-in name'), /already has a pending invitation/);
    expect(await invite.getByRole('alert').textContent()).toBe('Please correct the field marked above.');

    const manager = unique('mark');
    await invite.getByLabel('Their sign-in name').fill(manager);
    await invite.getByLabel('Role').selectOption('MANAGER');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const managerRow = pending().getByRole('row').filter({ hasText: manager });
    await managerRow.waitFor();
    expect(await managerRow.textContent()).toContain('Manager');
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-team-invitations');

    await managerRow.getByRole('button', { name: `Cancel invitation of ${manager}` }).click();
    await managerRow.waitFor({ state: 'detached' });
    expect(await pending().getByRole('row').filter({ hasText: agent }).count()).toBe(1);

    // The invitee answers in their own session.
    const agentToken = await stack.token(agent, ['BRAND']);
    const invitations = (await stack.gql(MY_INVITATIONS, {}, { token: agentToken })).body.data.myBrandInvitations;
    const accepted = await stack.gql(ACCEPT, { input: { invitationId: invitations[0].id } }, { token: agentToken });
    expect(accepted.body.data.acceptBrandInvitation.invitation.status).toBe('ACCEPTED');
    const displayName = (await stack.gql('{ me { displayName } }', {}, { token: agentToken })).body.data.me.displayName as string;

    await page.reload();
    const agentRow = members().getByRole('row').filter({ hasText: displayName });
    await agentRow.waitFor();
    expect(await agentRow.getByLabel(`Role of ${displayName}`).inputValue()).toBe('AGENT');
    expect(await page.getByText('No invitation is waiting.').count()).toBe(1);
    expect(await page.getByRole('list').filter({ hasText: 'joined' }).count()).toBe(1);
    await expectAccessible(page);
    await saveScreenshot(page, 'brand-team');

    await agentRow.getByLabel(`Role of ${displayName}`).selectOption('MANAGER');
    await members().getByRole('row').filter({ hasText: displayName }).getByRole('cell', { name: 'Manager', exact: true }).waitFor();
    await members()
      .getByRole('button', { name: `Remove ${displayName}` })
      .click();
    await members().getByRole('row').filter({ hasText: displayName }).waitFor({ state: 'detached' });
    expect(await members().getByRole('row').count()).toBe(2);
  });

  it('shows an agent only what an agent may do', async () => {
    // Another brand's owner invites the demo brand member as an agent, who accepts.
    const ownerToken = await stack.token(unique('owner'), ['BRAND']);
    const slug = unique('agented');
    const other = (await stack.gql(REGISTER_BRAND, { input: { name: `Agented ${slug.slice(-8)}`, slug } }, { token: ownerToken })).body.data
      .registerBrand.brand;
    const invited = await stack.gql(INVITE, { input: { brandId: other.id, subject: DEMO_BRAND, role: 'AGENT' } }, { token: ownerToken });
    const accepted = await stack.gql(
      ACCEPT,
      { input: { invitationId: invited.body.data.inviteBrandMember.invitation.id } },
      { token: brand.token },
    );
    expect(accepted.body.data.acceptBrandInvitation.invitation.status).toBe('ACCEPTED');

    await page.goto(testbed.url('/console/brand'));
    await page.getByRole('row').filter({ hasText: other.name }).getByRole('link', { name: other.name }).click();
    await page.getByRole('heading', { level: 1, name: `${other.name}: Trademarks` }).waitFor();
    expect(await page.locator('.brand-summary').textContent()).toContain('Your role: Agent');
    expect(await page.getByRole('navigation', { name: 'Brand sections' }).getByRole('link').allTextContents()).toEqual([
      'Trademarks',
      'Authorization letters',
      'Resellers',
      'Scan insight',
    ]);
    expect(await page.getByRole('form', { name: 'Upload a trademark certificate' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Authorization letters' }).click();
    await page.getByRole('heading', { level: 1, name: `${other.name}: Authorization letters` }).waitFor();
    expect(await page.getByRole('form', { name: 'Authorize a store yourself' }).count()).toBe(0);
    await expectAccessible(page);

    await page.goto(testbed.url(`/console/brand/${slug}/webhooks`));
    await page.getByText('Your role in this brand does not include this.').waitFor();
    expect(await page.getByRole('form', { name: 'Add an endpoint' }).count()).toBe(0);
  });
});
