import { useState } from 'react';
import { useQuery } from 'urql';
import type { VariablesOf } from '../graphql/graphql.ts';
import { useParams } from '../shell/router.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { BrandFrame } from './brand-frame.tsx';
import { formatDate, formatDateTime } from './format.ts';
import { BrandResellersQuery } from './letters.operations.ts';
import { StatusTag } from './status-tag.tsx';

type Filter = NonNullable<VariablesOf<typeof BrandResellersQuery>['filter']>;
const FILTERS: Array<{ key: string; label: string; filter: Filter | null }> = [
  { key: 'all', label: 'All resellers', filter: null },
  { key: 'active', label: 'Active badge', filter: { status: ['ACTIVE'] } },
  { key: 'soon', label: 'Ending soon', filter: { expiresSoon: true } },
  { key: 'ended', label: 'Suspended, expired or revoked', filter: { status: ['SUSPENDED', 'EXPIRED', 'REVOKED'] } },
];

function Resellers() {
  const { slug = '' } = useParams();
  const [key, setKey] = useState('all');
  const filter = FILTERS.find((f) => f.key === key)!.filter;
  const [{ data, fetching, error }] = useQuery({ query: BrandResellersQuery, variables: { slug, filter } });
  const resellers = data?.brand?.resellers;
  return (
    <>
      <p>Every store your brand's letters authorized, directly or through a distributor, with its badge as shoppers see it.</p>
      {resellers && (
        <ul className="counts" aria-label="Resellers by badge">
          <li>
            <strong>{resellers.counts.total}</strong> in all
          </li>
          <li>
            <strong>{resellers.counts.active}</strong> active
          </li>
          <li>
            <strong>{resellers.counts.expiringSoon}</strong> ending soon
          </li>
          <li>
            <strong>{resellers.counts.suspended}</strong> suspended
          </li>
          <li>
            <strong>{resellers.counts.expired}</strong> expired
          </li>
          <li>
            <strong>{resellers.counts.revoked}</strong> revoked
          </li>
        </ul>
      )}
      <fieldset className="actions">
        <legend>Show</legend>
        {FILTERS.map((f) => (
          <label key={f.key}>
            <input type="radio" name="reseller-filter" checked={key === f.key} onChange={() => setKey(f.key)} /> {f.label}
          </label>
        ))}
      </fieldset>
      {fetching && !data ? (
        <Loading what="resellers" />
      ) : error ? (
        <RequestFailed error={error} what="the resellers" />
      ) : !resellers || resellers.edges.length === 0 ? (
        <p>No reseller here yet. Stores appear once a letter of your brand authorizes them.</p>
      ) : (
        <table className="data">
          <caption>Resellers</caption>
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col">Badge</th>
              <th scope="col">Ends</th>
              <th scope="col">Authorized through</th>
            </tr>
          </thead>
          <tbody>
            {resellers.edges.map(({ node }) => (
              <tr key={node.store.id}>
                <th scope="row">
                  {node.store.name}
                  <div className="hint">@{node.store.handle}</div>
                </th>
                <td>
                  {node.status ? (
                    <StatusTag status={node.status} />
                  ) : (
                    <span className="hint">No badge yet (letter {node.letter.status.toLowerCase()})</span>
                  )}
                  {node.badge && <div>{node.badge.label}</div>}
                  {node.letter.revokedReason && <div>Reason: {node.letter.revokedReason}</div>}
                </td>
                <td>
                  {formatDate(node.expiresAt)}
                  {node.expiresSoon && <div className="tag tag-warn">Ending soon</div>}
                  {node.expiryReminderSentAt && <div className="hint">Reminded {formatDateTime(node.expiryReminderSentAt)}</div>}
                </td>
                <td>{node.chain.length > 1 ? `Your brand, through ${node.chain[0]!.storeName}` : 'Your brand directly'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {resellers?.pageInfo.hasNextPage && <p>Showing the first 50 resellers: choose fewer with the options above.</p>}
    </>
  );
}

export default function ResellersPage() {
  return (
    <BrandFrame section="Resellers">
      <Resellers />
    </BrandFrame>
  );
}
