import { z } from 'zod';
import type { Role } from './tokens.js';

// In jwks mode a token's own `roles` claim is never trusted: the identity
// provider's groups map to roles through this allow-list, and only roles a
// person may hold by signing up come from it. REVIEWER and ADMIN are granted
// on the server (role-grants), with an audit record.

export const GROUP_ROLES = ['CONSUMER', 'MERCHANT', 'BRAND'] as const satisfies readonly Role[];
export type GroupRole = (typeof GROUP_ROLES)[number];
export type GroupRoleMap = ReadonlyMap<string, readonly GroupRole[]>;

const groupRole = z.enum(GROUP_ROLES, { message: `only ${GROUP_ROLES.join(', ')} can come from groups` });

/** `{"platform-merchants":"MERCHANT","sellers":["MERCHANT","BRAND"]}`, as a JSON string. */
export const groupRolesSchema = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object like {"platform-merchants":"MERCHANT"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.union([groupRole, z.array(groupRole).min(1)])))
  .transform((record): GroupRoleMap => new Map(Object.entries(record).map(([group, roles]) => [group, [roles].flat()])));

/** The roles the token's groups claim maps to; anything unlisted maps to nothing. */
export function rolesFromGroups(mapping: GroupRoleMap, claim: unknown): Role[] {
  const groups = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter((g) => typeof g === 'string') : [];
  const roles = new Set<Role>();
  for (const group of groups) for (const role of mapping.get(group) ?? []) roles.add(role);
  return [...roles];
}
