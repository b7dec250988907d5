import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { FragmentOf } from '../graphql/graphql.ts';
import type { ComplaintData } from './complaint-review-page.tsx';
import {
  ReviewerClaimOpenComplaintMutation,
  ReviewerDecideComplaintMutation,
  ReviewerRequestInformationMutation,
  type ReviewerComplaintFields,
} from './complaint.operations.ts';
import { Field, FormProblems, controlProps, formErrors, noErrors, type FormErrors, type UserErrorLike } from './field-errors.tsx';
import { verdictWords } from './words.ts';

type Masked = FragmentOf<typeof ReviewerComplaintFields>;
interface Props {
  complaint: ComplaintData;
  meId: string | null;
  onChange(complaint: Masked): void;
}

const DECIDABLE = ['UNDER_REVIEW', 'APPEALED'];
const unreachable: UserErrorLike = { code: 'NETWORK', message: 'The service could not be reached. Nothing was saved; try again.' };

/** Claim, ask for more information, decide: what the reviewer may do now. */
export function ComplaintActions({ complaint, meId, onChange }: Props) {
  const [claimErrors, setClaimErrors] = useState<FormErrors>(noErrors);
  const [, claim] = useMutation(ReviewerClaimOpenComplaintMutation);
  if (!DECIDABLE.includes(complaint.status)) return null;
  const mine = complaint.assignedReviewer !== null && complaint.assignedReviewer.id === meId;
  const onClaim = async () => {
    const answer = await claim({ id: complaint.id });
    const payload = answer.data?.claimComplaint;
    setClaimErrors(formErrors(answer.error ? [unreachable] : (payload?.userErrors ?? []), []));
    if (payload?.complaint) onChange(payload.complaint as Masked);
  };
  return (
    <section aria-labelledby="actions-heading" className="panel">
      <h2 id="actions-heading">{complaint.status === 'APPEALED' ? 'Decide the appeal' : 'Your decision'}</h2>
      {!complaint.assignedReviewer && (
        <>
          <p>Claim the complaint to decide it; other reviewers then see it is taken.</p>
          <FormProblems errors={claimErrors} />
          <button type="button" onClick={() => void onClaim()}>
            Claim this complaint
          </button>
        </>
      )}
      {complaint.assignedReviewer && !mine && (
        <p>{complaint.assignedReviewer.displayName} has claimed this complaint; only they may ask for information or decide it.</p>
      )}
      {mine && (
        <>
          {complaint.deadlines.informationDueAt ? (
            <p>The decision waits for the answer to your request for more information.</p>
          ) : (
            <DecisionForm complaint={complaint} onChange={onChange} />
          )}
          <InformationRequestForm complaint={complaint} onChange={onChange} />
        </>
      )}
    </section>
  );
}

const DECISION_CONTROLS = ['verdict', 'note', 'compensation.amount', 'compensation.currency'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CNY', 'JPY'];

function DecisionForm({ complaint, onChange }: Omit<Props, 'meId'>) {
  const [verdict, setVerdict] = useState('');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [saving, setSaving] = useState(false);
  const [, decide] = useMutation(ReviewerDecideComplaintMutation);
  const form = 'decision';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!verdict) {
      setErrors({ byField: { verdict: 'Choose a verdict.' }, general: [] });
      return;
    }
    setSaving(true);
    const compensation = verdict === 'COUNTERFEIT' && amount.trim() ? { amount: amount.trim(), currency } : null;
    const answer = await decide({
      input: { complaintId: complaint.id, verdict: verdict as 'COUNTERFEIT', note, ...(compensation ? { compensation } : {}) },
    });
    setSaving(false);
    const payload = answer.data?.decideComplaint;
    setErrors(formErrors(answer.error ? [unreachable] : (payload?.userErrors ?? []), DECISION_CONTROLS));
    if (payload?.complaint && payload.userErrors.length === 0) onChange(payload.complaint as Masked);
  };
  return (
    <form className="review-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="decision-heading">
      <h3 id="decision-heading">Record the decision</h3>
      <FormProblems errors={errors} />
      <fieldset
        aria-invalid={errors.byField.verdict ? true : undefined}
        aria-describedby={errors.byField.verdict ? 'decision-verdict-error' : undefined}
      >
        <legend>Verdict</legend>
        {(['COUNTERFEIT', 'NOT_COUNTERFEIT', 'INSUFFICIENT_EVIDENCE'] as const).map((value) => (
          <label key={value} className="choice">
            <input type="radio" name="verdict" value={value} checked={verdict === value} onChange={() => setVerdict(value)} />
            {verdictWords(value)}
          </label>
        ))}
        {errors.byField.verdict && (
          <p className="field-error" id="decision-verdict-error">
            {errors.byField.verdict}
          </p>
        )}
      </fieldset>
      <Field form={form} name="note" label="Note (both sides read it)" errors={errors}>
        <textarea
          {...controlProps(form, 'note', errors)}
          rows={3}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          aria-required="true"
        />
      </Field>
      {verdict === 'COUNTERFEIT' && (
        <div className="compensation">
          <Field
            form={form}
            name="compensation.amount"
            label="Coupon for the consumer"
            hint="Leave empty for the standard amount."
            errors={errors}
          >
            <input
              {...controlProps(form, 'compensation.amount', errors, 'hint')}
              inputMode="decimal"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              placeholder="25.00"
            />
          </Field>
          <Field form={form} name="compensation.currency" label="Currency" errors={errors}>
            <select
              {...controlProps(form, 'compensation.currency', errors)}
              value={currency}
              onChange={(event) => setCurrency(event.target.value)}
            >
              {CURRENCIES.map((code) => (
                <option key={code}>{code}</option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <p className="hint">A counterfeit verdict warns the store and sends the consumer the coupon. The losing side may appeal once.</p>
      <div>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Record decision'}
        </button>
      </div>
    </form>
  );
}

const REQUEST_CONTROLS = ['side', 'note', 'dueAt'];

function InformationRequestForm({ complaint, onChange }: Omit<Props, 'meId'>) {
  const [side, setSide] = useState<'CONSUMER' | 'MERCHANT'>('CONSUMER');
  const [note, setNote] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [sent, setSent] = useState(false);
  const [, request] = useMutation(ReviewerRequestInformationMutation);
  const form = 'information';
  if (complaint.deadlines.informationDueAt) return null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const answer = await request({
      input: { complaintId: complaint.id, side, note, ...(dueAt ? { dueAt: new Date(dueAt).toISOString() } : {}) },
    });
    const payload = answer.data?.requestComplaintInformation;
    setErrors(formErrors(answer.error ? [unreachable] : (payload?.userErrors ?? []), REQUEST_CONTROLS));
    if (payload?.complaint && payload.userErrors.length === 0) {
      setSent(true);
      onChange(payload.complaint as Masked);
    }
  };
  return (
    <details className="panel">
      <summary>Ask one side for more information</summary>
      {sent && (
        <p role="status" className="success">
          Your request was sent.
        </p>
      )}
      <form className="review-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Ask for more information">
        <FormProblems errors={errors} />
        <fieldset>
          <legend>Ask</legend>
          <label className="choice">
            <input type="radio" name="side" checked={side === 'CONSUMER'} onChange={() => setSide('CONSUMER')} />
            The consumer
          </label>
          <label className="choice">
            <input type="radio" name="side" checked={side === 'MERCHANT'} onChange={() => setSide('MERCHANT')} />
            The store
          </label>
        </fieldset>
        <Field form={form} name="note" label="What is needed (shown to them)" errors={errors}>
          <textarea
            {...controlProps(form, 'note', errors)}
            rows={2}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-required="true"
          />
        </Field>
        <Field
          form={form}
          name="dueAt"
          label="Answer by (optional)"
          hint="Leave empty for the standard 3 days; at most 14 days."
          errors={errors}
        >
          <input
            {...controlProps(form, 'dueAt', errors, 'hint')}
            type="datetime-local"
            value={dueAt}
            onChange={(event) => setDueAt(event.target.value)}
          />
        </Field>
        <div>
          <button type="submit" className="secondary">
            Send the request
          </button>
        </div>
      </form>
    </details>
  );
}
