import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { Link, useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { ComplaintActions } from './complaint-actions.tsx';
import { ReviewerComplaintFields, ReviewerComplaintQuery, ReviewerComplaintUpdatedSubscription } from './complaint.operations.ts';
import { EvidenceGallery, readEvidence } from './evidence-gallery.tsx';
import { useLiveSubscription } from './live-complaint.ts';
import { eventWords, roleWords, statusWords, verdictWords, when } from './words.ts';
import './reviewer.css';

export type ComplaintData = ResultOf<typeof ReviewerComplaintFields>;
type Masked = FragmentOf<typeof ReviewerComplaintFields>;

export default function ComplaintReviewPage() {
  const { id = '' } = useParams();
  const [{ data, error }] = useQuery({ query: ReviewerComplaintQuery, variables: { id } });
  // The newest copy from the query, a mutation's answer or the live stream.
  const [latest, setLatest] = useState<Masked | null>(null);
  const fetched = data?.node && 'id' in data.node ? (data.node as Masked) : null;
  useEffect(() => setLatest(fetched), [fetched]);
  useLiveSubscription(ReviewerComplaintUpdatedSubscription, { id }, (update) => setLatest(update.complaintUpdated as Masked), !fetched);
  if (error && !data) return <Page title="Complaint">{<RequestFailed error={error} what="this complaint" />}</Page>;
  if (!data) return <Page title="Complaint">{<Loading what="the complaint" />}</Page>;
  const masked = latest ?? fetched;
  if (!masked) {
    return (
      <Page title="Complaint not found">
        <p>There is no complaint at this address. It may have been removed, or the link is incomplete.</p>
        <p>
          <Link to="/console/review?queue=complaints">Back to the complaints queue</Link>
        </p>
      </Page>
    );
  }
  const complaint = readFragment(ReviewerComplaintFields, masked);
  return (
    <Page title={`Complaint about ${complaint.store.name}`}>
      <div className="wide">
        <p>
          <Link to="/console/review?queue=complaints">← Complaints queue</Link>
        </p>
        <CaseSummary complaint={complaint} />
        <section aria-labelledby="evidence-heading">
          <h2 id="evidence-heading">Photos</h2>
          <EvidenceGallery evidence={readEvidence(complaint.evidence)} />
        </section>
        <ComplaintActions complaint={complaint} meId={data.me?.id ?? null} onChange={setLatest} />
        <div className="case-grid">
          <StoreRecord complaint={complaint} />
          <ComplainantRecord complaint={complaint} />
        </div>
        <InformationRequests complaint={complaint} />
        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading">Timeline</h2>
          <ol className="timeline">
            {complaint.timeline.map((event, index) => (
              <li key={`${event.at}-${index}`}>
                <strong>{eventWords(event.type)}</strong> · {when(event.at)} · by {roleWords(event.actorRole)}
                {event.message && <div>{event.message}</div>}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </Page>
  );
}

function CaseSummary({ complaint }: { complaint: ComplaintData }) {
  const deadline = complaint.deadlines.informationDueAt
    ? `Waiting for more information until ${when(complaint.deadlines.informationDueAt)}`
    : complaint.deadlines.reviewDueAt
      ? `Decide by ${when(complaint.deadlines.reviewDueAt)}`
      : complaint.deadlines.appealDueAt
        ? `Open to appeal until ${when(complaint.deadlines.appealDueAt)}`
        : null;
  return (
    <section aria-labelledby="summary-heading" className="panel">
      <h2 id="summary-heading">The case</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="complaint-status">
          {statusWords(complaint.status)}
          {complaint.escalated && <span className="tag warning-tag">Past the review deadline</span>}
        </dd>
        <dt>Claimed by</dt>
        <dd data-testid="complaint-claimed-by">{complaint.assignedReviewer?.displayName ?? 'Nobody yet'}</dd>
        {deadline && (
          <>
            <dt>Deadline</dt>
            <dd>{deadline}</dd>
          </>
        )}
        <dt>Store</dt>
        <dd>
          {complaint.store.name} (@{complaint.store.handle}){complaint.store.status === 'SUSPENDED' && ' — suspended'}
        </dd>
        <dt>Brand</dt>
        <dd>{complaint.brand?.name ?? 'Not named'}</dd>
        <dt>Order</dt>
        <dd>{complaint.orderReference}</dd>
        {complaint.listingUrl && (
          <>
            <dt>Listing</dt>
            <dd>
              <a href={complaint.listingUrl} target="_blank" rel="noreferrer noopener">
                {complaint.listingUrl}
              </a>
            </dd>
          </>
        )}
        <dt>Filed</dt>
        <dd>{when(complaint.createdAt)}</dd>
        <dt>The consumer says</dt>
        <dd>{complaint.description}</dd>
        <dt>The store answers</dt>
        <dd>{complaint.merchantStatement ?? 'The store has not answered.'}</dd>
        {complaint.appealReason && (
          <>
            <dt>Appeal by {roleWords(complaint.appealedByRole)}</dt>
            <dd>{complaint.appealReason}</dd>
          </>
        )}
        {complaint.verdict && (
          <>
            <dt>Verdict</dt>
            <dd data-testid="complaint-verdict">
              {verdictWords(complaint.verdict)}
              {complaint.decisionNote && ` — ${complaint.decisionNote}`}
            </dd>
          </>
        )}
        {complaint.coupon && (
          <>
            <dt>Coupon for the consumer</dt>
            <dd data-testid="complaint-coupon">
              {complaint.coupon.value.amount} {complaint.coupon.value.currency}
            </dd>
          </>
        )}
        {complaint.warning && (
          <>
            <dt>Warning to the store</dt>
            <dd>Strike {complaint.warning.strikeNumber}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function StoreRecord({ complaint }: { complaint: ComplaintData }) {
  const history = complaint.storeHistory;
  return (
    <section aria-labelledby="store-record-heading" className="panel">
      <h2 id="store-record-heading">The store’s record</h2>
      {!history ? (
        <p>You may not see the store’s record.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Strikes that count now</dt>
            <dd>{history.activeStrikes}</dd>
            <dt>Warnings</dt>
            <dd>
              {history.warningCount} ({history.rescindedWarningCount} rescinded on appeal)
            </dd>
            <dt>Earlier complaints</dt>
            <dd>{history.earlierComplaintCount}</dd>
            <dt>Their verdicts</dt>
            <dd>
              {history.earlierVerdicts.counterfeit} counterfeit, {history.earlierVerdicts.notCounterfeit} not counterfeit,{' '}
              {history.earlierVerdicts.insufficientEvidence} not enough evidence, {history.earlierVerdicts.undecided} undecided
            </dd>
          </dl>
          {history.earlierComplaints.length > 0 && (
            <ul>
              {history.earlierComplaints.map((earlier) => (
                <li key={earlier.id}>
                  <Link to={`/console/review/complaints/${encodeURIComponent(earlier.id)}`}>Complaint of {when(earlier.createdAt)}</Link>:{' '}
                  {earlier.verdict ? verdictWords(earlier.verdict) : statusWords(earlier.status)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function ComplainantRecord({ complaint }: { complaint: ComplaintData }) {
  const record = complaint.complainantRecord;
  return (
    <section aria-labelledby="complainant-heading" className="panel">
      <h2 id="complainant-heading">The consumer’s record</h2>
      {!record ? (
        <p>You may not see the consumer’s record.</p>
      ) : (
        <dl className="facts">
          <dt>Complaints filed</dt>
          <dd>{record.complaintsFiled} (this one included)</dd>
          <dt>Decided</dt>
          <dd>{record.decided}</dd>
          <dt>Found counterfeit</dt>
          <dd>
            {record.upheld}
            {record.upheldShare !== null && ` (${Math.round(record.upheldShare * 100)}% of those decided)`}
          </dd>
          <dt>Withdrawn</dt>
          <dd>{record.withdrawn}</dd>
          <dt>Expired without photos</dt>
          <dd>{record.expired}</dd>
        </dl>
      )}
    </section>
  );
}

function InformationRequests({ complaint }: { complaint: ComplaintData }) {
  if (complaint.informationRequests.length === 0) return null;
  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">Requests for more information</h2>
      <ul>
        {complaint.informationRequests.map((request) => (
          <li key={request.requestedAt}>
            Asked {request.side === 'CONSUMER' ? 'the consumer' : 'the store'} on {when(request.requestedAt)}: “{request.note}”.{' '}
            {request.open
              ? `Waiting for the answer until ${when(request.dueAt)}.`
              : request.answeredAt
                ? `Answered ${when(request.answeredAt)}${request.statement ? `: “${request.statement}”` : ' with photos'}.`
                : `No answer came by ${when(request.expiredAt ?? request.dueAt)}.`}
          </li>
        ))}
      </ul>
    </section>
  );
}
