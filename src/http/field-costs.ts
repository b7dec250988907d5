import type { GraphQLCompositeType, GraphQLField } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { LIST_BOUNDS } from '../schema/list-bounds.js';
import { MAX_CHAIN_DEPTH } from '../services/authorization-letters.js';
import { STORE_ORIGINS_MAX } from '../services/store-origins.js';
import { graphql } from './graphql-runtime.js';

const { getNamedType, getNullableType, isCompositeType, isListType } = graphql;

// What one field of a query costs. A field returning objects costs 1 per
// object, leaves cost nothing, and a list multiplies everything selected
// under it by its size: the page asked for (`first`, `storeIds`), else the
// bound its resolver applies (list-bounds.ts). Fields that do real work or
// leave a trace cost more, so a request holds only a few of them however it
// is written (aliases, fragments).

type Args = Record<string, unknown>;

export interface FieldCost {
  /** Added once per time the field runs, on top of what it returns. */
  weight?: number;
  /** How many items it returns at most. */
  size?: number | ((args: Args) => number);
}

/** A product-code check (counted, and the unit of a brute force) or an upload (the image or document pipeline). */
export const EXPENSIVE_FIELD_COST = 2000;
/** Every other mutation writes something. */
export const MUTATION_COST = 10;
/** A list nobody bounded, e.g. introspection's `types` and `fields`. */
export const UNBOUNDED_LIST_SIZE = 100;

// Pothos' connection defaults (prisma plugin): 20 unless asked, at most 100.
const CONNECTION_DEFAULT_SIZE = 20;
const CONNECTION_MAX_SIZE = 100;

const pageSize = (args: Args) => {
  const asked = Number(args.first ?? args.last ?? CONNECTION_DEFAULT_SIZE);
  return Number.isFinite(asked) ? Math.min(Math.max(asked, 0), CONNECTION_MAX_SIZE) : CONNECTION_MAX_SIZE;
};
const scanInsightSize = (args: Args, bound: number) => {
  const asked = Number(args.first ?? 20);
  return Number.isFinite(asked) ? Math.min(Math.max(Math.trunc(asked), 0), bound) : bound;
};
const listLength = (name: string) => (args: Args) => (Array.isArray(args[name]) ? args[name].length : 1);

export const FIELD_COSTS: Record<string, FieldCost> = {
  'Query.verifyProductCode': { weight: EXPENSIVE_FIELD_COST },
  'Mutation.addEvidence': { weight: EXPENSIVE_FIELD_COST },
  'Mutation.submitTrademark': { weight: EXPENSIVE_FIELD_COST },
  'Mutation.submitAuthorizationLetter': { weight: EXPENSIVE_FIELD_COST },
  // Up to 10,000 keyed hashes and rows each.
  'Mutation.registerProductCodes': { weight: EXPENSIVE_FIELD_COST },
  'Mutation.revokeProductCodes': { weight: EXPENSIVE_FIELD_COST },
  // A Hamming-distance scan over every stored photo: at most 40 in a request.
  'Evidence.similarEvidence': { weight: 250, size: LIST_BOUNDS.similarEvidence },
  // An Ed25519 signature check and a lookup.
  'Query.verifyBadgeCredential': { weight: 10 },

  'Query.storeBadges': { size: listLength('storeIds') },
  'Query.badgeStatus': { size: LIST_BOUNDS.currentBadgesPerStore },
  'StoreBadges.badges': { size: LIST_BOUNDS.currentBadgesPerStore },
  'Store.badges': { size: LIST_BOUNDS.storeBadgeHistory },
  'Store.warnings': { size: LIST_BOUNDS.storeWarnings },
  'Actor.brands': { size: LIST_BOUNDS.actorBrands },
  'Actor.stores': { size: LIST_BOUNDS.actorStores },
  'Brand.trademarks': { size: LIST_BOUNDS.brandTrademarks },
  'Complaint.evidence': { size: LIST_BOUNDS.complaintEvidence },
  'Complaint.timeline': { size: LIST_BOUNDS.complaintTimeline },
  'Complaint.informationRequests': { size: LIST_BOUNDS.complaintInformationRequests },
  // Counts over the store's and the complainant's complaints, loaded once per page of complaints.
  'Complaint.storeHistory': { weight: 25 },
  'Complaint.complainantRecord': { weight: 10 },
  'StoreComplaintHistory.warnings': { size: LIST_BOUNDS.storeHistoryList },
  'StoreComplaintHistory.earlierComplaints': { size: LIST_BOUNDS.storeHistoryList },

  'Query.complaints': { size: pageSize },
  'Query.authorizationLetters': { size: pageSize },
  'Brand.officialStores': { size: pageSize },

  'BrandTeam.members': { size: LIST_BOUNDS.brandTeamMembers },
  'BrandTeam.invitations': { size: LIST_BOUNDS.brandInvitations },
  'BrandTeam.auditTrail': {
    size: (args) => Math.max(0, Math.min(Number(args.first ?? LIST_BOUNDS.brandTeamAuditTrail) || 0, LIST_BOUNDS.brandTeamAuditTrail)),
  },
  'Query.myBrandInvitations': { size: LIST_BOUNDS.myBrandInvitations },
  'Query.webhookEndpoints': { size: pageSize },
  'WebhookEndpoint.deliveries': { size: pageSize },
  'WebhookDelivery.attempts': { size: pageSize },
  // Resolves the URL's host (DNS) before storing it.
  'Mutation.createWebhookEndpoint': { weight: 50 },
  'Query.trademarkReviewQueue': { size: pageSize },
  'Query.letterReviewQueue': { size: pageSize },
  'Query.complaintReviewQueue': { size: pageSize },
  // A grouped count over the whole queue, once per connection.
  'TrademarkQueueConnection.counts': { weight: 10 },
  'LetterQueueConnection.counts': { weight: 10 },
  'ComplaintQueueConnection.counts': { weight: 10 },
  // Writes and stores a certificate PDF, and issues a signed badge.
  'Mutation.authorizeStore': { weight: EXPENSIVE_FIELD_COST },
  'AuthorizationLetter.subLetters': { size: pageSize },
  'Brand.resellers': { size: pageSize },
  // From the brand down to the store: one letter per level.
  'Reseller.chain': { size: MAX_CHAIN_DEPTH },
  'AuthorizationLetter.grantedLetters': { size: LIST_BOUNDS.letterGrants },
  'Badge.events': { size: LIST_BOUNDS.badgeEvents },
  // The service fetches a file from the store's site: up to seconds each, so few per request.
  'Mutation.verifyStoreOrigin': { weight: EXPENSIVE_FIELD_COST },
  // A guess at a coupon code is the unit of a brute force, like a product-code check.
  'Query.validateCoupon': { weight: 10 },
  'Store.originClaims': { size: STORE_ORIGINS_MAX },
  'Query.myCoupons': { size: pageSize },
  // Each aggregates every code of the brand (a scan of its rows).
  'ScanInsight.totals': { weight: 100 },
  'ScanInsight.skus': { weight: 100, size: (args) => scanInsightSize(args, LIST_BOUNDS.scanInsightSkus) },
  'ScanInsight.batches': { weight: 100, size: (args) => scanInsightSize(args, LIST_BOUNDS.scanInsightBatches) },
  'ScanInsight.mostRepeatedCodes': { weight: 100, size: (args) => scanInsightSize(args, LIST_BOUNDS.scanInsightRepeatedCodes) },
  'Brand.cloneAlerts': { size: pageSize },
};

/** Lists of these item types are bounded wherever they appear. */
export const SIZE_BY_ITEM_TYPE: Record<string, number> = { UserError: LIST_BOUNDS.userErrors };

function sizeOf(type: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: Args): number {
  const declared = FIELD_COSTS[`${type.name}.${field.name}`]?.size;
  if (declared !== undefined) return typeof declared === 'function' ? declared(args) : declared;
  if (!isListType(getNullableType(field.type))) return 1;
  // The connection field already counted its page: its edges are one item each.
  if (type.name.endsWith('Connection') && field.name === 'edges') return 1;
  return SIZE_BY_ITEM_TYPE[getNamedType(field.type).name] ?? UNBOUNDED_LIST_SIZE;
}

/** For graphql-query-complexity: the cost of one field with what is selected under it. */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const entry = FIELD_COSTS[`${type.name}.${field.name}`];
  const weight = entry?.weight ?? (type.name === 'Mutation' ? MUTATION_COST : 0);
  const perItem = isCompositeType(getNamedType(field.type)) ? 1 : 0;
  return weight + sizeOf(type, field, args) * (perItem + childComplexity);
};
