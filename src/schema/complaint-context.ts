import type { Complaint } from '@prisma/client';
import {
  complainantRecords,
  mayReadComplainantRecord,
  mayReadStoreHistory,
  storeHistories,
  type ComplainantRecord,
  type StoreHistory,
  type VerdictCounts,
} from '../services/complaint-context.js';
import { builder } from './builder.js';
import { ComplaintRef } from './complaints.js';
import { WarningRef } from './compensation.js';
import type { GraphQLContext } from './context.js';

// The context a reviewer decides a complaint in: the store's history and the
// complainant's record, each shown only to those who may weigh it.

const VerdictCountsType = builder.objectRef<VerdictCounts>('ComplaintVerdictCounts').implement({
  fields: (t) => ({
    counterfeit: t.exposeInt('counterfeit'),
    notCounterfeit: t.exposeInt('notCounterfeit'),
    insufficientEvidence: t.exposeInt('insufficientEvidence'),
    undecided: t.exposeInt('undecided', { description: 'Not decided yet, withdrawn or expired.' }),
  }),
});

const StoreHistoryType = builder.objectRef<StoreHistory>('StoreComplaintHistory').implement({
  description: "The store's record when a complaint is decided.",
  fields: (t) => ({
    activeStrikes: t.exposeInt('activeStrikes', {
      description: "Strikes of the store's owner that count now (the policy window, across every store they own).",
    }),
    warningCount: t.exposeInt('warningCount', { description: 'Every warning of this store, rescinded ones included.' }),
    rescindedWarningCount: t.exposeInt('rescindedWarningCount', { description: 'Warnings rescinded on appeal.' }),
    warnings: t.field({
      type: [WarningRef],
      description: "The store's warnings, newest first, rescinded ones included; at most 20 (see warningCount).",
      resolve: (history) => history.warnings,
    }),
    earlierComplaintCount: t.exposeInt('earlierComplaintCount', { description: 'Complaints against the store filed before this one.' }),
    earlierComplaints: t.field({
      type: [ComplaintRef],
      description: 'Complaints against the store filed before this one, newest first; at most 20 (see earlierComplaintCount).',
      resolve: (history) => history.earlierComplaints,
    }),
    earlierVerdicts: t.field({ type: VerdictCountsType, resolve: (history) => history.earlierVerdicts }),
  }),
});

const ComplainantRecordType = builder.objectRef<ComplainantRecord>('ComplainantRecord').implement({
  description: "The complainant's record over every complaint they filed, this one included.",
  fields: (t) => ({
    complaintsFiled: t.exposeInt('complaintsFiled'),
    decided: t.exposeInt('decided', { description: 'Complaints with a verdict.' }),
    upheld: t.exposeInt('upheld', { description: 'Complaints decided COUNTERFEIT.' }),
    upheldShare: t.exposeFloat('upheldShare', {
      nullable: true,
      description: 'upheld / decided, from 0 to 1: the good-faith signal. Null before any decision.',
    }),
    withdrawn: t.exposeInt('withdrawn'),
    expired: t.exposeInt('expired', { description: 'Filed without evidence in time.' }),
  }),
});

/**
 * Gathers the keys asked for while one step of a query resolves (every
 * complaint of a page), and loads them with one call once that step is done,
 * so a page of complaints costs the queries of one.
 */
function batcher<K, V>(load: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let pending: Array<{ key: K; settle: (value: V | undefined) => void; fail: (error: unknown) => void }> = [];
  return (key) =>
    new Promise((settle, fail) => {
      if (pending.length === 0)
        setImmediate(() => {
          const batch = pending;
          pending = [];
          load(batch.map((p) => p.key)).then(
            (values) => batch.forEach((p) => p.settle(values.get(p.key))),
            (error: unknown) => batch.forEach((p) => p.fail(error)),
          );
        });
      pending.push({ key, settle, fail });
    });
}

interface ContextLoaders {
  storeHistory: (complaint: Complaint) => Promise<StoreHistory | undefined>;
  complainantRecord: (consumerId: string) => Promise<ComplainantRecord | undefined>;
}

const loadersOfRequest = new WeakMap<GraphQLContext, ContextLoaders>();

function loadersOf(ctx: GraphQLContext): ContextLoaders {
  let loaders = loadersOfRequest.get(ctx);
  if (!loaders) {
    const histories = batcher<string, StoreHistory>(async (ids) =>
      storeHistories(
        ctx.deps.db,
        ids.map((id) => asked.get(id)!),
        ctx.deps.clock(),
      ),
    );
    const asked = new Map<string, Complaint>();
    loaders = {
      storeHistory: (complaint) => {
        asked.set(complaint.id, complaint);
        return histories(complaint.id);
      },
      complainantRecord: batcher<string, ComplainantRecord>((consumerIds) => complainantRecords(ctx.deps.db, consumerIds)),
    };
    loadersOfRequest.set(ctx, loaders);
  }
  return loaders;
}

builder.prismaObjectFields(ComplaintRef, (t) => ({
  storeHistory: t.field({
    type: StoreHistoryType,
    nullable: true,
    description: "Reviewers, admins and the store's owner; null for everyone else.",
    resolve: async (complaint, _args, ctx) =>
      (await mayReadStoreHistory(ctx.access, complaint)) ? ((await loadersOf(ctx).storeHistory(complaint)) ?? null) : null,
  }),
  complainantRecord: t.field({
    type: ComplainantRecordType,
    nullable: true,
    description: 'Reviewers and admins; null for everyone else.',
    resolve: async (complaint, _args, ctx) =>
      mayReadComplainantRecord(ctx.access) ? ((await loadersOf(ctx).complainantRecord(complaint.consumerId)) ?? null) : null,
  }),
}));
