import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { FormErrors, Saved, TextField } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import { BrandSetCloneAlertChecksMutation } from './product-codes.operations.ts';
import { noErrors, sortErrors } from './user-errors.ts';

/** How many checks of one code the brand allows before a clone alert. */
export function CloneThresholdForm({ brandId, current, onSaved }: { brandId: string; current: number | null; onSaved: () => void }) {
  const [result, setChecks] = useMutation(BrandSetCloneAlertChecksMutation);
  const [value, setValue] = useState('');
  const [notWhole, setNotWhole] = useState(false);
  const payload = result.data?.setCloneAlertChecks;
  const errors = notWhole
    ? { byField: { checks: ['Give a whole number of checks.'] }, general: [] }
    : payload
      ? sortErrors(payload.userErrors, ['checks'])
      : noErrors;
  async function submit(event: FormEvent) {
    event.preventDefault();
    const checks = value.trim() === '' ? null : Number(value);
    // GraphQL's Int takes whole numbers only; the service judges the range.
    setNotWhole(checks !== null && !Number.isSafeInteger(checks));
    if (checks !== null && !Number.isSafeInteger(checks)) return;
    const answer = await setChecks({ input: { brandId, checks } });
    if (answer.data?.setCloneAlertChecks.userErrors.length === 0) onSaved();
  }
  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="clone-threshold" noValidate>
      <h2 id="clone-threshold">Clone alerts</h2>
      <p>
        A code checked more often than this raises one clone alert. {current !== null && `Now: ${current} checks.`} Items checked often in
        shops before a sale need more.
      </p>
      <TextField
        label="Checks allowed per code"
        name="checks"
        type="number"
        min={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        hint="1 to 1,000,000. Leave empty to use the service's default."
        errors={errors.byField.checks}
      />
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      {payload && payload.userErrors.length === 0 && <Saved>Clone alerts now come after {payload.cloneAlertChecks} checks.</Saved>}
      <div>
        <button type="submit" disabled={result.fetching}>
          Save
        </button>
      </div>
    </form>
  );
}
