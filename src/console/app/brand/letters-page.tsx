import { useState } from 'react';
import { useQuery } from 'urql';
import { readFragment } from '../graphql/graphql.ts';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { AuthorizeStoreForm } from './authorize-store-form.tsx';
import { BrandFrame, useBrand } from './brand-frame.tsx';
import { formatDate } from './format.ts';
import { AnswerLetterForm, RevokeLetterForm, SubLicensingToggle, type Letter } from './letter-actions.tsx';
import { BrandLetterFields, BrandLettersQuery } from './letters.operations.ts';
import { StatusTag } from './status-tag.tsx';

type Filter = 'WAITING' | 'APPROVED' | 'ALL';
const STATUSES = { WAITING: ['SUBMITTED'], APPROVED: ['APPROVED'], ALL: null } as const;

function LetterRow({ letter, mayAnswer, onChanged }: { letter: Letter; mayAnswer: boolean; onChanged: () => void }) {
  const live = letter.status === 'APPROVED' || letter.status === 'SUBMITTED';
  return (
    <tr>
      <th scope="row">
        {letter.store.name}
        <div className="hint">@{letter.store.handle}</div>
      </th>
      <td>
        {letter.chainDepth === 1 ? 'From your brand' : `Through ${letter.grantor?.store.name ?? 'a distributor'}`}
        <div className="hint">{letter.origin === 'BRAND_ISSUED' ? 'Issued online by your brand' : 'Uploaded by the store'}</div>
      </td>
      <td>
        {letter.scope}
        <div className="hint">
          {formatDate(letter.validFrom)} to {formatDate(letter.validUntil)}
        </div>
        {letter.document?.url && <a href={letter.document.url}>Open the letter ({letter.document.filename})</a>}
      </td>
      <td>
        <StatusTag status={letter.status} />
        <div>
          Your answer: <StatusTag status={letter.brandConfirmation} />
        </div>
        {letter.chainDepth === 1 && (
          <div className="hint">{letter.allowsSubLicensing ? 'May authorize resellers' : 'May not authorize resellers'}</div>
        )}
        {letter.revokedReason && <div>Reason: {letter.revokedReason}</div>}
      </td>
      <td>
        {mayAnswer && (
          <div className="actions">
            {letter.status === 'SUBMITTED' && letter.brandConfirmation === 'PENDING' && (
              <AnswerLetterForm letter={letter} onChanged={onChanged} />
            )}
            {letter.chainDepth === 1 && letter.status === 'APPROVED' && <SubLicensingToggle letter={letter} onChanged={onChanged} />}
            {live && <RevokeLetterForm letter={letter} onChanged={onChanged} />}
          </div>
        )}
      </td>
    </tr>
  );
}

function Letters() {
  const brand = useBrand();
  const [filter, setFilter] = useState<Filter>('WAITING');
  const status = STATUSES[filter];
  const [{ data, fetching, error }, refetch] = useQuery({
    query: BrandLettersQuery,
    variables: { brandId: brand.id, status: status ? [...status] : null },
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const letters = data?.authorizationLetters.edges.map((e) => readFragment(BrandLetterFields, e.node)) ?? [];
  const mayAnswer = brand.may('letters.confirm');
  return (
    <>
      <p>
        Stores upload the authorization letters your brand gave them. Confirm the ones you issued and deny the others; revoke a store's
        authorization when it ends.
      </p>
      <fieldset className="actions">
        <legend>Show</legend>
        {(['WAITING', 'APPROVED', 'ALL'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="letter-filter" checked={filter === f} onChange={() => setFilter(f)} />{' '}
            {f === 'WAITING' ? 'Waiting for review' : f === 'APPROVED' ? 'Approved' : 'All letters'}
          </label>
        ))}
      </fieldset>
      {fetching && !data ? (
        <Loading what="letters" />
      ) : error ? (
        <RequestFailed error={error} what="the letters" />
      ) : letters.length === 0 ? (
        <p>No letter here.</p>
      ) : (
        <table className="data">
          <caption>Authorization letters</caption>
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col">Granted</th>
              <th scope="col">Scope and validity</th>
              <th scope="col">Status</th>
              <th scope="col">{mayAnswer ? 'Actions' : <span className="hint">Actions (owners and managers)</span>}</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <LetterRow key={letter.id} letter={letter} mayAnswer={mayAnswer} onChanged={reload} />
            ))}
          </tbody>
        </table>
      )}
      {data?.authorizationLetters.pageInfo.hasNextPage && <p>Showing the first 50 letters: choose fewer with the options above.</p>}
      {brand.may('stores.authorize') && (
        <AuthorizeStoreForm brandId={brand.id} verified={brand.status === 'VERIFIED'} onAuthorized={reload} />
      )}
    </>
  );
}

export default function LettersPage() {
  return (
    <BrandFrame section="Authorization letters">
      <Letters />
    </BrandFrame>
  );
}
