import { randomBytes } from 'node:crypto';

// A store's handle is its public name in URLs and searches: lowercase letters,
// digits and single hyphens, so it reads the same everywhere it is typed.

export const HANDLE_MIN = 3;
export const HANDLE_MAX = 40;
const HANDLE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Room left for the suffix that makes a handle derived from a name unique. */
const NAME_PART_MAX = 30;

/** Why `handle` is not a valid handle, or null when it is. Handles are compared lowercased and trimmed. */
export function handleProblem(handle: string): string | null {
  if (handle.length < HANDLE_MIN || handle.length > HANDLE_MAX) return `A handle has ${HANDLE_MIN} to ${HANDLE_MAX} characters.`;
  if (!HANDLE_PATTERN.test(handle)) return 'A handle has lowercase letters, digits and single hyphens between them, like "acme-outlet".';
  return null;
}

export const normalizeHandle = (input: string) => input.trim().toLowerCase();

/** The slug of a store name (accents dropped, everything else a hyphen), or "store" when nothing is left. */
export function slugOfName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_PART_MAX)
    .replace(/-+$/, '');
  return slug || 'store';
}

/** A handle for a store that named none: its name and a random suffix. */
export function handleFromName(name: string): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const suffix = [...randomBytes(6)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${slugOfName(name)}-${suffix}`;
}
