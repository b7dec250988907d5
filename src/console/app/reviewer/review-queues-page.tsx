import { useCallback, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { useMutation, useQuery } from 'urql';
import { Link, useLocation, useNavigate } from '../shell/router.tsx';
import { useMe } from '../shell/me.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { useRefreshWhileVisible } from './polling.ts';
import { QueueTable, type QueueRow } from './queue-table.tsx';
import { queueFilter, readQueueView, type QueueKind, type QueueView } from './queue-view.ts';
import {
  ReviewerClaimComplaintMutation,
  ReviewerClaimLetterMutation,
  ReviewerClaimTrademarkMutation,
  ReviewerComplaintQueueQuery,
  ReviewerLetterQueueQuery,
  ReviewerReleaseLetterMutation,
  ReviewerReleaseTrademarkMutation,
  ReviewerTrademarkQueueQuery,
} from './queues.operations.ts';
import { statusWords, when } from './words.ts';
import './reviewer.css';

const QUEUES: ReadonlyArray<{ kind: QueueKind; label: string }> = [
  { kind: 'complaints', label: 'Complaints' },
  { kind: 'trademarks', label: 'Trademarks' },
  { kind: 'letters', label: 'Authorization letters' },
];

const STATUSES: Record<QueueKind, string[]> = {
  complaints: ['UNDER_REVIEW', 'APPEALED', 'DECIDED', 'CLOSED', 'WITHDRAWN', 'EXPIRED'],
  trademarks: ['SUBMITTED', 'APPROVED', 'REJECTED', 'EXPIRED', 'REVOKED'],
  letters: ['SUBMITTED', 'APPROVED', 'REJECTED', 'EXPIRED', 'REVOKED'],
};

export default function ReviewQueuesPage() {
  const { search } = useLocation();
  const navigate = useNavigate();
  const view = readQueueView(search);
  const change = (changes: Partial<QueueView>, keepPage = false) => {
    const next: QueueView = { ...view, ...changes, ...(keepPage ? {} : { after: '', before: '' }) };
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) params.set(key, value);
    navigate(`/console/review?${params.toString()}`, { replace: true });
  };
  return (
    <Page title="Review queues">
      <nav aria-label="Queues" className="queue-tabs">
        <ul>
          {QUEUES.map(({ kind, label }) => (
            <li key={kind}>
              <Link to={`/console/review?queue=${kind}`} aria-current={view.queue === kind ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {view.queue === 'complaints' && <ComplaintQueue view={view} change={change} />}
      {view.queue === 'trademarks' && <TrademarkQueue view={view} change={change} />}
      {view.queue === 'letters' && <LetterQueue view={view} change={change} />}
    </Page>
  );
}

interface QueueProps {
  view: QueueView;
  change(changes: Partial<QueueView>, keepPage?: boolean): void;
}

/** Asks again on an interval, so other reviewers' claims and new items show up. */
function useLiveQueue<T>(result: T, reexecute: (opts: { requestPolicy: 'network-only' }) => void) {
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefreshWhileVisible(refresh);
  return result;
}

function ComplaintQueue({ view, change }: QueueProps) {
  const [result, reexecute] = useQuery({ query: ReviewerComplaintQueueQuery, variables: queueFilter(view) });
  useLiveQueue(result, reexecute);
  const [, claim] = useMutation(ReviewerClaimComplaintMutation);
  const connection = result.data?.complaintReviewQueue;
  const rows: QueueRow[] =
    connection?.edges.map(({ node }) => ({
      id: node.id,
      href: `/console/review/complaints/${encodeURIComponent(node.id)}`,
      title: `Complaint about ${node.store.name}`,
      details: [
        `Order ${node.orderReference}`,
        node.brand ? `Brand: ${node.brand.name}` : 'No brand named',
        statusWords(node.status),
        node.deadlines.informationDueAt
          ? `Waiting for information until ${when(node.deadlines.informationDueAt)}`
          : node.deadlines.reviewDueAt
            ? `Decide by ${when(node.deadlines.reviewDueAt)}`
            : '',
      ].filter(Boolean),
      since: node.createdAt,
      assignee: node.assignedReviewer,
      escalated: node.escalated,
      releasable: false,
    })) ?? [];
  return (
    <QueueSection
      label="Complaints"
      what="complaints"
      {...shared(view, change, result, reexecute)}
      counts={connection?.counts}
      pageInfo={connection?.pageInfo}
      rows={rows}
      claim={(id) => refusals(claim({ id }), (data) => data.claimComplaint)}
      note="A claim on a complaint ends with its decision, or is released by itself when the review deadline passes."
    />
  );
}

function TrademarkQueue({ view, change }: QueueProps) {
  const [result, reexecute] = useQuery({ query: ReviewerTrademarkQueueQuery, variables: queueFilter(view) });
  useLiveQueue(result, reexecute);
  const [, claim] = useMutation(ReviewerClaimTrademarkMutation);
  const [, release] = useMutation(ReviewerReleaseTrademarkMutation);
  const connection = result.data?.trademarkReviewQueue;
  const rows: QueueRow[] =
    connection?.edges.map(({ node }) => ({
      id: node.id,
      href: `/console/review/trademarks/${encodeURIComponent(node.id)}`,
      title: `${node.brand.name}: trademark ${node.registrationNumber}`,
      details: [`Office: ${node.office}`, `Holder: ${node.holderName}`, statusWords(node.status)],
      since: null,
      assignee: node.assignedReviewer,
      escalated: false,
      releasable: true,
    })) ?? [];
  return (
    <QueueSection
      label="Trademarks"
      what="trademarks"
      {...shared(view, change, result, reexecute)}
      counts={connection?.counts}
      pageInfo={connection?.pageInfo}
      rows={rows}
      claim={(id) => refusals(claim({ id }), (data) => data.claimTrademarkReview)}
      release={(id) => refusals(release({ id }), (data) => data.releaseTrademarkReview)}
    />
  );
}

function LetterQueue({ view, change }: QueueProps) {
  const [result, reexecute] = useQuery({ query: ReviewerLetterQueueQuery, variables: queueFilter(view) });
  useLiveQueue(result, reexecute);
  const [, claim] = useMutation(ReviewerClaimLetterMutation);
  const [, release] = useMutation(ReviewerReleaseLetterMutation);
  const connection = result.data?.letterReviewQueue;
  const rows: QueueRow[] =
    connection?.edges.map(({ node }) => ({
      id: node.id,
      href: `/console/review/letters/${encodeURIComponent(node.id)}`,
      title: `${node.store.name}, authorized by ${node.brand.name}`,
      details: [
        `Scope: ${node.scope}`,
        node.chainDepth === 1 ? 'Granted by the brand' : 'Granted by an authorized distributor',
        `Brand’s confirmation: ${node.brandConfirmation.toLowerCase()}`,
        statusWords(node.status),
      ],
      since: null,
      assignee: node.assignedReviewer,
      escalated: false,
      releasable: true,
    })) ?? [];
  return (
    <QueueSection
      label="Authorization letters"
      what="authorization letters"
      {...shared(view, change, result, reexecute)}
      counts={connection?.counts}
      pageInfo={connection?.pageInfo}
      rows={rows}
      claim={(id) => refusals(claim({ id }), (data) => data.claimLetterReview)}
      release={(id) => refusals(release({ id }), (data) => data.releaseLetterReview)}
    />
  );
}

type Answer = Promise<ReadonlyArray<{ message: string }> | null>;

/** A claim's or release's refusals; null when the service could not be reached. */
async function refusals<Data>(
  pending: Promise<{ error?: CombinedError; data?: Data }>,
  payload: (data: Data) => { userErrors: ReadonlyArray<{ message: string }> },
): Answer {
  const answer = await pending;
  return answer.error || !answer.data ? null : payload(answer.data).userErrors;
}

type Reexecute = (opts: { requestPolicy: 'network-only' }) => void;

/** What every queue's section is given alike. */
const shared = (view: QueueView, change: QueueProps['change'], result: SectionProps['result'], reexecute: Reexecute) => ({
  view,
  change,
  result,
  refresh: () => reexecute({ requestPolicy: 'network-only' }),
});

interface SectionProps extends QueueProps {
  label: string;
  what: string;
  result: { fetching: boolean; error?: CombinedError; data?: unknown };
  counts?: { all: number; unassigned: number; mine: number; escalated?: number };
  pageInfo?: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  rows: QueueRow[];
  claim(id: string): Answer;
  release?(id: string): Answer;
  refresh(): void;
  note?: string;
}

function QueueSection({ label, what, view, change, result, counts, pageInfo, rows, claim, release, refresh, note }: SectionProps) {
  const { me } = useMe();
  const [announcement, setAnnouncement] = useState('');
  const act = async (verb: 'Claimed' | 'Released', run: (id: string) => Answer, row: QueueRow) => {
    const errors = await run(row.id);
    if (errors === null) setAnnouncement(`${row.title} could not be ${verb.toLowerCase()}: the service could not be reached. Try again.`);
    else if (errors.length > 0) setAnnouncement(`${row.title} was not ${verb.toLowerCase()}: ${errors.map((e) => e.message).join(' ')}`);
    else setAnnouncement(`${verb}: ${row.title}.`);
    refresh();
  };
  const showOptions: Array<[string, string, number | undefined]> = [
    ['', 'All', counts?.all],
    ['unassigned', 'Not claimed', counts?.unassigned],
    ['mine', 'Claimed by me', counts?.mine],
    ...(view.queue === 'complaints'
      ? [['escalated', 'Past the review deadline', counts?.escalated] as [string, string, number | undefined]]
      : []),
  ];
  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading">{label}</h2>
      <form className="queue-filters" onSubmit={(event) => event.preventDefault()} aria-label={`Filter ${what}`}>
        <fieldset>
          <legend>Show</legend>
          {showOptions.map(([value, text, count]) => (
            <label key={value || 'all'} className="choice">
              <input type="radio" name="show" value={value} checked={view.show === value} onChange={() => change({ show: value })} />
              {text} <span className="badge-count">{count ?? '…'}</span>
            </label>
          ))}
        </fieldset>
        <div className="filter-row">
          <label>
            Status
            <select value={view.status} onChange={(event) => change({ status: event.target.value })}>
              <option value="">Waiting for a reviewer</option>
              {STATUSES[view.queue].map((status) => (
                <option key={status} value={status}>
                  {statusWords(status)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Order
            <select value={view.sort} onChange={(event) => change({ sort: event.target.value })}>
              <option value="">Longest waiting first</option>
              <option value="NEWEST_FIRST">Newest first</option>
              {view.queue === 'complaints' && <option value="ESCALATED_FIRST">Past the deadline first</option>}
            </select>
          </label>
          <label>
            Submitted from
            <input type="date" value={view.from} onChange={(event) => change({ from: event.target.value })} />
          </label>
          <label>
            Submitted until
            <input type="date" value={view.to} onChange={(event) => change({ to: event.target.value })} />
          </label>
        </div>
      </form>
      {note && <p className="hint">{note}</p>}
      <p role="status" className="announcement">
        {announcement}
      </p>
      {result.error && !result.data ? (
        <RequestFailed error={result.error} what={`the ${what}`} />
      ) : !result.data ? (
        <Loading what={`the ${what}`} />
      ) : (
        <QueueTable
          caption={`${label} (${counts?.all ?? 0} in this view)`}
          rows={rows}
          meId={me?.id ?? null}
          onClaim={(row) => void act('Claimed', claim, row)}
          onRelease={release ? (row) => void act('Released', release, row) : undefined}
          empty={
            view.show || view.status || view.from || view.to
              ? `No ${what} match these filters.`
              : `No ${what} are waiting for a reviewer. Well done.`
          }
        />
      )}
      {pageInfo && (pageInfo.hasNextPage || pageInfo.hasPreviousPage || view.after || view.before) && (
        <nav aria-label="Pages" className="pager">
          <button
            type="button"
            className="secondary"
            disabled={!(pageInfo.hasPreviousPage || view.after)}
            onClick={() => change({ before: pageInfo.startCursor ?? '', after: '' }, true)}
          >
            Previous page
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!(pageInfo.hasNextPage || view.before)}
            onClick={() => change({ after: pageInfo.endCursor ?? '', before: '' }, true)}
          >
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
