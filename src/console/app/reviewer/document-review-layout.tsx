import { Fragment, type ReactNode } from 'react';
import { Link } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { DocumentViewer, type DocumentData } from './document-viewer.tsx';
import { ReviewVerdictForm } from './review-verdict-form.tsx';
import type { UserErrorLike } from './field-errors.tsx';
import { statusWords } from './words.ts';
import './reviewer.css';

interface Props {
  title: string;
  queue: 'trademarks' | 'letters';
  what: string;
  status: string;
  reviewNote: string | null;
  assignee: { displayName: string } | null;
  document: DocumentData | null;
  /** What was submitted, beside the document. */
  facts: Array<[label: string, value: ReactNode]>;
  submit(input: { approve: boolean; note: string | null }): Promise<readonly UserErrorLike[]>;
}

/** The uploaded document on the left, what was submitted and the verdict on the right. */
export function DocumentReviewLayout({ title, queue, what, status, reviewNote, assignee, document, facts, submit }: Props) {
  return (
    <Page title={title}>
      <p>
        <Link to={`/console/review?queue=${queue}`}>← Back to the queue</Link>
      </p>
      <div className="document-review wide">
        <section aria-labelledby="document-heading" className="panel">
          <h2 id="document-heading">The document</h2>
          <DocumentViewer document={document} title={`The ${what}’s document`} />
        </section>
        <div>
          <section aria-labelledby="submitted-heading" className="panel">
            <h2 id="submitted-heading">What was submitted</h2>
            <dl className="facts">
              <dt>Status</dt>
              <dd data-testid="review-status">{statusWords(status)}</dd>
              <dt>Claimed by</dt>
              <dd>{assignee?.displayName ?? 'Nobody yet'}</dd>
              {facts.map(([label, value]) => (
                <Fragment key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </Fragment>
              ))}
              {reviewNote && (
                <>
                  <dt>Review note</dt>
                  <dd>{reviewNote}</dd>
                </>
              )}
            </dl>
          </section>
          {status === 'SUBMITTED' ? (
            <ReviewVerdictForm what={what} submit={submit} />
          ) : (
            <p role="status" className="success">
              This {what} is {statusWords(status).toLowerCase()}.
            </p>
          )}
        </div>
      </div>
    </Page>
  );
}
