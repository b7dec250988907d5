import type { ResultOf } from '../graphql/graphql.ts';
import { Link } from '../shell/router.tsx';
import type { ConsumerVerifyProductCodeQuery } from './consumer.operations.ts';
import { formatTime, timesInWords } from './plain-words.ts';

type Verification = ResultOf<typeof ConsumerVerifyProductCodeQuery>['verifyProductCode'];
export type CheckResult = Verification['result'];

/** Where "Report this" leads: the report form, told which code and answer it is about. */
export const reportPath = (brand: string, code: string, result: CheckResult) =>
  `/console/report?${new URLSearchParams({ brand, code, answer: result }).toString()}`;

interface Told {
  tone: 'good' | 'warn' | 'bad';
  heading: string;
  meaning: string;
  todo: string[];
}

function tell(verification: Verification, brandSlug: string): Told {
  const brand = verification.brand?.name ?? brandSlug;
  const product = verification.sku ? `${brand} product (${verification.sku})` : `${brand} product`;
  switch (verification.result) {
    case 'GENUINE':
      return {
        tone: 'good',
        heading: 'Genuine',
        meaning: `This code belongs to a genuine ${product}, and this is the first time anyone has checked it.`,
        todo: [
          'Keep the label: the code is now marked as checked.',
          'If you check it again later, you will see this first check — that is expected.',
        ],
      };
    case 'GENUINE_REPEATED':
      return {
        tone: 'warn',
        heading: 'Checked before',
        meaning: `This is a real code of a ${product}, but it has been checked before. Codes are copied onto fakes, so a code checked many times, or one you did not check yourself, is a warning sign.`,
        todo: [
          'If you or the shop checked this item before, all is well.',
          'If this is the first time you checked it, the code may have been copied: report it.',
        ],
      };
    case 'REVOKED':
      return {
        tone: 'bad',
        heading: 'Withdrawn code',
        meaning: `${brand} has withdrawn this code: it no longer stands for a genuine product (for example because labels were stolen or copied).`,
        todo: ['Do not rely on this label.', 'If you bought this product, report it so the seller is looked into.'],
      };
    case 'UNKNOWN':
      return {
        tone: 'bad',
        heading: 'Unknown code',
        meaning: verification.brand
          ? `${brand} has not registered this code: it is not on any of their genuine products.`
          : `No brand "${brandSlug}" takes part in product checks, so this code cannot be confirmed.`,
        todo: [
          'Check that the code was typed exactly as printed (or scan the QR code again).',
          'If it matches what is printed, the product may be counterfeit: report it.',
        ],
      };
  }
}

export function VerificationAnswer({ verification, brandSlug, code }: { verification: Verification; brandSlug: string; code: string }) {
  const told = tell(verification, brandSlug);
  return (
    <section className={`answer answer-${told.tone}`} aria-labelledby="answer-heading" data-result={verification.result}>
      <h2 id="answer-heading">{told.heading}</h2>
      <p>{told.meaning}</p>
      {verification.result === 'GENUINE_REPEATED' && verification.firstVerifiedAt && (
        <dl className="facts">
          <dt>First checked</dt>
          <dd>{formatTime(verification.firstVerifiedAt)}</dd>
          <dt>Checked</dt>
          <dd>{timesInWords(verification.verificationCount)} in all, this check included</dd>
        </dl>
      )}
      <h3>What to do</h3>
      <ul>
        {told.todo.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {told.tone !== 'good' && (
        <p>
          <Link className="button-link" to={reportPath(brandSlug, code, verification.result)}>
            Report this product
          </Link>
        </p>
      )}
    </section>
  );
}
