import { useQuery } from 'urql';
import { Link, useParams } from '../shell/router.tsx';
import { BrandFrame, NotForYourRole, useBrand } from './brand-frame.tsx';
import { CloneThresholdForm } from './clone-threshold-form.tsx';
import { CodeUploadForm } from './code-upload-form.tsx';
import { BrandScanInsightQuery } from './product-codes.operations.ts';

function ProductCodes() {
  const { slug = '' } = useParams();
  const brand = useBrand();
  const [{ data }, refetch] = useQuery({ query: BrandScanInsightQuery, variables: { slug } });
  if (!brand.may('productCodes.manage')) return <NotForYourRole />;
  const insight = data?.brand?.scanInsight;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <p>
        Shoppers check the code printed on your product; each code answers “genuine” the first time and warns after.{' '}
        {insight && `${insight.totals.codesRegistered} codes registered so far.`}{' '}
        <Link to={`/console/brand/${encodeURIComponent(slug)}/insight`}>See how they are checked</Link>.
      </p>
      <CodeUploadForm brandId={brand.id} onUploaded={reload} />
      <CloneThresholdForm brandId={brand.id} current={insight?.cloneAlertChecks ?? null} onSaved={reload} />
    </>
  );
}

export default function ProductCodesPage() {
  return (
    <BrandFrame section="Product codes">
      <ProductCodes />
    </BrandFrame>
  );
}
