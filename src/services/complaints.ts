import { randomUUID } from 'node:crypto';
import type { Complaint, Evidence, Prisma } from '@prisma/client';
import type { Access, CurrentActor } from '../auth/access.js';
import { timeOrderedId } from '../db/time-ordered-id.js';
import { ForbiddenError, fail, ok, type Result, type UserError } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS } from '../images/image-processor.js';
import type { ComplaintCommand } from '../temporal/complaint-gateway.js';
import { PARTY_REVIEWER_MESSAGE } from '../../workflows/complaint-parties.js';
import { compensationProblem } from './compensation-policy.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES, checkText, checkTexts, type TextRule } from './text-limits.js';
import type { UploadedFile } from './uploaded-files.js';

const field = (name: string) => ['input', name];

export interface FileComplaintInput {
  storeId: string;
  brandId?: string | null;
  orderReference: string;
  description: string;
}

/** Statuses in which a complaint still needs someone: they count against a consumer's open complaints. */
export const OPEN_COMPLAINT_STATUSES = ['AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW', 'APPEALED'] as const;

export async function fileComplaint(deps: ServiceDeps, access: Access, input: FileComplaintInput): Promise<Result<Complaint>> {
  const consumer = access.requireRole('CONSUMER');
  const texts = checkTexts({
    orderReference: [input.orderReference, TEXT_RULES.orderReference, field('orderReference')],
    description: [input.description, TEXT_RULES.description, field('description')],
  });
  if (!texts.ok) return texts;
  const orderReference = texts.values.orderReference!;
  const description = texts.values.description!;
  const store = await deps.db.store.findUnique({ where: { id: input.storeId }, select: { id: true, ownerId: true } });
  if (!store) return fail('NOT_FOUND', 'No store has this id.', field('storeId'));
  if (store.ownerId === consumer.id) return fail('INVALID', "You can't file a complaint against your own store.", field('storeId'));
  if (input.brandId && !(await deps.db.brand.findUnique({ where: { id: input.brandId }, select: { id: true } }))) {
    return fail('NOT_FOUND', 'No brand has this id.', field('brandId'));
  }
  const now = deps.clock();
  const maxOpen = deps.config.OPEN_COMPLAINTS_MAX_PER_CONSUMER;
  const complaint = await deps.db.$transaction(async (tx) => {
    // Counted under the consumer's lock, so parallel filings can't all slip under the cap.
    await tx.$queryRaw`SELECT id FROM "Actor" WHERE id = ${consumer.id}::uuid FOR UPDATE`;
    const open = await tx.complaint.count({ where: { consumerId: consumer.id, status: { in: [...OPEN_COMPLAINT_STATUSES] } } });
    if (open >= maxOpen) return null;
    const created = await tx.complaint.create({
      data: {
        id: timeOrderedId(now.getTime()),
        consumerId: consumer.id,
        storeId: store.id,
        brandId: input.brandId ?? null,
        orderReference,
        description,
        evidenceDueAt: new Date(now.getTime() + deps.config.COMPLAINT_EVIDENCE_WINDOW_SECONDS * 1000),
        createdAt: now,
      },
    });
    await tx.complaintEvent.create({
      data: {
        complaintId: created.id,
        at: now,
        type: 'FILED',
        actorRole: 'CONSUMER',
        actorId: consumer.id,
        message: 'The consumer filed the complaint.',
        dedupeKey: 'filed',
      },
    });
    // Started inside the transaction: if Temporal refuses, no complaint exists without its workflow.
    await deps.complaints.start({ complaintId: created.id, consumerId: consumer.id, storeOwnerId: store.ownerId });
    return created;
  });
  if (!complaint) {
    return fail(
      'LIMIT_EXCEEDED',
      `You have ${maxOpen} open complaints, the most at once; file this one when one of them is decided, withdrawn or expired.`,
      field('storeId'),
    );
  }
  return ok(complaint);
}

type Role = 'CONSUMER' | 'MERCHANT' | 'BRAND' | 'REVIEWER';

/** The capacity in which the caller acts on this complaint, or null. */
async function roleOn(deps: ServiceDeps, access: Access, complaint: Complaint & { store: { ownerId: string } }): Promise<Role | null> {
  const actor = access.actor;
  if (!actor) return null;
  if (complaint.consumerId === actor.id) return 'CONSUMER';
  if (complaint.store.ownerId === actor.id) return 'MERCHANT';
  if (complaint.brandId && (await access.isBrandMember(complaint.brandId))) return 'BRAND';
  if (access.hasRole('REVIEWER')) return 'REVIEWER';
  return null;
}

async function loadForCommand(deps: ServiceDeps, access: Access, complaintId: string) {
  access.requireActor();
  const complaint = await deps.db.complaint.findUnique({ where: { id: complaintId }, include: { store: { select: { ownerId: true } } } });
  if (!complaint) return null;
  return { complaint, role: await roleOn(deps, access, complaint) };
}

/** Which capacity each command needs; the workflow then checks the state and the person. */
const COMMAND_ROLES: Record<ComplaintCommand['kind'], Role[]> = {
  submit: ['CONSUMER'],
  withdraw: ['CONSUMER'],
  respond: ['MERCHANT'],
  claim: ['REVIEWER'],
  decide: ['REVIEWER'],
  appeal: ['CONSUMER', 'MERCHANT'],
};

export async function runComplaintCommand(
  deps: ServiceDeps,
  access: Access,
  complaintId: string,
  command: ComplaintCommand,
): Promise<Result<Complaint>> {
  const loaded = await loadForCommand(deps, access, complaintId);
  const notYours = new ForbiddenError(
    `Only ${COMMAND_ROLES[command.kind].map((r) => r.toLowerCase()).join(' or ')}s of this complaint can do this.`,
  );
  // An unknown id is answered like someone else's complaint, so the answer
  // never tells whether a complaint exists; reviewers, who see all, learn nothing new.
  if (!loaded) {
    if (access.seesEverything) return fail('NOT_FOUND', 'No complaint has this id.', field('complaintId'));
    throw notYours;
  }
  const actor = access.actor as CurrentActor;
  const reviewing = command.kind === 'claim' || command.kind === 'decide';
  if (reviewing && loaded.role && loaded.role !== 'REVIEWER' && access.hasRole('REVIEWER'))
    throw new ForbiddenError(PARTY_REVIEWER_MESSAGE);
  if (!loaded.role || !COMMAND_ROLES[command.kind].includes(loaded.role)) throw notYours;
  const problem = commandInputProblem(deps, command);
  if (problem) return { ok: false, errors: [problem] };
  const outcome = await deps.complaints.send(
    complaintId,
    { actorId: actor.id, role: loaded.role === 'REVIEWER' ? 'REVIEWER' : loaded.role },
    command,
  );
  if (!outcome.ok) {
    if (outcome.reason === 'FORBIDDEN') throw new ForbiddenError(outcome.message);
    return fail('NOT_ALLOWED_IN_STATE', outcome.message, field('complaintId'));
  }
  return ok(await deps.db.complaint.findUniqueOrThrow({ where: { id: complaintId } }));
}

/** What is wrong with a command's own input, before the workflow is asked. */
function commandInputProblem(deps: ServiceDeps, command: ComplaintCommand): UserError | null {
  const text = (value: string, rule: TextRule, name: string) => {
    const checked = checkText(value, rule, field(name));
    return checked.ok ? null : checked.error;
  };
  if (command.kind === 'respond') return text(command.statement, TEXT_RULES.statement, 'statement');
  if (command.kind === 'appeal') return text(command.reason, TEXT_RULES.appealReason, 'reason');
  if (command.kind === 'decide') {
    return (
      text(command.note, TEXT_RULES.decisionNote, 'note') ??
      (command.compensation && compensationProblem(command.compensation, deps.config))
    );
  }
  return null;
}

export async function addEvidence(
  deps: ServiceDeps,
  access: Access,
  input: { complaintId: string; photo: UploadedFile; caption?: string | null },
): Promise<Result<Evidence>> {
  const loaded = await loadForCommand(deps, access, input.complaintId);
  const notYours = new ForbiddenError("Only the complaint's consumer, the store's owner or the brand's members add evidence.");
  // As in runComplaintCommand: an unknown id is answered like someone else's complaint.
  if (!loaded) {
    if (access.seesEverything) return fail('NOT_FOUND', 'No complaint has this id.', field('complaintId'));
    throw notYours;
  }
  const { complaint, role } = loaded;
  const allowed =
    (role === 'CONSUMER' && complaint.status === 'AWAITING_EVIDENCE') ||
    (role === 'MERCHANT' && complaint.status === 'AWAITING_MERCHANT_RESPONSE') ||
    (role === 'BRAND' && ['AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW', 'APPEALED'].includes(complaint.status));
  if (!role || role === 'REVIEWER') throw notYours;
  if (!allowed)
    return fail(
      'NOT_ALLOWED_IN_STATE',
      `The complaint is ${complaint.status}; ${role.toLowerCase()} evidence is not accepted now.`,
      field('complaintId'),
    );
  const checkedCaption = checkText(input.caption, TEXT_RULES.caption, field('caption'));
  if (!checkedCaption.ok) return { ok: false, errors: [checkedCaption.error] };
  const caption = checkedCaption.value;
  // Refused before the photo is decoded; counted again, under a lock, when its row is written.
  const side = await evidenceSideCount(deps.db, complaint.id, role);
  if (side >= deps.config.EVIDENCE_MAX_PER_SIDE) return evidenceCapReached(deps, role);

  // Checked before the bytes are copied out of the upload.
  if (input.photo.size > DEFAULT_IMAGE_LIMITS.maxBytes) {
    return fail(
      'LIMIT_EXCEEDED',
      `The photo is ${(input.photo.size / 1048576).toFixed(1)} MB; at most ${DEFAULT_IMAGE_LIMITS.maxBytes / 1048576} MB is accepted.`,
      field('photo'),
    );
  }
  const processed = await deps.images.process(Buffer.from(await input.photo.arrayBuffer()), field('photo'));
  if (!processed.ok) return processed;
  const image = processed.value;
  const id = randomUUID();
  const keys = { storageKey: `evidence/${id}`, thumbnailKey: `evidence-thumbnails/${id}` };
  try {
    await deps.storage.put(keys.storageKey, image.body, image.contentType);
    await deps.storage.put(keys.thumbnailKey, image.thumbnail.body, image.thumbnail.contentType);
    const evidence = await deps.db.$transaction(async (tx) => {
      // Parallel uploads to one complaint take turns here, so the cap holds.
      await tx.$queryRaw`SELECT id FROM "Complaint" WHERE id = ${complaint.id}::uuid FOR UPDATE`;
      if ((await evidenceSideCount(tx, complaint.id, role)) >= deps.config.EVIDENCE_MAX_PER_SIDE) return null;
      return tx.evidence.create({
        data: {
          id,
          complaintId: complaint.id,
          uploadedById: access.actor!.id,
          uploadedByRole: role,
          caption,
          contentType: image.contentType,
          width: image.width,
          height: image.height,
          byteSize: image.byteSize,
          sha256: image.sha256,
          originalSha256: image.originalSha256,
          perceptualHash: image.perceptualHash,
          ...keys,
        },
      });
    });
    if (!evidence) {
      await removeEvidence(deps, id, keys);
      return evidenceCapReached(deps, role);
    }
    if (!(await deps.complaints.evidenceAdded(complaint.id, role))) {
      await removeEvidence(deps, id, keys);
      return fail('NOT_ALLOWED_IN_STATE', 'The complaint closed while the photo was uploading.', field('complaintId'));
    }
    return ok(evidence);
  } catch (error) {
    await removeEvidence(deps, id, keys);
    throw error;
  }
}

const evidenceSideCount = (db: Prisma.TransactionClient, complaintId: string, role: Role) =>
  db.evidence.count({ where: { complaintId, uploadedByRole: role } });

function evidenceCapReached(deps: ServiceDeps, role: Role) {
  const max = deps.config.EVIDENCE_MAX_PER_SIDE;
  return fail(
    'LIMIT_EXCEEDED',
    `A complaint takes at most ${max} photos from each side, and the ${role.toLowerCase()}'s side has ${max} already.`,
    field('photo'),
  );
}

/** Leaves no row and no object behind for an upload that did not complete. */
async function removeEvidence(deps: ServiceDeps, id: string, keys: { storageKey: string; thumbnailKey: string }): Promise<void> {
  await Promise.all([deps.storage.remove(keys.storageKey), deps.storage.remove(keys.thumbnailKey)].map((p) => p.catch(() => undefined)));
  await deps.db.evidence.deleteMany({ where: { id } }).catch(() => undefined);
}

/**
 * Photos in other complaints within this Hamming distance are near-identical:
 * measured, a re-encode plus a resize moves the hash by up to 10 bits, while
 * different photos stayed at least 12 apart.
 */
export const SIMILAR_EVIDENCE_DISTANCE = 10;

/** At most this many are listed, newest first. */
export const SIMILAR_EVIDENCE_LIMIT = 20;

/**
 * Matches read before visibility is applied. Ten times the listed number, so
 * photos the caller may not see crowd out the ones they may only when hundreds
 * of copies of one photo were filed; without a bound a photo reused
 * everywhere would load every match into memory on each view.
 */
const SIMILAR_EVIDENCE_CANDIDATES = SIMILAR_EVIDENCE_LIMIT * 10;

export async function similarEvidence(deps: Pick<ServiceDeps, 'db'>, access: Access, evidence: Evidence): Promise<Evidence[]> {
  // Visibility is applied before the limit, so photos the caller may not see
  // never crowd out the ones they may.
  const matches = await deps.db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Evidence"
    WHERE "complaintId" <> ${evidence.complaintId}::uuid
      AND bit_count(('x' || "perceptualHash")::bit(64) # ('x' || ${evidence.perceptualHash})::bit(64)) <= ${SIMILAR_EVIDENCE_DISTANCE}
    ORDER BY "createdAt" DESC
    LIMIT ${SIMILAR_EVIDENCE_CANDIDATES}`;
  if (matches.length === 0) return [];
  return deps.db.evidence.findMany({
    where: { id: { in: matches.map((m) => m.id) }, complaint: await access.complaintWhere() },
    orderBy: { createdAt: 'desc' },
    take: SIMILAR_EVIDENCE_LIMIT,
  });
}
