import { useMutation, useQuery } from 'urql';
import { useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { DocumentReviewLayout } from './document-review-layout.tsx';
import { ReviewerReviewTrademarkMutation, ReviewerTrademarkQuery } from './document-review.operations.ts';
import { day } from './words.ts';

const networkProblem = [{ code: 'NETWORK', message: 'The service could not be reached. Nothing was saved; try again.' }];

export default function TrademarkReviewPage() {
  const { id = '' } = useParams();
  const [{ data, error }, reexecute] = useQuery({ query: ReviewerTrademarkQuery, variables: { id } });
  const [, review] = useMutation(ReviewerReviewTrademarkMutation);
  if (error && !data) return <Page title="Trademark">{<RequestFailed error={error} what="this trademark" />}</Page>;
  if (!data) return <Page title="Trademark">{<Loading what="the trademark" />}</Page>;
  const trademark = data.node && 'registrationNumber' in data.node ? data.node : null;
  if (!trademark) return <Page title="Trademark not found">{<p>There is no trademark at this address.</p>}</Page>;
  return (
    <DocumentReviewLayout
      title={`Trademark ${trademark.registrationNumber} of ${trademark.brand.name}`}
      queue="trademarks"
      what="trademark"
      status={trademark.status}
      reviewNote={trademark.reviewNote}
      assignee={trademark.assignedReviewer}
      document={trademark.document}
      facts={[
        ['Brand', `${trademark.brand.name} (${trademark.brand.slug})`],
        ['Registration number', trademark.registrationNumber],
        ['Office', trademark.office],
        ['Holder', trademark.holderName],
        ['Nice classes', trademark.niceClasses.join(', ')],
        ['Valid', `${day(trademark.validFrom)} to ${day(trademark.validUntil)}`],
      ]}
      submit={async ({ approve, note }) => {
        const answer = await review({ input: { id: trademark.id, approve, note } });
        if (answer.error) return networkProblem;
        const errors = answer.data?.reviewTrademark.userErrors ?? [];
        if (errors.length === 0) reexecute({ requestPolicy: 'network-only' });
        return errors;
      }}
    />
  );
}
