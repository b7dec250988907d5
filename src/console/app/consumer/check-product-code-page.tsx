import { Page } from '../ui/page.tsx';

export default function CheckProductCodePage() {
  return (
    <Page title="Check a product code">
      <p>Enter the code printed on your product to learn whether it is genuine.</p>
    </Page>
  );
}
