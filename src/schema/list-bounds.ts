// The most items each plain (unpaginated) list field returns. Resolvers apply
// them as `take`, and the query cost counts a list at this size, so the two
// cannot drift apart. Each is far above what the domain produces (a store
// holds a handful of badges, a complaint a few photos and a dozen events);
// they exist so that no single field can return a table.
import { SIMILAR_EVIDENCE_LIMIT } from '../services/complaints.js';
import { STORE_HISTORY_LIST_LIMIT } from '../services/complaint-context.js';

export const LIST_BOUNDS = {
  /** Actor.brands, Actor.stores. */
  actorBrands: 50,
  actorStores: 50,
  /** Brand.trademarks. */
  brandTrademarks: 50,
  /** Store.badges (history, newest first) and Store.warnings. */
  storeBadgeHistory: 50,
  storeWarnings: 50,
  /** A store's current badges: StoreBadges.badges and badgeStatus. */
  currentBadgesPerStore: 20,
  /** Complaint.evidence (three sides at EVIDENCE_MAX_PER_SIDE's default of 10) and Complaint.timeline. */
  complaintEvidence: 30,
  complaintTimeline: 100,
  /** Complaint.informationRequests: one open at a time, each answered or expired before the next. */
  complaintInformationRequests: 20,
  /** StoreComplaintHistory.warnings and .earlierComplaints: the service's own limit. */
  storeHistoryList: STORE_HISTORY_LIST_LIMIT,
  /** Evidence.similarEvidence: the service's own limit. */
  similarEvidence: SIMILAR_EVIDENCE_LIMIT,
  /** AuthorizationLetter.grantedLetters (a distributor's resellers) and Badge.events (a badge's timeline). */
  letterGrants: 50,
  badgeEvents: 50,
  /** userErrors of any payload: built by the services, which stop at about 20. */
  userErrors: 25,
  /** BrandTeam.members, BrandTeam.invitations (pending), BrandTeam.auditTrail (its `first` at most), Query.myBrandInvitations. */
  brandTeamMembers: 100,
  brandInvitations: 100,
  brandTeamAuditTrail: 100,
  myBrandInvitations: 50,
  /** ScanInsight.skus, .batches and .mostRepeatedCodes (their `first` at most). */
  scanInsightSkus: 100,
  scanInsightBatches: 100,
  scanInsightRepeatedCodes: 100,
} as const;
