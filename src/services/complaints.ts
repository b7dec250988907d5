import { randomUUID } from 'node:crypto';
import type { Complaint, Evidence } from '@prisma/client';
import { z } from 'zod';
import type { Access } from '../auth/access.js';
import { timeOrderedId } from '../db/time-ordered-id.js';
import { ForbiddenError, fail, ok, type Result } from '../errors.js';
import { DEFAULT_IMAGE_LIMITS } from '../images/image-processor.js';
import { recordUploadIntent } from '../storage/upload-intents.js';
import type { CommandOutcome, ComplaintCommand } from '../temporal/complaint-gateway.js';
import {
  checkCommand,
  type EvidenceSide,
  type PartySide,
  type Refusal,
  type RulesActor,
  type RulesCommand,
  type RulesLimits,
} from '../../workflows/complaint-rules.js';
import type { ComplaintLimits } from '../../workflows/complaint-messages.js';
import { compensationProblem } from './compensation-policy.js';
import { loadComplaintForCommand, type ComplaintForCommand } from './complaint-command-state.js';
import { INFORMATION_TEXT_RULES } from './complaint-information.js';
import { listingUrl } from './complaint-listing-url.js';
import { addProblem, parseInput, requiredText, text } from './input-validation.js';
import type { ServiceDeps } from './service-deps.js';
import { TEXT_RULES } from './text-limits.js';
import { discardUpload, type UploadedFile } from './uploaded-files.js';

const field = (name: string) => ['input', name];

export interface FileComplaintInput {
  storeId: string;
  brandId?: string | null;
  orderReference: string;
  description: string;
  listingUrl?: string | null;
}

const fileComplaintSchema = z.object({
  storeId: z.string(),
  brandId: z.string().nullish(),
  orderReference: requiredText(TEXT_RULES.orderReference),
  description: requiredText(TEXT_RULES.description),
  listingUrl,
});

const limitsOf = (deps: ServiceDeps): ComplaintLimits & RulesLimits => ({
  evidencePerSide: deps.config.EVIDENCE_MAX_PER_SIDE,
  openComplaintsPerConsumer: deps.config.OPEN_COMPLAINTS_MAX_PER_CONSUMER,
});

/**
 * A refusal of the complaint rules as the caller sees it: "not you" is a
 * FORBIDDEN error, the rest are userErrors on the field they concern.
 */
function refused(refusal: Refusal, limitField: string[]): { ok: false; errors: ReturnType<typeof fail>['errors'] } {
  if (refusal.kind === 'FORBIDDEN') throw new ForbiddenError(refusal.message);
  return fail(refusal.kind, refusal.message, refusal.kind === 'LIMIT_EXCEEDED' ? limitField : field('complaintId'));
}

/**
 * What a caller asking only for a complaint's id and status is answered from:
 * the status the workflow answered with, and who may see the complaint. A
 * step reads the complaint's row again only for callers who ask for more.
 */
export type ComplaintAfterStep = Pick<Complaint, 'id' | 'status' | 'consumerId' | 'storeId' | 'brandId'>;

/** A photo the workflow recorded, for a caller asking only for its id: the rest is read only for callers who ask for it. */
export type EvidenceAfterStep = Pick<Evidence, 'id' | 'complaintId'>;

/** What a step answers with: the complaint's row as it is after the step, or only what the step knows. */
export type StepAnswer = 'row' | 'known';

const refusalOf = (outcome: Extract<CommandOutcome, { ok: false }>): Refusal => ({ kind: outcome.reason, message: outcome.message });

/**
 * Files a complaint: the workflow is started with the filing, and writes the
 * complaint (or refuses it over the open-complaints cap) before it answers,
 * so no complaint exists without its workflow and no workflow runs without its complaint.
 */
export async function fileComplaint(
  deps: ServiceDeps,
  access: Access,
  input: FileComplaintInput,
  answer: StepAnswer = 'row',
): Promise<Result<Complaint | ComplaintAfterStep>> {
  const consumer = access.requireRole('CONSUMER');
  const parsed = parseInput(fileComplaintSchema, input);
  if (!parsed.ok) return parsed;
  const { storeId, brandId, orderReference, description, listingUrl: listing } = parsed.value;
  const store = await deps.db.store.findUnique({ where: { id: storeId }, select: { id: true, ownerId: true } });
  if (!store) return fail('NOT_FOUND', 'No store has this id.', field('storeId'));
  if (store.ownerId === consumer.id) return fail('INVALID', "You can't file a complaint against your own store.", field('storeId'));
  if (brandId && !(await deps.db.brand.findUnique({ where: { id: brandId }, select: { id: true } }))) {
    return fail('NOT_FOUND', 'No brand has this id.', field('brandId'));
  }
  const complaintId = timeOrderedId(deps.clock().getTime());
  const outcome = await deps.complaints.file(
    { complaintId, consumerId: consumer.id, storeOwnerId: store.ownerId, limits: limitsOf(deps) },
    { actorId: consumer.id, role: 'CONSUMER' },
    { storeId: store.id, brandId: brandId ?? null, orderReference, description, ...(listing ? { listingUrl: listing } : {}) },
  );
  if (!outcome.ok) return refused(refusalOf(outcome), field('storeId'));
  if (answer === 'known')
    return ok({ id: complaintId, status: outcome.status, consumerId: consumer.id, storeId: store.id, brandId: brandId ?? null });
  return ok(await deps.db.complaint.findUniqueOrThrow({ where: { id: complaintId } }));
}

type Capacity = 'CONSUMER' | 'MERCHANT' | 'BRAND' | 'REVIEWER';

/** The capacity in which the caller acts on this complaint, or null. */
async function capacityOn(access: Access, complaint: ComplaintForCommand): Promise<Capacity | null> {
  const actor = access.actor;
  if (!actor) return null;
  if (complaint.consumerId === actor.id) return 'CONSUMER';
  if (complaint.storeOwnerId === actor.id) return 'MERCHANT';
  if (complaint.brandId && (await access.mayActForBrand(complaint.brandId, 'complaints.act'))) return 'BRAND';
  if (access.hasRole('REVIEWER')) return 'REVIEWER';
  return null;
}

/**
 * Who the rules see: reviewers review as reviewers (and the rules refuse
 * those who are party to the complaint, brand members included); everyone
 * else acts in their capacity on the complaint.
 */
function rulesActorOf(access: Access, capacity: Capacity, command: RulesCommand['kind']): RulesActor {
  const actorId = access.actor!.id;
  if ((command === 'claim' || command === 'decide' || command === 'requestInformation') && access.hasRole('REVIEWER'))
    return { actorId, role: 'REVIEWER', brandMember: capacity === 'BRAND' };
  return { actorId, role: capacity };
}

/**
 * Loads the complaint, as its rules see it, and the caller's capacity on it.
 * An unknown id is answered like someone else's complaint, so the answer never
 * tells whether a complaint exists; reviewers, who see all, learn nothing new.
 */
async function loadForCommand(
  deps: ServiceDeps,
  access: Access,
  complaintId: string,
  notYours: string,
): Promise<Result<{ complaint: ComplaintForCommand; capacity: Capacity }>> {
  access.requireActor();
  const complaint = await loadComplaintForCommand(deps.db, complaintId);
  if (!complaint) {
    if (access.seesEverything) return fail('NOT_FOUND', 'No complaint has this id.', field('complaintId'));
    throw new ForbiddenError(notYours);
  }
  const capacity = await capacityOn(access, complaint);
  if (!capacity) throw new ForbiddenError(notYours);
  return ok({ complaint, capacity });
}

const respondSchema = z.object({ statement: requiredText(TEXT_RULES.statement) });
const answerSchema = z.object({ statement: text(INFORMATION_TEXT_RULES.answerStatement) });
const requestInformationSchema = (deps: ServiceDeps) => {
  const now = deps.clock().getTime();
  const latest = now + deps.config.COMPLAINT_INFORMATION_MAX_WINDOW_SECONDS * 1000;
  const days = Math.round((deps.config.COMPLAINT_INFORMATION_MAX_WINDOW_SECONDS / 86400) * 10) / 10;
  return z.object({
    side: z.enum(['CONSUMER', 'MERCHANT']),
    note: requiredText(INFORMATION_TEXT_RULES.requestNote),
    dueAt: z
      .date()
      .nullish()
      .transform((dueAt, ctx) => {
        if (!dueAt) return new Date(now + deps.config.COMPLAINT_INFORMATION_WINDOW_SECONDS * 1000);
        if (dueAt.getTime() > now && dueAt.getTime() <= latest) return dueAt;
        addProblem(ctx, 'INVALID', `The deadline must be in the future and at most ${days} days from now.`);
        return z.NEVER;
      }),
  });
};

/** What a caller asks of a complaint; the service turns it into the command the workflow takes. */
export type ComplaintRequest =
  | Exclude<ComplaintCommand, { kind: 'requestInformation' }>
  | { kind: 'requestInformation'; side: PartySide; note: string; dueAt: Date | null };

/** The command as the rules see it. */
function rulesCommandOf(request: ComplaintRequest): RulesCommand {
  if (request.kind === 'requestInformation') return { kind: request.kind, side: request.side };
  if (request.kind === 'answerInformation') return { kind: request.kind, withStatement: (request.statement ?? '').trim() !== '' };
  return { kind: request.kind };
}
const appealSchema = z.object({ reason: requiredText(TEXT_RULES.appealReason) });
const decideSchema = (deps: ServiceDeps) =>
  z
    .object({
      note: requiredText(TEXT_RULES.decisionNote),
      compensation: z.object({ amount: z.string(), currency: z.string() }).nullish(),
    })
    .superRefine((decision, ctx) => {
      const problem = decision.compensation && compensationProblem(decision.compensation, deps.config, ['compensation']);
      if (problem) addProblem(ctx, problem.code, problem.message, problem.field);
    });

/** The command with its own input checked (every problem reported), before the rules and the workflow are asked. */
function parseCommand(deps: ServiceDeps, command: ComplaintRequest): Result<ComplaintCommand> {
  const checked = <T>(result: Result<T>, build: (value: T) => ComplaintCommand): Result<ComplaintCommand> =>
    result.ok ? ok(build(result.value)) : result;
  switch (command.kind) {
    case 'respond':
      return checked(parseInput(respondSchema, command), (v) => ({ kind: 'respond', statement: v.statement }));
    case 'appeal':
      return checked(parseInput(appealSchema, command), (v) => ({ kind: 'appeal', reason: v.reason }));
    case 'decide':
      return checked(parseInput(decideSchema(deps), command), (v) => ({ ...command, note: v.note, compensation: v.compensation ?? null }));
    case 'answerInformation':
      return checked(parseInput(answerSchema, command), (v) => ({ kind: 'answerInformation', statement: v.statement }));
    case 'requestInformation':
      return checked(parseInput(requestInformationSchema(deps), command), (v) => ({
        kind: 'requestInformation',
        requestId: randomUUID(),
        side: v.side,
        note: v.note,
        dueAt: v.dueAt.toISOString(),
      }));
    default:
      return ok(command);
  }
}

export async function runComplaintCommand(
  deps: ServiceDeps,
  access: Access,
  complaintId: string,
  command: ComplaintRequest,
  answer: StepAnswer = 'row',
): Promise<Result<Complaint | ComplaintAfterStep>> {
  const loaded = await loadForCommand(deps, access, complaintId, 'You are not a party to this complaint that may do this.');
  if (!loaded.ok) return loaded;
  const { complaint, capacity } = loaded.value;
  const actor = rulesActorOf(access, capacity, command.kind);
  // Asked here first so a caller learns "not you" before "not now"; the workflow asks again, and its answer counts.
  const checked = checkCommand(complaint.rules, actor, rulesCommandOf(command), limitsOf(deps));
  if (!checked.ok && checked.refusal.kind === 'FORBIDDEN') throw new ForbiddenError(checked.refusal.message);
  const parsed = parseCommand(deps, command);
  if (!parsed.ok) return parsed;
  if (!checked.ok) return refused(checked.refusal, field('complaintId'));
  const outcome = await deps.complaints.send(complaintId, { actorId: actor.actorId, role: actor.role }, parsed.value);
  if (!outcome.ok) return refused(refusalOf(outcome), field('complaintId'));
  if (answer === 'known') {
    const { id, consumerId, storeId, brandId } = complaint;
    return ok({ id, status: outcome.status, consumerId, storeId, brandId });
  }
  return ok(await deps.db.complaint.findUniqueOrThrow({ where: { id: complaintId } }));
}

const captionSchema = z.object({ caption: text(TEXT_RULES.caption) });

/**
 * Adds a photo: checked and stored by the API, then recorded by the workflow
 * if the rules still allow it when its turn comes (a submission may have come
 * first). A photo the workflow refuses is removed again.
 */
export async function addEvidence(
  deps: ServiceDeps,
  access: Access,
  input: { complaintId: string; photo: UploadedFile; caption?: string | null },
  answer: StepAnswer = 'row',
): Promise<Result<Evidence | EvidenceAfterStep>> {
  const loaded = await loadForCommand(
    deps,
    access,
    input.complaintId,
    "Only the complaint's consumer, the store's owner or the brand's members add evidence.",
  );
  if (!loaded.ok) return loaded;
  const { complaint, capacity } = loaded.value;
  if (capacity === 'REVIEWER')
    throw new ForbiddenError("Only the complaint's consumer, the store's owner or the brand's members add evidence.");
  const side: EvidenceSide = capacity;
  const actor = rulesActorOf(access, capacity, 'addEvidence');
  // Refused before the photo is decoded; the workflow checks again when it records the photo.
  const checked = checkCommand(complaint.rules, actor, { kind: 'addEvidence', side }, limitsOf(deps));
  if (!checked.ok && checked.refusal.kind !== 'LIMIT_EXCEEDED') return refused(checked.refusal, field('photo'));
  const caption = parseInput(captionSchema, { caption: input.caption });
  if (!caption.ok) return caption;
  if (!checked.ok) return refused(checked.refusal, field('photo'));

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
  const objects = [keys.storageKey, keys.thumbnailKey];
  await recordUploadIntent(deps.db, objects);
  try {
    await deps.storage.put(keys.storageKey, image.body, image.contentType);
    await deps.storage.put(keys.thumbnailKey, image.thumbnail.body, image.thumbnail.contentType);
  } catch (error) {
    await discardUpload(deps, objects);
    throw error;
  }
  // Whether the workflow took the photo is unknown if this throws, so the objects stay with their intent for the sweep.
  const outcome = await deps.complaints.addEvidence(
    complaint.id,
    { actorId: actor.actorId, role: actor.role },
    {
      evidenceId: id,
      side,
      caption: caption.value.caption,
      contentType: image.contentType,
      width: image.width,
      height: image.height,
      byteSize: image.byteSize,
      sha256: image.sha256,
      originalSha256: image.originalSha256,
      perceptualHash: image.perceptualHash,
      ...keys,
    },
  );
  if (!outcome.ok) {
    await discardUpload(deps, objects);
    return refused(refusalOf(outcome), field('photo'));
  }
  if (answer === 'known') return ok({ id, complaintId: complaint.id });
  return ok(await deps.db.evidence.findUniqueOrThrow({ where: { id } }));
}

/**
 * Removes objects no row refers to, then their upload intent. If removing
 * fails, the intent stays so the sweep of upload intents retries it.
 */

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
