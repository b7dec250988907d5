import { useState, type FormEvent } from 'react';
import { useClient, useMutation } from 'urql';
import { CheckboxField, FormErrors, Saved, TextField } from './form-fields.tsx';
import { BrandAuthorizeStoreMutation, BrandFindStoreQuery } from './letters.operations.ts';
import { failureMessage } from './mutation-failure.ts';
import { noErrors, sortErrors, type SortedErrors } from './user-errors.ts';

const FIELDS = ['storeId', 'scope', 'validFrom', 'validUntil', 'allowSubLicensing'];
const today = () => new Date().toISOString().slice(0, 10);
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

/** Today means from now; another day from its start (UTC), as the validity must lie within the trademark's. */
const fromDay = (day: string) => (day === today() ? new Date().toISOString() : day ? new Date(`${day}T00:00:00Z`).toISOString() : '');
const untilDay = (day: string) => (day ? new Date(`${day}T00:00:00Z`).toISOString() : '');

/** A verified brand authorizes a store itself: the letter is approved and the badge issued at once. */
export function AuthorizeStoreForm({ brandId, verified, onAuthorized }: { brandId: string; verified: boolean; onAuthorized: () => void }) {
  const client = useClient();
  const [result, authorize] = useMutation(BrandAuthorizeStoreMutation);
  const [errors, setErrors] = useState<SortedErrors>(noErrors);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setDone(null);
    const handle = String(data.get('store') ?? '').trim();
    const found = handle ? await client.query(BrandFindStoreQuery, { handleOrUrl: handle }).toPromise() : null;
    const store = found?.data?.findStore;
    if (!store) {
      setErrors({
        byField: { storeId: [handle ? `No store has the handle or web address “${handle}”.` : 'Give the store’s handle.'] },
        general: [],
      });
      return;
    }
    const answer = await authorize({
      input: {
        brandId,
        storeId: store.id,
        scope: String(data.get('scope') ?? '').trim(),
        validFrom: fromDay(String(data.get('validFrom') ?? '')),
        validUntil: untilDay(String(data.get('validUntil') ?? '')),
        allowSubLicensing: data.get('allowSubLicensing') === 'on',
      },
    });
    const payload = answer.data?.authorizeStore;
    setErrors(payload ? sortErrors(payload.userErrors, FIELDS) : noErrors);
    if (payload?.letter) {
      setDone(`${store.name} is authorized; its badge is active now.`);
      form.reset();
      onAuthorized();
    }
  }

  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="authorize-store" noValidate>
      <h2 id="authorize-store">Authorize a store yourself</h2>
      <p>
        {verified
          ? 'The store gets its “Official authorized store” badge at once, with a certificate the service writes; no review is needed.'
          : 'Once your brand is verified you can authorize stores here without waiting for a review.'}
      </p>
      <TextField
        label="Store"
        name="store"
        required
        hint="The store's handle (e.g. dan-sports) or its shop's web address."
        errors={errors.byField.storeId}
      />
      <TextField
        label="Scope"
        name="scope"
        required
        defaultValue="All products, online"
        hint="What the store may sell, and where."
        errors={errors.byField.scope}
      />
      <TextField label="Valid from" name="validFrom" type="date" required defaultValue={today()} errors={errors.byField.validFrom} />
      <TextField
        label="Valid until"
        name="validUntil"
        type="date"
        required
        defaultValue={inAYear()}
        hint="No later than your trademark's end."
        errors={errors.byField.validUntil}
      />
      <CheckboxField
        label="Allow this store to authorize resellers of its own"
        name="allowSubLicensing"
        errors={errors.byField.allowSubLicensing}
      />
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      {done && <Saved>{done}</Saved>}
      <div>
        <button type="submit" disabled={result.fetching || !verified}>
          Authorize store
        </button>
      </div>
    </form>
  );
}
