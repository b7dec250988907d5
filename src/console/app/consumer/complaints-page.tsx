import { useQuery } from 'urql';
import { Link } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { ConsumerComplaintsQuery, type ConsumerComplaintListItem } from './consumer.operations.ts';
import type { ResultOf } from '../graphql/graphql.ts';
import { COUPON_STATUS_WORDS, STATUS_LABEL, formatDate, formatMoney, type ComplaintStatus } from './plain-words.ts';
import './consumer.css';

/** The consumer's complaints, under way and finished, newest first; and the coupons they earned. */
export default function ComplaintsPage() {
  const [{ data, fetching, error }] = useQuery({ query: ConsumerComplaintsQuery });
  const newestFirst = (edges: Array<{ node: ListItem }> | undefined) =>
    (edges ?? []).map((edge) => edge.node).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const underWay = newestFirst(data?.underWay.edges);
  const finished = newestFirst(data?.finished.edges);
  const coupons = data?.myCoupons.edges.map((edge) => edge.node) ?? [];
  return (
    <Page title="Your complaints">
      <p>
        Products you reported, and what happened to each. To report another, <Link to="/console/check">check its code</Link> and choose
        “Report this product”.
      </p>
      {fetching && !data && <Loading what="your complaints" />}
      {error && <RequestFailed error={error} what="your complaints" />}
      {data && underWay.length + finished.length === 0 && (
        <p className="empty">
          You have not reported any product yet. When a product check looks doubtful, its answer offers “Report this product”.
        </p>
      )}
      {underWay.length > 0 && <ComplaintList heading="Under way" complaints={underWay} />}
      {finished.length > 0 && (
        <ComplaintList
          heading="Finished"
          complaints={finished}
          note={data?.finished.pageInfo.hasNextPage ? `The ${finished.length} most recent of them are shown.` : undefined}
        />
      )}
      {coupons.length > 0 && (
        <section aria-labelledby="coupons-heading">
          <h2 id="coupons-heading">Your coupons</h2>
          <table className="coupon-table">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Value</th>
                <th scope="col">Use by</th>
                <th scope="col">State</th>
                <th scope="col">For</th>
              </tr>
            </thead>
            <tbody>
              {coupons.map((coupon) => (
                <tr key={coupon.id}>
                  <td className="code">{coupon.code}</td>
                  <td>{formatMoney(coupon.value)}</td>
                  <td>{formatDate(coupon.expiresAt)}</td>
                  <td>{COUPON_STATUS_WORDS[coupon.status] ?? coupon.status}</td>
                  <td>
                    <Link to={`/console/complaints/${encodeURIComponent(coupon.complaint.id)}`}>the complaint</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Page>
  );
}

type ListItem = ResultOf<typeof ConsumerComplaintListItem>;

function ComplaintList({ heading, complaints, note }: { heading: string; complaints: ListItem[]; note?: string }) {
  const id = `complaints-${heading.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {note && <p>{note}</p>}
      <ul className="complaint-list">
        {complaints.map((complaint) => {
          const asked = complaint.informationRequests.some((request) => request.open && request.side === 'CONSUMER');
          return (
            <li key={complaint.id}>
              <Link to={`/console/complaints/${encodeURIComponent(complaint.id)}`}>
                {complaint.brand ? `${complaint.brand.name} from ` : 'Bought from '}
                {complaint.store.name}
              </Link>
              <span className="status-label">{STATUS_LABEL[complaint.status as ComplaintStatus]}</span>
              {asked && <strong className="attention">A reviewer asks you for more information</strong>}
              <span className="meta">
                Order {complaint.orderReference} · reported {formatDate(complaint.createdAt)}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
