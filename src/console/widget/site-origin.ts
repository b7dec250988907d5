/**
 * Whether the page's origin is one the credential names. Exact comparison of
 * serialized origins: `https://shop.example` matches neither
 * `https://shop.example.evil.test` nor `http://shop.example`, and an opaque
 * origin ("null": a sandboxed frame, a file) matches nothing.
 */
export function pageOriginAllowed(origins: unknown, pageOrigin: string): boolean {
  if (!Array.isArray(origins) || pageOrigin === 'null') return false;
  return origins.some((origin) => typeof origin === 'string' && origin === pageOrigin);
}
