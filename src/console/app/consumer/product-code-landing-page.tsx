import { useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';

/** Where a product's printed code leads: `/c/<brand>/<code>`. */
export default function ProductCodeLandingPage() {
  const { brand, code } = useParams();
  return (
    <Page title="Is this product genuine?">
      <p>
        Checking code <strong>{code}</strong> of brand <strong>{brand}</strong>…
      </p>
    </Page>
  );
}
