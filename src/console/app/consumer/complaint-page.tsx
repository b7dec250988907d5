import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ResultOf } from '../graphql/graphql.ts';
import { useMe } from '../shell/me.tsx';
import { Link, useLocation, useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import {
  ConsumerAnswerInformationRequestMutation,
  ConsumerAppealDecisionMutation,
  ConsumerComplaintPageQuery,
  ConsumerSubmitComplaintMutation,
  ConsumerWithdrawComplaintMutation,
} from './consumer.operations.ts';
import { FieldProblem, TextField, mutationProblems, type FieldProblems } from './form-fields.tsx';
import { PhotoPicker, usePhotoUploads } from './photo-picker.tsx';
import {
  COUPON_STATUS_WORDS,
  ROLE_WORDS,
  STATUS_LABEL,
  formatDate,
  formatMoney,
  formatTime,
  statusExplained,
  type ComplaintStatus,
  type Verdict,
} from './plain-words.ts';
import './consumer.css';

type Complaint = Extract<NonNullable<ResultOf<typeof ConsumerComplaintPageQuery>['node']>, { __typename: 'Complaint' }>;

// How often the page asks again while something is about to change on its own (the coupon after a decision).
const WAITING_POLL_MS = 2000;

/** One complaint as its consumer follows it: where it stands, what is asked of them, and the coupon once granted. */
export default function ComplaintPage() {
  const { id } = useParams();
  const { search } = useLocation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ConsumerComplaintPageQuery, variables: { id: id! } });
  const complaint = data?.node?.__typename === 'Complaint' ? data.node : null;
  const couponPending = complaint?.verdict === 'COUNTERFEIT' && !complaint.coupon;
  useEffect(() => {
    if (!couponPending) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), WAITING_POLL_MS);
    return () => clearInterval(timer);
  }, [couponPending, refetch]);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (!data) {
    return (
      <Page title="Complaint">
        {fetching && <Loading what="the complaint" />}
        {error && <RequestFailed error={error} what="this complaint" />}
      </Page>
    );
  }
  if (!complaint) {
    return (
      <Page title="Complaint not found">
        <p>
          There is no complaint of yours at this address. See <Link to="/console/complaints">your complaints</Link>.
        </p>
      </Page>
    );
  }
  return (
    <Page title={`Complaint about ${complaint.store.name}`}>
      {new URLSearchParams(search).get('sent') === '1' && complaint.status !== 'AWAITING_EVIDENCE' && (
        <p className="notice" role="status">
          Thank you: your report was sent.
        </p>
      )}
      <StatusSection complaint={complaint} couponPending={couponPending} />
      {complaint.coupon && <CouponCard coupon={complaint.coupon} />}
      <ConsumerActions complaint={complaint} onChanged={reload} />
      <Details complaint={complaint} />
      <Timeline complaint={complaint} />
      <p>
        <Link to="/console/complaints">All your complaints</Link>
      </p>
    </Page>
  );
}

function currentDeadline(complaint: Complaint): { label: string; at: string } | null {
  const d = complaint.deadlines;
  if (complaint.status === 'AWAITING_EVIDENCE' && d.evidenceDueAt) return { label: 'Send your photos by', at: d.evidenceDueAt };
  if (complaint.status === 'AWAITING_MERCHANT_RESPONSE' && d.merchantResponseDueAt)
    return { label: 'The store may answer until', at: d.merchantResponseDueAt };
  if (d.informationDueAt) return { label: 'Answer expected by', at: d.informationDueAt };
  if (d.reviewDueAt) return { label: 'Decision expected by', at: d.reviewDueAt };
  if (complaint.status === 'DECIDED' && d.appealDueAt) return { label: 'An appeal is possible until', at: d.appealDueAt };
  return null;
}

function StatusSection({ complaint, couponPending }: { complaint: Complaint; couponPending: boolean }) {
  const deadline = currentDeadline(complaint);
  return (
    <section aria-labelledby="status-heading" className="status-box">
      <h2 id="status-heading">{STATUS_LABEL[complaint.status as ComplaintStatus]}</h2>
      <p>{statusExplained(complaint.status as ComplaintStatus, complaint.verdict as Verdict | null)}</p>
      {complaint.decisionNote && (
        <p>
          <strong>The reviewer’s note:</strong> {complaint.decisionNote}
        </p>
      )}
      {deadline && (
        <p>
          {deadline.label} <time dateTime={deadline.at}>{formatTime(deadline.at)}</time>.
        </p>
      )}
      {couponPending && <p role="status">Your coupon is being prepared; it appears here in a moment.</p>}
    </section>
  );
}

function CouponCard({ coupon }: { coupon: NonNullable<Complaint['coupon']> }) {
  return (
    <section aria-labelledby="coupon-heading" className="coupon">
      <h2 id="coupon-heading">Your coupon</h2>
      <p>As compensation, use this code at any store on the platform that takes coupons.</p>
      <dl className="facts">
        <dt>Code</dt>
        <dd className="code coupon-code" data-testid="coupon-code">
          {coupon.code}
        </dd>
        <dt>Value</dt>
        <dd data-testid="coupon-value">{formatMoney(coupon.value)}</dd>
        <dt>Use by</dt>
        <dd data-testid="coupon-expiry">
          <time dateTime={coupon.expiresAt}>{formatDate(coupon.expiresAt)}</time>
        </dd>
        <dt>State</dt>
        <dd>
          {COUPON_STATUS_WORDS[coupon.status] ?? coupon.status}
          {coupon.redeemedAt && ` on ${formatDate(coupon.redeemedAt)}${coupon.redeemedAtStore ? ` at ${coupon.redeemedAtStore.name}` : ''}`}
        </dd>
      </dl>
    </section>
  );
}

/** What the consumer may do now; shown to consumers only (the API checks it is their complaint). */
function ConsumerActions({ complaint, onChanged }: { complaint: Complaint; onChanged(): void }) {
  const { roles } = useMe();
  if (!roles.includes('CONSUMER')) return null;
  const openRequest = complaint.informationRequests.find((request) => request.open && request.side === 'CONSUMER');
  const lost = complaint.verdict === 'NOT_COUNTERFEIT' || complaint.verdict === 'INSUFFICIENT_EVIDENCE';
  const appealOpen =
    complaint.status === 'DECIDED' &&
    lost &&
    !complaint.appealReason &&
    complaint.deadlines.appealDueAt !== null &&
    Date.parse(complaint.deadlines.appealDueAt) > Date.now();
  const withdrawable = ['AWAITING_EVIDENCE', 'AWAITING_MERCHANT_RESPONSE', 'UNDER_REVIEW'].includes(complaint.status);
  return (
    <>
      {complaint.status === 'AWAITING_EVIDENCE' && <SendPhotos complaintId={complaint.id} onChanged={onChanged} />}
      {openRequest && <AnswerRequest complaintId={complaint.id} request={openRequest} onChanged={onChanged} />}
      {appealOpen && <Appeal complaintId={complaint.id} onChanged={onChanged} />}
      {withdrawable && <Withdraw complaintId={complaint.id} onChanged={onChanged} />}
    </>
  );
}

/** Sends the photos chosen for a step, then the step itself; problems by field, busy meanwhile. */
function usePhotosThenStep(complaintId: string, onDone: () => void) {
  const uploads = usePhotoUploads();
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);
  const run = async (step: () => Promise<FieldProblems | null>) => {
    setBusy(true);
    try {
      const photoProblem = await uploads.sendAll(complaintId);
      if (photoProblem) return setProblems({ photos: photoProblem });
      const stepProblems = await step();
      if (stepProblems) return setProblems(stepProblems);
      onDone();
    } finally {
      setBusy(false);
    }
  };
  return { uploads, problems, setProblems, busy, run };
}

function SendPhotos({ complaintId, onChanged }: { complaintId: string; onChanged(): void }) {
  const [, submit] = useMutation(ConsumerSubmitComplaintMutation);
  const { uploads, problems, busy, run } = usePhotosThenStep(complaintId, onChanged);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await submit({ complaintId });
      return mutationProblems(result, result.data?.submitComplaint, 'It could not be sent. Please try again.');
    });
  };
  return (
    <section aria-labelledby="send-heading">
      <h2 id="send-heading">Add photos and send</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <PhotoPicker id="more-photos" label="Photos of the product" uploads={uploads} problem={problems.photos} disabled={busy} />
        <FieldProblem id="send-problem" problem={problems.form ?? problems.complaintId} />
        <button type="submit" disabled={busy}>
          Send my report
        </button>
      </form>
    </section>
  );
}

type InformationRequest = Complaint['informationRequests'][number];

function AnswerRequest({ complaintId, request, onChanged }: { complaintId: string; request: InformationRequest; onChanged(): void }) {
  const [, answer] = useMutation(ConsumerAnswerInformationRequestMutation);
  const [statement, setStatement] = useState('');
  const { uploads, problems, setProblems, busy, run } = usePhotosThenStep(complaintId, onChanged);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!statement.trim() && uploads.photos.length === 0) return setProblems({ statement: 'Write an answer, add photos, or both.' });
    void run(async () => {
      const result = await answer({ input: { complaintId, ...(statement.trim() ? { statement: statement.trim() } : {}) } });
      return mutationProblems(result, result.data?.answerInformationRequest, 'Your answer could not be sent. Please try again.');
    });
  };
  return (
    <section aria-labelledby="request-heading" className="attention-box">
      <h2 id="request-heading">The reviewer asks you</h2>
      <blockquote className="quote">{request.note}</blockquote>
      <p>
        Please answer by <time dateTime={request.dueAt}>{formatTime(request.dueAt)}</time>; after that the review goes on without your
        answer.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          id="request-answer"
          label="Your answer"
          value={statement}
          onChange={setStatement}
          problem={problems.statement}
          disabled={busy}
          multiline
        />
        <PhotoPicker id="request-photos" label="More photos (optional)" uploads={uploads} problem={problems.photos} disabled={busy} />
        <FieldProblem id="request-problem" problem={problems.form ?? problems.complaintId} />
        <button type="submit" disabled={busy}>
          Send my answer
        </button>
      </form>
    </section>
  );
}

function Appeal({ complaintId, onChanged }: { complaintId: string; onChanged(): void }) {
  const [, appeal] = useMutation(ConsumerAppealDecisionMutation);
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<FieldProblems>({});
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setProblems({ reason: 'Say why the decision is wrong.' });
    const result = await appeal({ input: { complaintId, reason: reason.trim() } });
    const problems = mutationProblems(result, result.data?.appealDecision, 'Your appeal could not be sent. Please try again.');
    if (problems) return setProblems(problems);
    onChanged();
  };
  return (
    <section aria-labelledby="appeal-heading">
      <h2 id="appeal-heading">Disagree with the decision?</h2>
      <p>You may appeal once. A different reviewer then looks at the case again; you may add photos while the appeal is open.</p>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          id="appeal-reason"
          label="Why is the decision wrong?"
          value={reason}
          onChange={setReason}
          problem={problems.reason}
          multiline
        />
        <FieldProblem id="appeal-problem" problem={problems.form ?? problems.complaintId} />
        <button type="submit">Appeal the decision</button>
      </form>
    </section>
  );
}

function Withdraw({ complaintId, onChanged }: { complaintId: string; onChanged(): void }) {
  const [, withdraw] = useMutation(ConsumerWithdrawComplaintMutation);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const confirm = async () => {
    const result = await withdraw({ complaintId });
    const problems = mutationProblems(result, result.data?.withdrawComplaint, 'It could not be withdrawn. Please try again.');
    if (problems) return setProblem(Object.values(problems).join(' '));
    onChanged();
  };
  return (
    <section aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">Changed your mind?</h2>
      {confirming ? (
        <p>
          Withdraw this complaint for good?{' '}
          <button type="button" onClick={() => void confirm()}>
            Yes, withdraw it
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Withdraw this complaint
        </button>
      )}
      <FieldProblem id="withdraw-problem" problem={problem} />
    </section>
  );
}

function Details({ complaint }: { complaint: Complaint }) {
  const answered = complaint.informationRequests.filter((request) => !request.open);
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Your report</h2>
      <dl className="facts">
        <dt>Store</dt>
        <dd>
          {complaint.store.name} (@{complaint.store.handle})
        </dd>
        {complaint.brand && (
          <>
            <dt>Brand</dt>
            <dd>{complaint.brand.name}</dd>
          </>
        )}
        <dt>Order number</dt>
        <dd>{complaint.orderReference}</dd>
        {complaint.listingUrl && (
          <>
            <dt>Product page</dt>
            <dd className="wrap">{complaint.listingUrl}</dd>
          </>
        )}
        <dt>Reported</dt>
        <dd>{formatTime(complaint.createdAt)}</dd>
      </dl>
      <p className="description">{complaint.description}</p>
      {complaint.evidence.length > 0 && (
        <ul className="thumbnails" aria-label="Photos">
          {complaint.evidence.map((evidence, index) => (
            <li key={evidence.id}>
              {evidence.thumbnailUrl && <img src={evidence.thumbnailUrl} alt={evidence.caption ?? `Photo ${index + 1}`} />}
              <span>{ROLE_WORDS[evidence.uploadedByRole] ?? evidence.uploadedByRole}</span>
            </li>
          ))}
        </ul>
      )}
      {complaint.merchantStatement && (
        <>
          <h3>The store’s answer</h3>
          <blockquote className="quote">{complaint.merchantStatement}</blockquote>
        </>
      )}
      {complaint.appealReason && (
        <>
          <h3>Appeal ({complaint.appealedByRole === 'CONSUMER' ? 'by you' : 'by the store'})</h3>
          <blockquote className="quote">{complaint.appealReason}</blockquote>
        </>
      )}
      {answered.length > 0 && (
        <>
          <h3>Earlier questions from the reviewers</h3>
          <ul>
            {answered.map((request) => (
              <li key={request.requestedAt}>
                To {request.side === 'CONSUMER' ? 'you' : 'the store'}: “{request.note}” —{' '}
                {request.answeredAt
                  ? `answered ${formatDate(request.answeredAt)}${request.statement ? `: “${request.statement}”` : ''}`
                  : 'not answered in time'}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Timeline({ complaint }: { complaint: Complaint }) {
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">What happened</h2>
      <ol className="timeline">
        {complaint.timeline.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <time dateTime={event.at}>{formatTime(event.at)}</time> <span>{event.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
