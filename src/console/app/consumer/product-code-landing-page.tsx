import { useQuery } from 'urql';
import { Link, useLocation, useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { ConsumerVerifyProductCodeQuery } from './consumer.operations.ts';
import { codeInWords, readLinkPath } from './product-code-link.ts';
import { VerificationAnswer } from './verification-answer.tsx';
import './consumer.css';

/**
 * Where a product's printed code leads: `/c/<brand>/<code>`, or the brand's
 * GS1 Digital Link `/c/<brand>/01/<GTIN>/21/<serial>`. Works signed out.
 */
export default function ProductCodeLandingPage() {
  const params = useParams();
  const { pathname } = useLocation();
  const read = params.gtin ? readLinkPath(pathname) : { ok: true as const, reference: { brand: params.brand, code: params.code! } };
  if (!read || !read.ok || !read.reference.brand) {
    return (
      <Page title="Is this product genuine?">
        <p role="alert" className="error">
          {read && !read.ok ? read.problem : 'This link does not name a product code.'}
        </p>
        <p>
          <Link to="/console/check">Enter the code by hand</Link> instead.
        </p>
      </Page>
    );
  }
  return <Check brandSlug={read.reference.brand} code={read.reference.code} />;
}

function Check({ brandSlug, code }: { brandSlug: string; code: string }) {
  // Each run counts as a check of the code; it runs once per visit of the page.
  const [{ data, fetching, error }] = useQuery({ query: ConsumerVerifyProductCodeQuery, variables: { brandSlug, code } });
  const brandName = data?.verifyProductCode.brand?.name ?? brandSlug;
  return (
    <Page title="Is this product genuine?">
      <p>
        Code <strong className="code">{codeInWords(code)}</strong> of <strong>{brandName}</strong>
      </p>
      {fetching && <Loading what="the answer" />}
      {error && <RequestFailed error={error} what="the answer" />}
      {data && <VerificationAnswer verification={data.verifyProductCode} brandSlug={brandSlug} code={code} />}
      <p>
        <Link to="/console/check">Check another code</Link>
      </p>
    </Page>
  );
}
