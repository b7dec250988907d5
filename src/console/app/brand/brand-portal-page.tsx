import { Page } from '../ui/page.tsx';

export default function BrandPortalPage() {
  return (
    <Page title="Brand portal">
      <p>Your brands, their trademarks, authorized stores and product codes will be managed here.</p>
    </Page>
  );
}
