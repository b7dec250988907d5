import { Prisma, type Brand } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { fail, ok, type Result } from '../errors.js';
import { recordAudit } from './audit.js';
import { addProblem, parseInput, requiredText } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';

export interface RegisterBrandInput {
  name: string;
  slug: string;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function validateSlug(slug: string): string | null {
  if (slug.length < 3 || slug.length > 40) return 'A slug has 3 to 40 characters.';
  if (!SLUG.test(slug)) return 'A slug uses lowercase letters, digits and single dashes between them.';
  return null;
}

export const brandInputSchema = z.object({
  name: requiredText(TEXT_RULES.brandName),
  slug: z
    .string()
    .trim()
    .superRefine((slug, ctx) => {
      const problem = validateSlug(slug);
      if (problem) addProblem(ctx, 'INVALID', problem);
    }),
});

export async function registerBrand(deps: ServiceDeps, access: Access, input: RegisterBrandInput): Promise<Result<Brand>> {
  const actor = access.requireRole('BRAND');
  const parsed = parseInput(brandInputSchema, input);
  if (!parsed.ok) return parsed;
  const { name, slug } = parsed.value;

  try {
    const brand = await deps.db.$transaction(async (tx) => {
      const created = await tx.brand.create({ data: { name, slug, members: { create: { actorId: actor.id, role: 'OWNER' } } } });
      await recordAudit(tx, { actorId: actor.id, action: 'brand.registered', entityType: 'Brand', entityId: created.id, data: { slug } });
      return created;
    });
    return ok(brand);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return fail('CONFLICT', `The slug "${slug}" is taken.`, ['input', 'slug']);
    }
    throw error;
  }
}

export function findBrandBySlug(deps: Pick<ServiceDeps, 'db'>, slug: string): Promise<Brand | null> {
  return deps.db.brand.findUnique({ where: { slug } });
}
