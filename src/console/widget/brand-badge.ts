import { checkBadgeCredential } from './badge-check.js';
import { serviceSources } from './badge-source.js';

/**
 * <brand-badge store="<store ID>" brand="<brand slug>">: shows the store's
 * "Official store of X" or "Official authorized store of X" badge once it has
 * verified the badge's credential in the browser, and nothing otherwise.
 * Embedded as <script src=".../widget/brand-badge.js" data-api="https://api.example" defer>;
 * without data-api the script's own origin is the service. data-log-key pins
 * the verifier key of the service's transparency log; without it the key the
 * service publishes is used. data-witness-keys (space-separated cosignature/v1
 * keys) and data-witness-quorum (default: all of them) require the log's
 * checkpoint to be cosigned by that many of those witnesses.
 */

// Read while this script runs: later, currentScript names another script or none.
const script = document.currentScript as HTMLScriptElement | null;
const apiBase = new URL(script?.dataset.api || script?.src || location.href, location.href).href;
const pins = script?.dataset ?? {};
const service = serviceSources(apiBase, {
  logKey: pins.logKey || undefined,
  witnessKeys: pins.witnessKeys,
  witnessQuorum: pins.witnessQuorum,
});

/** Shortest wait between checks, whatever the caches say, so a list served uncacheable is not fetched in a loop. */
const MIN_RECHECK_MS = 1000;
/** Wait before reading the store's credentials again when none could be verified (none active, or the service unreachable). */
const RETRY_MS = 60_000;

const STYLE = `:host{display:inline-block}
.b{display:inline-flex;align-items:center;gap:.4em;padding:.25em .6em;border:1px solid #1d6b3a;border-radius:999px;background:#f1f9f3;color:#14522b;font:600 .875rem/1.3 system-ui,sans-serif}
svg{width:1em;height:1em;flex:none}`;

class BrandBadge extends HTMLElement {
  static observedAttributes = ['store', 'brand'];
  #root = this.attachShadow({ mode: 'open' });
  #timer: ReturnType<typeof setTimeout> | undefined;
  #run = 0;
  #connected = false;
  /** The credential on show, checked again as its status lists go stale. */
  #credential: string | undefined;
  #onVisible = () => {
    if (document.visibilityState === 'visible') void this.#check();
  };

  connectedCallback() {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#onVisible);
    void this.#check();
  }

  disconnectedCallback() {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#onVisible);
    clearTimeout(this.#timer);
    this.#run += 1;
  }

  attributeChangedCallback(_name: string, old: string | null, value: string | null) {
    // Before connectedCallback (the first attributes of a parsed element) there is nothing to check again.
    if (this.#connected && old !== value) void this.#check(true);
  }

  /**
   * Verifies the badge and shows it or nothing. A badge on show is checked
   * again, against fresh status lists, when they go stale; otherwise the
   * store's credentials are read again after a while (a renewed badge).
   */
  async #check(reread = false) {
    clearTimeout(this.#timer);
    const run = ++this.#run;
    const store = this.getAttribute('store') ?? '';
    const brand = this.getAttribute('brand') ?? '';
    let shown: { label: string; recheckAt: number } | undefined;
    let held: string | undefined;
    try {
      const expected = { store, brand, pageOrigin: location.origin, issuer: new URL(apiBase).origin };
      const candidates = this.#credential && !reread ? [this.#credential] : store && brand ? await service.credentials(store, brand) : [];
      for (const credential of candidates) {
        const result = await checkBadgeCredential(credential, expected, service.sources, Date.now());
        if (result.valid) {
          [shown, held] = [result, credential];
          break;
        }
      }
    } catch {
      // Unreachable or unreadable: nothing is shown until a later check verifies the badge.
    }
    if (run !== this.#run) return;
    this.#credential = held;
    this.#render(shown?.label);
    this.#timer = shown
      ? setTimeout(() => void this.#check(), Math.max(MIN_RECHECK_MS, shown.recheckAt - Date.now()))
      : setTimeout(() => void this.#check(true), RETRY_MS);
  }

  #render(label: string | undefined) {
    // Tells the page's own styles and scripts whether a badge is on show.
    this.setAttribute('data-badge', label ? 'shown' : 'none');
    if (!label) {
      this.#root.replaceChildren();
      return;
    }
    const badge = document.createElement('span');
    badge.className = 'b';
    badge.setAttribute('part', 'badge');
    badge.setAttribute('role', 'img');
    badge.setAttribute('aria-label', `Verified: ${label}`);
    badge.title = `Verified: ${label}`;
    badge.append(checkMark(), label);
    this.#root.adoptedStyleSheets = [styles()];
    this.#root.replaceChildren(badge);
  }
}

// Built from DOM calls and a constructed style sheet, not markup or a <style>
// element, so a storefront's Content-Security-Policy or Trusted Types need no exception.
let sheet: CSSStyleSheet | undefined;
function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

function checkMark(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const circle = document.createElementNS(ns, 'circle');
  for (const [name, value] of Object.entries({ cx: '8', cy: '8', r: '8', fill: '#1d6b3a' })) circle.setAttribute(name, value);
  const tick = document.createElementNS(ns, 'path');
  for (const [name, value] of Object.entries({ d: 'M4.5 8.2l2.3 2.3 4.7-4.9', stroke: '#fff', 'stroke-width': '1.8', fill: 'none' })) {
    tick.setAttribute(name, value);
  }
  svg.append(circle, tick);
  return svg;
}

if (!customElements.get('brand-badge')) customElements.define('brand-badge', BrandBadge);
