// What a printed label can lead to, read into the brand and code that
// verifyProductCode takes.
//
// - The service's own link: /c/<brand>/<code>.
// - A GS1 Digital Link: https://<any host>[/<path>]/01/<GTIN>[/22/<variant>][/10/<lot>]/21/<serial>.
//   One item is its GTIN and serial together, so its code is the GS1 element
//   string "01" + the 14-digit GTIN + "21" + the serial (serial last, so no
//   separator is needed): 01/9506000134352/21/ABC1 is code 0109506000134352 21ABC1
//   written without spaces. A brand registers its items' codes in that form.
//   The brand comes from the path when the link is the service's own
//   (/c/<brand>/01/…); other hosts' links carry none, so the person picks it.

export interface ProductReference {
  /** The brand's slug, when the link names it. */
  brand?: string;
  code: string;
}

export type ReadReference = { ok: true; reference: ProductReference } | { ok: false; problem: string };

const GS1_QUALIFIERS = new Set(['22', '10', '21']);

/** GTIN-8, -12, -13 or -14 with a correct check digit, as 14 digits; null otherwise. */
export function normalizeGtin(gtin: string): string | null {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return null;
  const digits = gtin.padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits[13]) ? digits : null;
}

/** The code of one GS1 item: "01" + GTIN-14 + "21" + serial. */
export const gs1ItemCode = (gtin14: string, serial: string) => `01${gtin14}21${serial}`;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The GS1 part of a path split in segments, from its "01" on. */
function readGs1(segments: string[]): ReadReference {
  const start = segments.indexOf('01');
  const gtin = normalizeGtin(segments[start + 1] ?? '');
  if (!gtin) return { ok: false, problem: 'The product number (GTIN) in this link is not valid: check that the whole link was copied.' };
  const qualifiers = new Map<string, string>();
  for (let i = start + 2; i + 1 < segments.length; i += 2) {
    const key = segments[i]!;
    const value = decode(segments[i + 1]!);
    if (!GS1_QUALIFIERS.has(key) || value === null) break;
    qualifiers.set(key, value);
  }
  const serial = qualifiers.get('21');
  if (!serial) {
    return { ok: false, problem: 'This link names a kind of product, not one item: it has no serial number, so it cannot be checked.' };
  }
  const prefix = segments.slice(0, start);
  const brand = prefix.length === 2 && prefix[0] === 'c' ? (decode(prefix[1]!) ?? undefined) : undefined;
  return { ok: true, reference: { ...(brand ? { brand } : {}), code: gs1ItemCode(gtin, serial) } };
}

/** Reads a link path (`/c/acme/ABC-1`, `/c/acme/01/…/21/…`). */
export function readLinkPath(pathname: string): ReadReference | null {
  const segments = pathname.split('/').filter(Boolean);
  if (segments.includes('01')) return readGs1(segments);
  if (segments.length === 3 && segments[0] === 'c') {
    const brand = decode(segments[1]!);
    const code = decode(segments[2]!);
    if (brand && code) return { ok: true, reference: { brand, code } };
  }
  return null;
}

/** What a person typed or pasted: a code, the service's link or a GS1 Digital Link. */
export function readProductReference(input: string): ReadReference {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'Enter the code printed on the product, or paste the link its QR code opens.' };
  if (!/^https?:\/\//i.test(text)) return { ok: true, reference: { code: text } };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'This link is not complete: copy it again from the QR code.' };
  }
  return (
    readLinkPath(url.pathname) ?? {
      ok: false,
      problem: 'This link is not a product code link. Enter the code printed on the product instead.',
    }
  );
}

/** A GS1 item code in words ("GTIN 09506000134352, serial ABC1"); other codes as they are. */
export function codeInWords(code: string): string {
  const gs1 = /^01(\d{14})21(.+)$/.exec(code);
  return gs1 && normalizeGtin(gs1[1]!) ? `GTIN ${gs1[1]}, serial ${gs1[2]}` : code;
}

/** The landing page of a code: where the "Check" form goes. */
export const landingPath = ({ brand, code }: Required<ProductReference>) => `/c/${encodeURIComponent(brand)}/${encodeURIComponent(code)}`;
