import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../src/tlog/index.js';
import { logIdentity } from '../../src/transparency/log-keys.js';
import { expectAccessible, saveScreenshot, startConsoleTestbed, type ConsoleTestbed } from '../support/browser.js';
import { startFakeWitness, type FakeWitness } from '../support/fake-witness.js';
import { isolatedLogConfig } from '../support/isolated-log.js';
import { bindSite, startSite, type TestSite } from '../support/origin-operations.js';
import { rowId, type Stack } from '../support/stack.js';
import { stackLogPolicy } from '../support/transparency-log.js';
import { policyFrom, verifyCredentialProof } from '../../src/transparency/auditor.js';
import { REQUEST_OFFICIAL_BADGE, REVOKE_BADGE, actor, createStore, verifiedBrand, type Actor } from '../support/store-operations.js';

// A storefront page embeds <brand-badge>; real Chromium loads it from a local
// site, the script (served by the API under /widget/, as this run built it)
// verifies the credential against the API's keys and status lists, and shows
// the badge only where the credential says it may and the transparency log
// (published by this file's worker) proves the credential's grant. The log is
// this file's own, and a witness cosigns each of its checkpoints, as a
// storefront that names witnesses requires.

const STATUS_LIST_MAX_AGE_SECONDS = 2;
const TLOG_CHECKPOINT_INTERVAL_SECONDS = 1;

let testbed: ConsoleTestbed;
let stack: Stack;
let owner: Actor;
let reviewer: Actor;
/** One profile for the file, so the browser's HTTP cache is shared by its pages as a visitor's is. */
let visitor: BrowserContext;
let widgetUrl: string;
let witness: FakeWitness;
const sites: TestSite[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  const log = generateNoteKey('widget.test/transparency-log');
  witness = await startFakeWitness('witness.test/badge-widget', policyFrom({ vkey: log.vkey }));
  testbed = await startConsoleTestbed({
    worker: true,
    config: {
      ...(await isolatedLogConfig('badge_widget')),
      TLOG_SIGNING_KEY: log.skey,
      TLOG_WITNESSES: JSON.stringify([{ url: witness.url, vkey: witness.vkey }]),
      TLOG_WITNESS_QUORUM: '1',
      STORE_ORIGIN_ALLOW_LOOPBACK: 'true',
      STATUS_LIST_MAX_AGE_SECONDS: String(STATUS_LIST_MAX_AGE_SECONDS),
      TLOG_CHECKPOINT_INTERVAL_SECONDS: String(TLOG_CHECKPOINT_INTERVAL_SECONDS),
    },
  });
  stack = testbed.stack;
  visitor = testbed.page.context();
  widgetUrl = testbed.url('/widget/brand-badge.js');
  owner = await actor(stack, 'widget-owner', ['BRAND', 'MERCHANT']);
  reviewer = await actor(stack, 'widget-reviewer', ['REVIEWER']);
});

afterAll(async () => {
  await Promise.all(pages.map((page) => page.close()));
  await Promise.all(sites.map((site) => site.close()));
  await testbed?.close();
  await witness?.close();
});

const proofPath = (badgeId: string) => `/badges/${encodeURIComponent(badgeId)}/tlog-proof`;

/** Waits until the badge's tlog-proof proves the grant of the credential it has now. */
async function waitForLoggedCredential(badgeId: string) {
  const proven = async () => {
    const res = await stack.http(proofPath(badgeId));
    if (res.status !== 200) return `HTTP ${res.status}`;
    const { credential } = await stack.db.badge.findUniqueOrThrow({ where: { id: rowId(badgeId) } });
    return verifyCredentialProof(credential!, await res.text(), stackLogPolicy(stack)).entry.ids.badge;
  };
  await expect.poll(() => proven().catch((error: Error) => error.message), { timeout: 60_000, interval: 250 }).toBe(rowId(badgeId));
}

/** A store with an official badge of a verified brand, once a published checkpoint of the log covers its grant. */
async function storeWithBadge() {
  const store = await createStore(stack, owner);
  const brand = await verifiedBrand(stack, owner, reviewer);
  const issued = await stack.gql(REQUEST_OFFICIAL_BADGE, { input: { storeId: store.id, brandId: brand.id } }, { token: owner.token });
  const badge = issued.body.data.requestOfficialBadge.badge as { id: string; label: string; brand: { name: string } };
  await waitForLoggedCredential(badge.id);
  return { store, brand, badge };
}

/**
 * Verifies the site's origin for the store; the badge is then signed a
 * credential naming it, whose grant the log holds once the next checkpoint is out.
 */
async function bindLoggedSite(storeId: string, badgeId: string, site: TestSite) {
  await bindSite(stack, owner, storeId, site);
  await waitForLoggedCredential(badgeId);
}

interface PageOptions {
  ownCopy?: boolean;
  headers?: Record<string, string>;
  logKey?: string;
  witnessKeys?: string;
  witnessQuorum?: string;
}

/** A product page showing the badge for the store and brand, its script tag as `options` say. */
function productPage(storeId: string, brandSlug: string, scriptTag: string, headers: Record<string, string> = {}) {
  return {
    type: 'text/html; charset=utf-8',
    headers,
    body: `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Running shoes</title></head>
  <body>
    <main>
      <h1>Running shoes</h1>
      <brand-badge store="${storeId}" brand="${brandSlug}"></brand-badge>
      <p>Lightweight, for road and trail.</p>
    </main>
    ${scriptTag}
  </body>
</html>`,
  };
}

/** The widget's attributes that pin the log's key and the witnesses the page requires. */
function pins(options: PageOptions) {
  // With logKey, the page pins the log's verifier key rather than trusting the one the API serves.
  return Object.entries({
    'data-log-key': options.logKey,
    'data-witness-keys': options.witnessKeys,
    'data-witness-quorum': options.witnessQuorum,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${value}"`)
    .join('');
}

/**
 * A storefront's web site serving a product page with the badge for the store
 * and brand. The page loads the script from the API, or, with `ownCopy`, from
 * a copy on the site itself that names the API with data-api (as a shop's CDN would).
 */
async function storefrontSite(storeId: string, brandSlug: string, options: PageOptions = {}) {
  const site = await startSite();
  sites.push(site);
  const pinned = pins(options);
  let scriptTag = `<script src="${widgetUrl}"${pinned} defer></script>`;
  if (options.ownCopy) {
    const copy = await fetch(widgetUrl);
    expect(copy.headers.get('content-type')).toMatch(/javascript/);
    site.pages.set('/js/brand-badge.js', { type: 'text/javascript', body: await copy.text() });
    scriptTag = `<script src="/js/brand-badge.js" data-api="${stack.baseUrl}"${pinned} defer></script>`;
  }
  site.pages.set('/', productPage(storeId, brandSlug, scriptTag, options.headers));
  return site;
}

/** Opens the page and records the URLs it requests from the API. */
async function open(url: string) {
  const page = await visitor.newPage();
  pages.push(page);
  const apiRequests: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    // The site has no icon; the browser's request for one is not the page's doing.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (request.url().startsWith(stack.baseUrl)) apiRequests.push(request.url());
  });
  await page.goto(url);
  return { page, apiRequests, errors };
}

const badgeState = (page: Page) => page.locator('brand-badge').getAttribute('data-badge');
const shownBadge = (page: Page) => page.locator('brand-badge').locator('[part="badge"]');

describe('the storefront badge in a browser', () => {
  it('shows a verified, logged badge on a page served from the store’s verified origin, accessibly', async () => {
    const { store, brand, badge } = await storeWithBadge();
    const site = await storefrontSite(store.id, brand.slug, { logKey: logIdentity(stack.config)!.vkey });
    await bindLoggedSite(store.id, badge.id, site);

    const { page, apiRequests, errors } = await open(`${site.origin}/`);
    await expect.poll(() => badgeState(page)).toBe('shown');
    expect(errors).toEqual([]);
    expect(badge.label).toBe(`Official store of ${badge.brand.name}`);
    await expect.poll(() => shownBadge(page).textContent()).toBe(badge.label);
    expect(await shownBadge(page).getAttribute('role')).toBe('img');
    expect(await shownBadge(page).getAttribute('aria-label')).toBe(`Verified: ${badge.label}`);
    expect(await page.getByRole('img', { name: `Verified: ${badge.label}` }).isVisible()).toBe(true);
    // The badge read is the persisted GET; keys and status lists come from the API, each once.
    const paths = apiRequests.map((url) => new URL(url).pathname);
    // The script came from the API, which it then names as the service (no data-api on this page).
    expect(paths).toContain('/widget/brand-badge.js');
    expect(paths.filter((path) => path === '/graphql')).toHaveLength(1);
    expect(new URL(apiRequests.find((url) => url.includes('/graphql'))!).searchParams.get('extensions')).toContain('persistedQuery');
    expect(paths.filter((path) => path === '/.well-known/jwks.json')).toHaveLength(1);
    expect(paths.filter((path) => path.startsWith('/status/badges/')).sort()).toEqual([
      expect.stringMatching(/^\/status\/badges\/revocation\/\d+$/),
      expect.stringMatching(/^\/status\/badges\/suspension\/\d+$/),
    ]);
    // The grant's proof, checked under the key the page pins: the served key is not asked for.
    expect(paths.filter((path) => path === proofPath(badge.id))).toHaveLength(1);
    expect(paths).not.toContain('/tlog/vkey');

    await expectAccessible(page);
    await saveScreenshot(page, 'badge-widget-verified');
  });

  it('takes a revoked badge away once the status list it checks is refreshed, on a page with a strict CSP', async () => {
    const { store, brand, badge } = await storeWithBadge();
    // No inline scripts or styles, no HTML sinks: the script and its own API only.
    const csp = `default-src 'none'; script-src 'self'; style-src 'self'; connect-src ${stack.baseUrl}; require-trusted-types-for 'script'`;
    const site = await storefrontSite(store.id, brand.slug, { ownCopy: true, headers: { 'content-security-policy': csp } });
    await bindLoggedSite(store.id, badge.id, site);
    const { page, apiRequests, errors } = await open(`${site.origin}/`);
    await expect.poll(() => badgeState(page)).toBe('shown');
    expect(errors).toEqual([]);
    // No key pinned on this page: the log's key is the one the API serves.
    expect(apiRequests.map((url) => new URL(url).pathname)).toContain('/tlog/vkey');
    const badgeReads = () => apiRequests.filter((url) => new URL(url).pathname === '/graphql').length;
    const listReads = () => apiRequests.filter((url) => new URL(url).pathname.startsWith('/status/badges/revocation/')).length;
    const [readsBefore, listsBefore] = [badgeReads(), listReads()];

    const revoked = await stack.gql(REVOKE_BADGE, { input: { id: badge.id, reason: 'Counterfeits sold' } }, { token: reviewer.token });
    expect(revoked.body.data.revokeBadge.badge.status).toBe('REVOKED');

    await expect.poll(() => badgeState(page), { timeout: (STATUS_LIST_MAX_AGE_SECONDS + 10) * 1000 }).toBe('none');
    expect(await shownBadge(page).count()).toBe(0);
    // It learned of the revocation from a fresh copy of the signed list, not from reading the badge again.
    expect(listReads()).toBeGreaterThan(listsBefore);
    expect(badgeReads()).toBe(readsBefore);
  });

  it('shows nothing when the log’s proof is of another badge or the checkpoint is not signed by the pinned key', async () => {
    const { store, brand, badge } = await storeWithBadge();
    const other = await storeWithBadge();
    const site = await storefrontSite(store.id, brand.slug);
    await bindLoggedSite(store.id, badge.id, site);

    // A cache between the page and the API answers with the (genuine) proof of another badge's grant.
    const page = await visitor.newPage();
    pages.push(page);
    const proofsServed: number[] = [];
    await page.route(`${stack.baseUrl}${proofPath(badge.id)}`, async (route) => {
      const response = await route.fetch({ url: `${stack.baseUrl}${proofPath(other.badge.id)}` });
      proofsServed.push(response.status());
      await route.fulfill({ response });
    });
    await page.goto(`${site.origin}/`);
    await expect.poll(() => badgeState(page)).toBe('none');
    // Asked once, and once more in case the badge was signed a new credential since: both times another badge's grant.
    expect(proofsServed).toEqual([200, 200]);
    expect(await shownBadge(page).count()).toBe(0);

    // The page pins a key of the same name that is not the log's: its genuine proof does not verify.
    const impostor = generateNoteKey(logIdentity(stack.config)!.origin).vkey;
    const pinnedElsewhere = await storefrontSite(store.id, brand.slug, { logKey: impostor });
    await bindLoggedSite(store.id, badge.id, pinnedElsewhere);
    const { page: pinnedPage, apiRequests } = await open(`${pinnedElsewhere.origin}/`);
    await expect.poll(() => badgeState(pinnedPage)).toBe('none');
    expect(apiRequests.map((url) => new URL(url).pathname)).toContain(proofPath(badge.id));
    expect(await shownBadge(pinnedPage).count()).toBe(0);

    // The same page, pinning the log's own key, shows the badge.
    const pinnedRight = await storefrontSite(store.id, brand.slug, { logKey: logIdentity(stack.config)!.vkey });
    await bindLoggedSite(store.id, badge.id, pinnedRight);
    const { page: rightPage } = await open(`${pinnedRight.origin}/`);
    await expect.poll(() => badgeState(rightPage)).toBe('shown');
  });

  it('shows the badge only under a checkpoint cosigned by the witnesses the page names, as many as it requires', async () => {
    const { store, brand, badge } = await storeWithBadge();
    // The proof the API hands out carries the checkpoint as stored: with the witness's cosignature.
    const proof = await (await stack.http(proofPath(badge.id))).text();
    expect(proof.split('\n').filter((line) => line.startsWith(`— ${witness.name} `))).toHaveLength(1);
    const logKey = logIdentity(stack.config)!.vkey;
    const site = await storefrontSite(store.id, brand.slug, { logKey, witnessKeys: witness.vkey });
    await bindLoggedSite(store.id, badge.id, site);
    // The same product page on the same site, naming the witnesses otherwise.
    const another = generateNoteKey('witness.test/another', 0x04).vkey;
    const variants: Record<string, PageOptions> = {
      '/same-name-other-key': { logKey, witnessKeys: generateNoteKey(witness.name, 0x04).vkey },
      '/two-required': { logKey, witnessKeys: `${witness.vkey} ${another}` },
      '/one-of-two': { logKey, witnessKeys: `${another} ${witness.vkey}`, witnessQuorum: '1' },
      '/no-keys': { logKey, witnessQuorum: '1' },
    };
    for (const [path, options] of Object.entries(variants)) {
      site.pages.set(path, productPage(store.id, brand.slug, `<script src="${widgetUrl}"${pins(options)} defer></script>`));
    }

    const { page, errors } = await open(`${site.origin}/`);
    await expect.poll(() => badgeState(page)).toBe('shown');
    expect(errors).toEqual([]);
    expect(await shownBadge(page).textContent()).toBe(badge.label);
    const { page: oneOfTwo } = await open(`${site.origin}/one-of-two`);
    await expect.poll(() => badgeState(oneOfTwo)).toBe('shown');

    for (const path of ['/same-name-other-key', '/two-required', '/no-keys']) {
      const { page: refused, apiRequests } = await open(`${site.origin}${path}`);
      await expect.poll(() => badgeState(refused)).toBe('none');
      expect(await shownBadge(refused).count()).toBe(0);
      // The credential was read and refused, not missed; with witness keys, once its log proof was in hand.
      const paths = apiRequests.map((url) => new URL(url).pathname);
      expect(paths).toContain(path === '/no-keys' ? '/graphql' : proofPath(badge.id));
    }
  });

  it('shows nothing when the same page is served from an origin the store has not verified', async () => {
    const { store, brand, badge } = await storeWithBadge();
    const own = await storefrontSite(store.id, brand.slug);
    await bindLoggedSite(store.id, badge.id, own);
    const copy = await storefrontSite(store.id, brand.slug);
    expect(copy.origin).not.toBe(own.origin);

    const { page, apiRequests } = await open(`${copy.origin}/`);
    await expect.poll(() => badgeState(page)).toBe('none');
    expect(await shownBadge(page).count()).toBe(0);
    // The credential was read and refused here, not missed.
    expect(apiRequests.some((url) => new URL(url).pathname === '/graphql')).toBe(true);
    expect(await page.locator('brand-badge').evaluate((element) => element.shadowRoot?.childNodes.length)).toBe(0);

    // The same markup on the store's own origin shows the badge.
    const { page: ownPage } = await open(`${own.origin}/`);
    await expect.poll(() => badgeState(ownPage)).toBe('shown');
  });
});
