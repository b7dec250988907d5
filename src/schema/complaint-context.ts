import {
  complainantRecord,
  mayReadComplainantRecord,
  mayReadStoreHistory,
  storeHistory,
  type ComplainantRecord,
  type StoreHistory,
  type VerdictCounts,
} from '../services/complaint-context.js';
import { builder } from './builder.js';
import { ComplaintRef } from './complaints.js';
import { WarningRef } from './compensation.js';

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

builder.prismaObjectFields(ComplaintRef, (t) => ({
  storeHistory: t.field({
    type: StoreHistoryType,
    nullable: true,
    description: "Reviewers, admins and the store's owner; null for everyone else.",
    resolve: async (complaint, _args, ctx) =>
      (await mayReadStoreHistory(ctx.access, complaint)) ? storeHistory(ctx.deps.db, complaint, ctx.deps.clock()) : null,
  }),
  complainantRecord: t.field({
    type: ComplainantRecordType,
    nullable: true,
    description: 'Reviewers and admins; null for everyone else.',
    resolve: (complaint, _args, ctx) =>
      mayReadComplainantRecord(ctx.access) ? complainantRecord(ctx.deps.db, complaint.consumerId) : null,
  }),
}));
