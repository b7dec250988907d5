import { Page } from '../ui/page.tsx';

export default function ReviewQueuesPage() {
  return (
    <Page title="Review queues">
      <p>Trademarks, authorization letters and complaints waiting for a reviewer will be listed here.</p>
    </Page>
  );
}
