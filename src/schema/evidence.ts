import type { Evidence } from '@prisma/client';
import { addEvidence, similarEvidence, type EvidenceAfterStep } from '../services/complaints.js';
import { RoleEnum } from './actors.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseGlobalId } from './global-ids.js';
import { asksOnly } from './payload-selection.js';
import { entityPayload, failedPayload, toPayload } from './user-errors.js';

const complaintOf = (evidence: Evidence, ctx: GraphQLContext) =>
  ctx.deps.db.complaint.findUniqueOrThrow({ where: { id: evidence.complaintId } });

export const EvidenceRef = builder.prismaNode('Evidence', {
  id: { field: 'id' },
  // Evidence is seen by whoever sees its complaint (Prisma batches these lookups).
  authScopes: async (evidence, ctx) => ctx.access.canSeeComplaint(await complaintOf(evidence, ctx)),
  fields: (t) => ({
    uploadedByRole: t.expose('uploadedByRole', { type: RoleEnum }),
    caption: t.exposeString('caption', { nullable: true }),
    contentType: t.exposeString('contentType'),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    byteSize: t.exposeInt('byteSize'),
    sha256: t.exposeString('sha256'),
    perceptualHash: t.exposeString('perceptualHash', { description: '64-bit perceptual hash, hex.' }),
    url: t.string({
      nullable: true,
      description: 'Sanitized image (metadata stripped), short-lived URL.',
      resolve: (evidence, _args, ctx) =>
        ctx.deps.storage.presignGet(evidence.storageKey, { expiresInSeconds: ctx.deps.config.PRESIGN_TTL_SECONDS }),
    }),
    thumbnailUrl: t.string({
      nullable: true,
      resolve: (evidence, _args, ctx) =>
        ctx.deps.storage.presignGet(evidence.thumbnailKey, { expiresInSeconds: ctx.deps.config.PRESIGN_TTL_SECONDS }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField(EvidenceRef, 'similarEvidence', (t) =>
  t.field({
    type: [EvidenceRef],
    description: 'Near-identical photos already filed in other complaints.',
    resolve: (evidence, _args, ctx) => similarEvidence(ctx.deps, ctx.access, evidence),
  }),
);

// A caller asking only for the photo's id is answered without reading its row again (see EvidenceAfterStep).
const EvidencePayload = entityPayload<Evidence | EvidenceAfterStep>('EvidencePayload', 'evidence', EvidenceRef);

const AddEvidenceInput = builder.inputType('AddEvidenceInput', {
  fields: (t) => ({
    complaintId: t.id(),
    photo: t.field({ type: 'Upload', description: 'JPEG, PNG, WebP or AVIF; at most 15 MB and 40 megapixels.' }),
    caption: t.string({ required: false }),
  }),
});

builder.mutationField('addEvidence', (t) =>
  t.field({
    type: EvidencePayload,
    description:
      "The complaint's consumer (before submission), the store's merchant (during the response window) or a member of the brand.",
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: AddEvidenceInput }) },
    resolve: async (_root, { input }, ctx, info) => {
      const complaintId = parseGlobalId(input.complaintId, 'Complaint', ['input', 'complaintId']);
      if (!complaintId.ok) return failedPayload(complaintId);
      const answer = asksOnly(info, 'evidence', ['id']) ? 'known' : 'row';
      return toPayload(await addEvidence(ctx.deps, ctx.access, { ...input, complaintId: complaintId.value }, answer));
    },
  }),
);
