import { useQuery } from 'urql';
import { useParams } from '../shell/router.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { BarChart } from './bar-chart.tsx';
import { BrandFrame } from './brand-frame.tsx';
import { formatDateTime } from './format.ts';
import { BrandScanInsightQuery } from './product-codes.operations.ts';

interface Row {
  label: string;
  distributor?: string | null;
  codesRegistered: number;
  codesChecked: number;
  codesCheckedRepeatedly: number;
  totalChecks: number;
  lastCheckedAt?: string | null;
}

/** A chart and, for screen readers and exact numbers, the same rows as a table. */
function InsightSection({ id, title, rows, withDistributor }: { id: string; title: string; rows: Row[]; withDistributor?: boolean }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p>No codes registered yet.</p>
      ) : (
        <>
          <BarChart
            title={`${title}: codes checked, and checked repeatedly`}
            data={rows.map((r) => ({ label: r.label, value: r.codesChecked, highlight: r.codesCheckedRepeatedly }))}
            valueName="Codes checked"
            highlightName="Checked repeatedly (possible copies)"
          />
          <table className="data">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{withDistributor ? 'Batch' : 'SKU'}</th>
                {withDistributor && <th scope="col">Distributor</th>}
                <th scope="col">Registered</th>
                <th scope="col">Checked</th>
                <th scope="col">Checked repeatedly</th>
                <th scope="col">All checks</th>
                <th scope="col">Last check</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  {withDistributor && <td>{r.distributor ?? '—'}</td>}
                  <td>{r.codesRegistered}</td>
                  <td>{r.codesChecked}</td>
                  <td>{r.codesCheckedRepeatedly}</td>
                  <td>{r.totalChecks}</td>
                  <td>{formatDateTime(r.lastCheckedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ScanInsight() {
  const { slug = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: BrandScanInsightQuery, variables: { slug } });
  if (fetching && !data) return <Loading what="scan insight" />;
  if (error) return <RequestFailed error={error} what="scan insight" />;
  const insight = data?.brand?.scanInsight;
  if (!insight) return <p>Scan insight is not available to you for this brand.</p>;
  const alerts = data?.brand?.cloneAlerts?.edges.map((e) => e.node) ?? [];
  const { totals } = insight;
  return (
    <>
      <ul className="counts" aria-label="All codes">
        <li>
          <strong>{totals.codesRegistered}</strong> codes registered
        </li>
        <li>
          <strong>{totals.codesChecked}</strong> checked
        </li>
        <li>
          <strong>{totals.codesCheckedRepeatedly}</strong> checked repeatedly
        </li>
        <li>
          <strong>{totals.totalChecks}</strong> checks in all
        </li>
      </ul>
      <section aria-labelledby="clone-alerts">
        <h2 id="clone-alerts">Clone alerts</h2>
        <p>A code checked more than {insight.cloneAlertChecks} times raises an alert: copies of it are likely in circulation.</p>
        {alerts.length === 0 ? (
          <p>No clone alert.</p>
        ) : (
          <table className="data">
            <caption>Clone alerts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">SKU</th>
                <th scope="col">Batch</th>
                <th scope="col">Distributor</th>
                <th scope="col">Checks then</th>
                <th scope="col">Checks now</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.raisedAt)}</td>
                  <td>{a.sku}</td>
                  <td>{a.batch ?? '—'}</td>
                  <td>{a.distributor?.distributorName ?? '—'}</td>
                  <td>{a.verificationCountAtAlert}</td>
                  <td>{a.verificationCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <InsightSection id="insight-skus" title="Per SKU" rows={insight.skus.map((s) => ({ ...s, label: s.sku }))} />
      <InsightSection
        id="insight-batches"
        title="Per batch"
        withDistributor
        rows={insight.batches.map((b) => ({ ...b, label: b.batch ?? '(no batch)', distributor: b.distributor?.distributorName }))}
      />
    </>
  );
}

export default function ScanInsightPage() {
  return (
    <BrandFrame section="Scan insight">
      <ScanInsight />
    </BrandFrame>
  );
}
