import { Link } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';

/** Where the identity provider sends the browser after ending its own session too. */
export default function SignedOutPage() {
  return (
    <Page title="Signed out">
      <p role="status">You have signed out of the console and of the platform's sign-in service.</p>
      <p>
        <Link to="/console/sign-in">Sign in again</Link> or <Link to="/console/check">check a product code</Link>.
      </p>
    </Page>
  );
}
