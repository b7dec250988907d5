import { useMutation, useQuery } from 'urql';
import { useParams } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { DocumentReviewLayout } from './document-review-layout.tsx';
import { ReviewerLetterQuery, ReviewerReviewLetterMutation } from './document-review.operations.ts';
import { day } from './words.ts';

const networkProblem = [{ code: 'NETWORK', message: 'The service could not be reached. Nothing was saved; try again.' }];

export default function LetterReviewPage() {
  const { id = '' } = useParams();
  const [{ data, error }, reexecute] = useQuery({ query: ReviewerLetterQuery, variables: { id } });
  const [, review] = useMutation(ReviewerReviewLetterMutation);
  if (error && !data) return <Page title="Authorization letter">{<RequestFailed error={error} what="this letter" />}</Page>;
  if (!data) return <Page title="Authorization letter">{<Loading what="the letter" />}</Page>;
  const letter = data.node && 'scope' in data.node ? data.node : null;
  if (!letter) return <Page title="Letter not found">{<p>There is no authorization letter at this address.</p>}</Page>;
  return (
    <DocumentReviewLayout
      title={`Authorization of ${letter.store.name} by ${letter.brand.name}`}
      queue="letters"
      what="authorization letter"
      status={letter.status}
      reviewNote={letter.reviewNote}
      assignee={letter.assignedReviewer}
      document={letter.document}
      facts={[
        ['Store', letter.store.name],
        ['Brand', `${letter.brand.name}${letter.brand.status === 'VERIFIED' ? ' (verified)' : ' (not verified)'}`],
        ['Granted by', letter.grantor ? `${letter.grantor.store.name}, an authorized distributor` : 'The brand'],
        ['Scope', letter.scope],
        ['Valid', `${day(letter.validFrom)} to ${day(letter.validUntil)}`],
        ['Brand’s confirmation', letter.brandConfirmation.toLowerCase()],
        ...(letter.grantorConfirmation
          ? [['Distributor’s confirmation', letter.grantorConfirmation.toLowerCase()] as [string, string]]
          : []),
      ]}
      submit={async ({ approve, note }) => {
        const answer = await review({ input: { id: letter.id, approve, note } });
        if (answer.error) return networkProblem;
        const errors = answer.data?.reviewAuthorizationLetter.userErrors ?? [];
        if (errors.length === 0) reexecute({ requestPolicy: 'network-only' });
        return errors;
      }}
    />
  );
}
