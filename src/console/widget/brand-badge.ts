/// <reference lib="dom" />
import { checkBadgeCredential } from './badge-check.js';
import { serviceSources } from './badge-source.js';

/**
 * <brand-badge store="<store ID>" brand="<brand slug>">: shows the store's
 * "Official store of X" or "Official authorized store of X" badge once it has
 * verified the badge's credential in the browser, and nothing otherwise.
 * Embedded as <script src=".../widget/brand-badge.js" data-api="https://api.example" defer>;
 * without data-api the script's own origin is the service.
 */

// Read while this script runs: later, currentScript names another script or none.
const script = document.currentScript as HTMLScriptElement | null;
const apiBase = new URL(script?.dataset.api || script?.src || location.href, location.href).href;
const service = serviceSources(apiBase);

/** Shortest wait between checks, whatever the caches say, so a list served uncacheable is not fetched in a loop. */
const MIN_RECHECK_MS = 1000;
/** Wait before trying again after the service could not be reached. */
const RETRY_MS = 60_000;

const STYLE = `:host{display:inline-block}
.b{display:inline-flex;align-items:center;gap:.4em;padding:.25em .6em;border:1px solid #1d6b3a;border-radius:999px;background:#f1f9f3;color:#14522b;font:600 .875rem/1.3 system-ui,sans-serif}
svg{width:1em;height:1em;flex:none}`;

class BrandBadge extends HTMLElement {
  static observedAttributes = ['store', 'brand'];
  #root = this.attachShadow({ mode: 'open' });
  #timer: ReturnType<typeof setTimeout> | undefined;
  #run = 0;
  #onVisible = () => {
    if (document.visibilityState === 'visible') void this.#check();
  };

  connectedCallback() {
    document.addEventListener('visibilitychange', this.#onVisible);
    void this.#check();
  }

  disconnectedCallback() {
    document.removeEventListener('visibilitychange', this.#onVisible);
    clearTimeout(this.#timer);
    this.#run += 1;
  }

  attributeChangedCallback() {
    if (this.isConnected) void this.#check();
  }

  async #check() {
    clearTimeout(this.#timer);
    const run = ++this.#run;
    const store = this.getAttribute('store') ?? '';
    const brand = this.getAttribute('brand') ?? '';
    let shown: { label: string; recheckAt: number } | undefined;
    let retryAt = Date.now() + RETRY_MS;
    try {
      const expected = { store, brand, pageOrigin: location.origin, issuer: new URL(apiBase).origin };
      for (const credential of store && brand ? await service.credentials(store, brand) : []) {
        const result = await checkBadgeCredential(credential, expected, service.sources, Date.now());
        if (result.valid) {
          shown = result;
          break;
        }
      }
    } catch {
      // Unreachable or unreadable: nothing is shown until a later check verifies the badge.
    }
    if (run !== this.#run) return;
    this.#render(shown?.label);
    if (shown) retryAt = shown.recheckAt;
    this.#timer = setTimeout(() => void this.#check(), Math.max(MIN_RECHECK_MS, retryAt - Date.now()));
  }

  #render(label: string | undefined) {
    if (!label) {
      this.#root.replaceChildren();
      return;
    }
    const style = document.createElement('style');
    style.textContent = STYLE;
    const badge = document.createElement('span');
    badge.className = 'b';
    badge.setAttribute('part', 'badge');
    badge.setAttribute('role', 'img');
    badge.setAttribute('aria-label', `Verified: ${label}`);
    badge.title = `Verified: ${label}`;
    badge.innerHTML =
      '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="8" fill="#1d6b3a"/><path d="M4.5 8.2l2.3 2.3 4.7-4.9" stroke="#fff" stroke-width="1.8" fill="none"/></svg>';
    badge.append(label);
    this.#root.replaceChildren(style, badge);
  }
}

if (!customElements.get('brand-badge')) customElements.define('brand-badge', BrandBadge);
