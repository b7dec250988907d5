import { useQuery } from 'urql';
import { useParams } from '../shell/router.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { BrandFrame, useBrand } from './brand-frame.tsx';
import { BrandTrademarksQuery } from './brand.operations.ts';
import { formatBytes, formatDate } from './format.ts';
import { StatusTag } from './status-tag.tsx';
import { TrademarkUploadForm } from './trademark-upload-form.tsx';

function Trademarks() {
  const { slug = '' } = useParams();
  const brand = useBrand();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BrandTrademarksQuery, variables: { slug } });
  const trademarks = data?.brand?.trademarks ?? [];
  return (
    <>
      <p>
        {brand.status === 'VERIFIED'
          ? 'Your brand is verified: an approved trademark covers today. Stores you authorize get their badge.'
          : 'Your brand is not verified yet: it needs an approved trademark that is valid today. Upload its certificate below; a reviewer checks it.'}
      </p>
      {fetching && !data ? (
        <Loading what="trademarks" />
      ) : error ? (
        <RequestFailed error={error} what="the trademarks" />
      ) : trademarks.length === 0 ? (
        <p>No trademark yet.</p>
      ) : (
        <table className="data">
          <caption>Trademarks</caption>
          <thead>
            <tr>
              <th scope="col">Registration</th>
              <th scope="col">Holder</th>
              <th scope="col">Valid</th>
              <th scope="col">Review</th>
              <th scope="col">Certificate</th>
            </tr>
          </thead>
          <tbody>
            {trademarks.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.registrationNumber} ({t.office}), classes {t.niceClasses.join(', ')}
                </td>
                <td>{t.holderName}</td>
                <td>
                  {formatDate(t.validFrom)} to {formatDate(t.validUntil)}
                </td>
                <td>
                  <StatusTag status={t.status} />
                  {t.reviewNote && <div>Reviewer's note: {t.reviewNote}</div>}
                </td>
                <td>
                  {t.document ? (
                    t.document.url ? (
                      <a href={t.document.url}>
                        {t.document.filename} ({formatBytes(t.document.byteSize)})
                      </a>
                    ) : (
                      `${t.document.filename} (${formatBytes(t.document.byteSize)})`
                    )
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {brand.may('trademarks.submit') && (
        <TrademarkUploadForm brandId={brand.id} onSubmitted={() => refetch({ requestPolicy: 'network-only' })} />
      )}
    </>
  );
}

export default function TrademarksPage() {
  return (
    <BrandFrame section="Trademarks">
      <Trademarks />
    </BrandFrame>
  );
}
