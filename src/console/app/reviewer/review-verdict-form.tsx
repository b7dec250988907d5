import { useState, type FormEvent } from 'react';
import { Field, FormProblems, controlProps, formErrors, noErrors, type FormErrors, type UserErrorLike } from './field-errors.tsx';

const CONTROLS = ['approve', 'note'];

/** Approve or reject with a reason; the API's refusals are shown at the control they concern. */
export function ReviewVerdictForm({
  what,
  submit,
}: {
  what: string;
  submit(input: { approve: boolean; note: string | null }): Promise<readonly UserErrorLike[]>;
}) {
  const [choice, setChoice] = useState<'' | 'approve' | 'reject'>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [saving, setSaving] = useState(false);
  const form = 'review';
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!choice) {
      setErrors({ byField: { approve: `Choose whether to approve or reject the ${what}.` }, general: [] });
      return;
    }
    setSaving(true);
    const problems = await submit({ approve: choice === 'approve', note: note.trim() ? note : null });
    setSaving(false);
    setErrors(formErrors(problems, CONTROLS));
  };
  return (
    <form className="review-form" onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="verdict-heading">
      <h2 id="verdict-heading">Your review</h2>
      <FormProblems errors={errors} />
      <fieldset
        aria-invalid={errors.byField.approve ? true : undefined}
        aria-describedby={errors.byField.approve ? 'review-approve-error' : undefined}
      >
        <legend>Verdict</legend>
        <label className="choice">
          <input type="radio" name="approve" checked={choice === 'approve'} onChange={() => setChoice('approve')} />
          Approve
        </label>
        <label className="choice">
          <input type="radio" name="approve" checked={choice === 'reject'} onChange={() => setChoice('reject')} />
          Reject
        </label>
        {errors.byField.approve && (
          <p className="field-error" id="review-approve-error">
            {errors.byField.approve}
          </p>
        )}
      </fieldset>
      <Field form={form} name="note" label="Reason" hint="Required to reject; the brand or store reads it." errors={errors}>
        <textarea {...controlProps(form, 'note', errors, 'hint')} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
      </Field>
      <div>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Record review'}
        </button>
      </div>
    </form>
  );
}
