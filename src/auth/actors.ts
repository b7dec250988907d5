import type { Db } from '../db/client.js';
import { directSql, type NamedStatement } from '../db/direct-sql.js';
import type { CurrentActor } from './access.js';
import { ROLES, type Role, type TokenClaims } from './tokens.js';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

// Every signed-in request starts here: one named statement on the direct pool
// rather than a Prisma query, for the actor and their live grants.
const ACTOR_STATEMENT: NamedStatement = {
  name: 'actor-by-subject',
  text: `
    SELECT a."id"::text AS "id", a."subject", a."roles"::text[] AS "roles", a."displayName",
           ARRAY(SELECT g."role"::text FROM "RoleGrant" g WHERE g."actorId" = a."id" AND g."revokedAt" IS NULL) AS "granted"
    FROM "Actor" a WHERE a."subject" = $1`,
};

interface ActorRow {
  id: string;
  subject: string;
  roles: Role[];
  displayName: string | null;
  granted: Role[];
}

/**
 * Finds the actor named by a token, creating it on first sight. Its roles are
 * the token's (see tokens.ts) plus the live grants held on the server, which is
 * the only way to REVIEWER and ADMIN in jwks mode. The stored roles and display
 * name are kept current for what others see of the actor.
 */
export async function resolveActor(db: Db, claims: TokenClaims): Promise<CurrentActor> {
  const [existing] = await directSql(db).rows<ActorRow>(ACTOR_STATEMENT, [claims.subject]);
  const granted = existing?.granted ?? [];
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
