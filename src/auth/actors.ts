import type { Db } from '../db/client.js';
import type { CurrentActor } from './access.js';
import type { TokenClaims } from './tokens.js';

/** Finds the actor named by a token, creating it on first sight and keeping its roles current. */
export async function resolveActor(db: Db, claims: TokenClaims): Promise<CurrentActor> {
  const existing = await db.actor.findUnique({ where: { subject: claims.subject } });
  const sameRoles = existing && existing.roles.length === claims.roles.length && claims.roles.every((r) => existing.roles.includes(r));
  const actor = sameRoles
    ? existing
    : await db.actor.upsert({
        where: { subject: claims.subject },
        create: { subject: claims.subject, roles: claims.roles },
        update: { roles: claims.roles, lastSeenAt: new Date() },
      });
  return { id: actor.id, subject: actor.subject, roles: new Set(claims.roles) };
}
