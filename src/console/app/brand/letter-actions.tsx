import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { ResultOf } from '../graphql/graphql.ts';
import { CheckboxField, FormErrors, Saved, TextField } from './form-fields.tsx';
import {
  BrandConfirmLetterMutation,
  BrandRevokeLetterMutation,
  BrandSetSubLicensingMutation,
  BrandLetterFields,
} from './letters.operations.ts';
import { failureMessage } from './mutation-failure.ts';
import { noErrors, sortErrors } from './user-errors.ts';

export type Letter = ResultOf<typeof BrandLetterFields>;

/** Confirming says the brand issued the letter (a reviewer then decides); denying rejects it at once. */
export function AnswerLetterForm({ letter, onChanged }: { letter: Letter; onChanged: () => void }) {
  const [result, confirm] = useMutation(BrandConfirmLetterMutation);
  const [choice, setChoice] = useState<boolean | null>(null);
  const payload = result.data?.confirmAuthorization;
  const errors = payload ? sortErrors(payload.userErrors, ['note', 'allowSubLicensing', 'confirm']) : noErrors;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const approve = submitter?.value === 'confirm';
    setChoice(approve);
    const data = new FormData(event.currentTarget);
    const note = String(data.get('note') ?? '').trim();
    const answer = await confirm({
      input: {
        letterId: letter.id,
        confirm: approve,
        note: note || null,
        ...(approve && letter.chainDepth === 1 ? { allowSubLicensing: data.get('allowSubLicensing') === 'on' } : {}),
      },
    });
    if (answer.data?.confirmAuthorization.letter && answer.data.confirmAuthorization.userErrors.length === 0) onChanged();
  }

  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-label={`Answer the letter of ${letter.store.name}`}>
      <p>Did your brand issue this letter to {letter.store.name}? Confirming lets a reviewer approve it; denying rejects it at once.</p>
      <TextField
        label="Note (optional)"
        name="note"
        errors={errors.byField.note}
        hint="Why you deny it, or anything the reviewer should know."
      />
      {letter.chainDepth === 1 && (
        <CheckboxField
          label="Allow this store to authorize resellers of its own"
          name="allowSubLicensing"
          defaultChecked={letter.allowsSubLicensing}
          errors={errors.byField.allowSubLicensing}
        />
      )}
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      {payload?.letter && payload.userErrors.length === 0 && (
        <Saved>{choice ? 'You confirmed the letter.' : 'You denied the letter.'}</Saved>
      )}
      <div className="actions">
        <button type="submit" name="answer" value="confirm" disabled={result.fetching}>
          Confirm letter
        </button>
        <button type="submit" name="answer" value="deny" className="secondary" disabled={result.fetching}>
          Deny letter
        </button>
      </div>
    </form>
  );
}

/** Revoking ends the store's badge and every letter granted under this one. */
export function RevokeLetterForm({ letter, onChanged }: { letter: Letter; onChanged: () => void }) {
  const [result, revoke] = useMutation(BrandRevokeLetterMutation);
  const payload = result.data?.revokeAuthorization;
  const errors = payload ? sortErrors(payload.userErrors, ['reason']) : noErrors;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    const answer = await revoke({ input: { id: letter.id, reason } });
    if (answer.data?.revokeAuthorization.letter && answer.data.revokeAuthorization.userErrors.length === 0) onChanged();
  }
  return (
    <details className="row-details">
      <summary>Revoke…</summary>
      <form className="brand-form" onSubmit={(event) => void submit(event)} aria-label={`Revoke the letter of ${letter.store.name}`}>
        <p>The store loses its badge at once, and so does every reseller it authorized under this letter.</p>
        <TextField label="Reason" name="reason" required errors={errors.byField.reason} hint="The store and reviewers see it." />
        <FormErrors errors={errors} failure={failureMessage(result.error)} />
        <div>
          <button type="submit" disabled={result.fetching}>
            Revoke letter
          </button>
        </div>
      </form>
    </details>
  );
}

export function SubLicensingToggle({ letter, onChanged }: { letter: Letter; onChanged: () => void }) {
  const [result, setSubLicensing] = useMutation(BrandSetSubLicensingMutation);
  const errors = result.data ? sortErrors(result.data.setSubLicensing.userErrors, []) : noErrors;
  async function toggle() {
    const answer = await setSubLicensing({ input: { letterId: letter.id, allowed: !letter.allowsSubLicensing } });
    if (answer.data?.setSubLicensing.letter && answer.data.setSubLicensing.userErrors.length === 0) onChanged();
  }
  return (
    <div>
      <button type="button" className="secondary" onClick={() => void toggle()} disabled={result.fetching}>
        {letter.allowsSubLicensing ? 'Stop sub-licensing' : 'Allow sub-licensing'}
      </button>
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
    </div>
  );
}
