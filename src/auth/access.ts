import type { Prisma } from '@prisma/client';
import type { Db } from '../db/client.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { DEFAULT_BRAND_ACTION, mayDo, rolesAllowedTo, type BrandAction, type BrandMemberRole } from './brand-permissions.js';
import type { Role } from './tokens.js';

export const NOT_A_BRAND_MEMBER = 'Only members of this brand can do this.';

/** The refusal a member gets for an action their role in the brand doesn't allow. */
export const roleRefusal = (role: BrandMemberRole, action: BrandAction) =>
  `As the brand's ${role} you can't do this; it takes ${rolesAllowedTo(action).join(' or ')}.`;

export interface CurrentActor {
  id: string;
  subject: string;
  roles: ReadonlySet<Role>;
  displayName: string | null;
}

/**
 * What the caller of one request may see and do. Membership is loaded once per
 * request and reused by every check, list filter and nested field.
 */
export class Access {
  private brandRolesPromise?: Promise<ReadonlyMap<string, BrandMemberRole>>;
  private storeIdsPromise?: Promise<ReadonlySet<string>>;

  constructor(
    private readonly db: Db,
    readonly actor: CurrentActor | null,
  ) {}

  requireActor(): CurrentActor {
    if (!this.actor) throw new UnauthenticatedError();
    return this.actor;
  }

  hasRole(...roles: Role[]): boolean {
    return roles.some((role) => this.actor?.roles.has(role) ?? false);
  }

  requireRole(...roles: Role[]): CurrentActor {
    const actor = this.requireActor();
    if (!this.hasRole(...roles)) throw new ForbiddenError(`This needs the ${roles.join(' or ')} role.`);
    return actor;
  }

  /** Reviewers and admins see every record. */
  get seesEverything(): boolean {
    return this.hasRole('REVIEWER', 'ADMIN');
  }

  /** The caller's role in each brand whose team they are in. */
  brandRoles(): Promise<ReadonlyMap<string, BrandMemberRole>> {
    const actor = this.actor;
    if (!actor) return Promise.resolve(new Map());
    this.brandRolesPromise ??= this.db.brandMember
      .findMany({ where: { actorId: actor.id }, select: { brandId: true, role: true } })
      .then((rows) => new Map(rows.map((row) => [row.brandId, row.role])));
    return this.brandRolesPromise;
  }

  /** After a change to a team the caller is in, so the rest of the request sees the team as it now is. */
  forgetBrandRoles(): void {
    this.brandRolesPromise = undefined;
  }

  async brandRole(brandId: string): Promise<BrandMemberRole | null> {
    return (await this.brandRoles()).get(brandId) ?? null;
  }

  /** Brands whose team the caller is in, in any role. */
  async memberBrandIds(): Promise<ReadonlySet<string>> {
    return new Set((await this.brandRoles()).keys());
  }

  /** Brands for which the caller's role allows `action` (brand-permissions.ts). */
  async brandIdsAllowedTo(action: BrandAction): Promise<ReadonlySet<string>> {
    const ids = new Set<string>();
    for (const [brandId, role] of await this.brandRoles()) if (mayDo(role, action)) ids.add(brandId);
    return ids;
  }

  async mayActForBrand(brandId: string, action: BrandAction): Promise<boolean> {
    return mayDo(await this.brandRole(brandId), action);
  }

  /** The caller, if their role in the brand allows `action`; FORBIDDEN otherwise, members or not. */
  async requireBrandPermission(brandId: string, action: BrandAction): Promise<CurrentActor> {
    const actor = this.requireActor();
    const role = await this.brandRole(brandId);
    if (!role) throw new ForbiddenError(NOT_A_BRAND_MEMBER);
    if (!mayDo(role, action)) throw new ForbiddenError(roleRefusal(role, action));
    return actor;
  }

  ownedStoreIds(): Promise<ReadonlySet<string>> {
    const actor = this.actor;
    if (!actor) return Promise.resolve(new Set());
    this.storeIdsPromise ??= this.db.store
      .findMany({ where: { ownerId: actor.id }, select: { id: true } })
      .then((rows) => new Set(rows.map((row) => row.id)));
    return this.storeIdsPromise;
  }

  /**
   * Complaints are seen by reviewers, the consumer who filed them, the store's
   * owner and the brand's members. In memory, so lists check every row free.
   */
  async canSeeComplaint(complaint: { consumerId: string; storeId: string; brandId: string | null }): Promise<boolean> {
    if (this.seesEverything) return true;
    if (!this.actor) return false;
    if (complaint.consumerId === this.actor.id) return true;
    if ((await this.ownedStoreIds()).has(complaint.storeId)) return true;
    return complaint.brandId !== null && (await this.brandIdsAllowedTo('complaints.view')).has(complaint.brandId);
  }

  async complaintWhere(): Promise<Prisma.ComplaintWhereInput> {
    if (this.seesEverything) return {};
    if (!this.actor) return { id: { in: [] } };
    const [brandIds, storeIds] = await Promise.all([this.brandIdsAllowedTo('complaints.view'), this.ownedStoreIds()]);
    return { OR: [{ consumerId: this.actor.id }, { storeId: { in: [...storeIds] } }, { brandId: { in: [...brandIds] } }] };
  }

  /** In the brand's team in any role: a party to what concerns the brand. */
  async isBrandMember(brandId: string): Promise<boolean> {
    return (await this.brandRole(brandId)) !== null;
  }

  /**
   * A member allowed `action`; without one, a member who runs the brand's
   * business (OWNER or MANAGER), so an unqualified check never lets an AGENT in.
   */
  requireBrandMember(brandId: string, action: BrandAction = DEFAULT_BRAND_ACTION): Promise<CurrentActor> {
    return this.requireBrandPermission(brandId, action);
  }

  /** Trademarks under review are private to the brand and reviewers; approved ones are public record. */
  async trademarkWhere(): Promise<Prisma.TrademarkWhereInput> {
    if (this.seesEverything) return {};
    const brandIds = [...(await this.brandIdsAllowedTo('brand.viewPrivate'))];
    return { OR: [{ status: 'APPROVED' }, { brandId: { in: brandIds } }] };
  }

  /**
   * Letters are seen by reviewers, the brand's members, the store that holds
   * the letter and the store that granted it.
   */
  async letterWhere(): Promise<Prisma.AuthorizationLetterWhereInput> {
    if (this.seesEverything) return {};
    if (!this.actor) return { id: { in: [] } };
    const brandIds = [...(await this.brandIdsAllowedTo('letters.view'))];
    return {
      OR: [{ brandId: { in: brandIds } }, { store: { ownerId: this.actor.id } }, { grantor: { store: { ownerId: this.actor.id } } }],
    };
  }

  async canSeeLetter(letter: { id: string }): Promise<boolean> {
    if (this.seesEverything) return true;
    const visible = await this.db.authorizationLetter.findFirst({
      where: { AND: [{ id: letter.id }, await this.letterWhere()] },
      select: { id: true },
    });
    return visible !== null;
  }

  /**
   * A certificate is readable by reviewers, its uploader and the brand's
   * members; a letter by whoever may see the letter.
   */
  async canReadDocument(document: { id: string; uploadedById: string }): Promise<boolean> {
    if (!this.actor) return false;
    if (this.seesEverything || document.uploadedById === this.actor.id) return true;
    const brandIds = [...(await this.brandIdsAllowedTo('brand.viewPrivate'))];
    const [trademark, letter] = await Promise.all([
      brandIds.length > 0
        ? this.db.trademark.findFirst({ where: { documentId: document.id, brandId: { in: brandIds } }, select: { id: true } })
        : null,
      this.db.authorizationLetter.findFirst({
        where: { AND: [{ documentId: document.id }, await this.letterWhere()] },
        select: { id: true },
      }),
    ]);
    return trademark !== null || letter !== null;
  }
}
