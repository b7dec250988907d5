import { useQuery } from 'urql';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { roleName } from './fallback-pages.tsx';
import { ReviewQueueCountsQuery } from './home.operations.ts';
import { useMe } from './me.tsx';

export function HomePage() {
  const { me, roles, fetching } = useMe();
  const reviews = roles.includes('REVIEWER') || roles.includes('ADMIN');
  return (
    <Page title="Home">
      {fetching ? (
        <Loading what="your account" />
      ) : (
        <p>
          Welcome, {me?.displayName ?? 'there'}. You are signed in as{' '}
          {roles.length > 0 ? roles.map(roleName).join(', ') : 'someone without a role yet'}.
        </p>
      )}
      {reviews && <ReviewQueueSummary />}
    </Page>
  );
}

function ReviewQueueSummary() {
  const [{ data, error, fetching }] = useQuery({ query: ReviewQueueCountsQuery });
  if (fetching) return <Loading what="the review queues" />;
  if (error || !data) return error ? <RequestFailed error={error} what="the review queues" /> : null;
  const queues = [
    { label: 'Trademarks to review', counts: data.trademarkReviewQueue.counts },
    { label: 'Authorization letters to review', counts: data.letterReviewQueue.counts },
    { label: 'Complaints to decide', counts: data.complaintReviewQueue.counts },
  ];
  return (
    <section aria-labelledby="queues-heading">
      <h2 id="queues-heading">Waiting for review</h2>
      <ul className="cards">
        {queues.map(({ label, counts }) => (
          <li key={label} aria-label={label}>
            <div>{label}</div>
            <div className="count" data-testid="queue-count">
              {counts.all}
            </div>
            <div>
              {counts.unassigned} not claimed · {counts.mine} claimed by you
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
