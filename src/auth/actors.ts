import type { Db } from '../db/client.js';
import type { CurrentActor } from './access.js';
import { ROLES, type Role, type TokenClaims } from './tokens.js';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Finds the actor named by a token, creating it on first sight. Its roles are
 * the token's (see tokens.ts) plus the live grants held on the server, which is
 * the only way to REVIEWER and ADMIN in jwks mode. The stored roles and display
 * name are kept current for what others see of the actor.
 */
export async function resolveActor(db: Db, claims: TokenClaims): Promise<CurrentActor> {
  const existing = await db.actor.findUnique({
    where: { subject: claims.subject },
    include: { roleGrants: { where: { revokedAt: null }, select: { role: true } } },
  });
  const granted = existing?.roleGrants.map((g) => g.role) ?? [];
  const roles: Role[] = ROLES.filter((role) => claims.roles.includes(role) || granted.includes(role));
  const displayName = claims.name ?? existing?.displayName ?? null;
  const current = existing && sameSet(existing.roles, roles) && existing.displayName === displayName;
  const actor = current
    ? existing
    : await db.actor.upsert({
        where: { subject: claims.subject },
        create: { subject: claims.subject, roles, displayName },
        update: { roles, displayName, lastSeenAt: new Date() },
      });
  return { id: actor.id, subject: actor.subject, roles: new Set(roles), displayName: actor.displayName };
}
