import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { FormErrors, TextField } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import { BRAND_EVENT_TYPES, type BrandEventType } from './webhook-event-types.ts';
import { BrandCreateWebhookMutation } from './webhooks.operations.ts';
import { noErrors, sortErrors } from './user-errors.ts';

/** Event-type checkboxes as one group, with the service's error on them. */
export function EventTypeChoices({ selected, errors, name }: { selected: readonly string[]; errors?: readonly string[]; name: string }) {
  const errorId = useId();
  return (
    <fieldset aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined}>
      <legend>Send these events</legend>
      {BRAND_EVENT_TYPES.map(({ type, label }) => (
        <div className="field checkbox" key={type}>
          <input type="checkbox" id={`${name}-${type}`} name={name} value={type} defaultChecked={selected.includes(type)} />
          <label htmlFor={`${name}-${type}`}>{label}</label>
        </div>
      ))}
      {errors?.length ? (
        <span id={errorId} className="field-error">
          {errors.join(' ')}
        </span>
      ) : null}
    </fieldset>
  );
}

/** The signing secret, shown once: the service keeps no readable copy. */
export function SecretOnce({ secret, what }: { secret: string; what: string }) {
  return (
    <div className="secret" role="status">
      <p>
        <strong>{what}</strong> Copy it now into your receiver's settings: it is shown only this once.
      </p>
      <p>
        <code aria-label="Signing secret">{secret}</code>
      </p>
    </div>
  );
}

export function CreateEndpointForm({ brandId, onCreated }: { brandId: string; onCreated: () => void }) {
  const [result, create] = useMutation(BrandCreateWebhookMutation);
  const [secret, setSecret] = useState<string | null>(null);
  const payload = result.data?.createWebhookEndpoint;
  const errors = payload ? sortErrors(payload.userErrors, ['url', 'description', 'eventTypes']) : noErrors;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setSecret(null);
    const answer = await create({
      input: {
        brandId,
        url: String(data.get('url') ?? '').trim(),
        description: String(data.get('description') ?? '').trim() || null,
        eventTypes: data.getAll('eventTypes') as BrandEventType[],
      },
    });
    const created = answer.data?.createWebhookEndpoint;
    if (created?.endpoint && created.secret) {
      setSecret(created.secret);
      form.reset();
      onCreated();
    }
  }
  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="create-endpoint" noValidate>
      <h2 id="create-endpoint">Add an endpoint</h2>
      <TextField
        label="Address (URL)"
        name="url"
        type="url"
        required
        hint="Where your system receives events, e.g. https://example.com/brand-events."
        errors={errors.byField.url}
      />
      <TextField label="Description (optional)" name="description" errors={errors.byField.description} />
      <EventTypeChoices name="eventTypes" selected={[]} errors={errors.byField.eventTypes} />
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      {secret && <SecretOnce secret={secret} what="The endpoint is added. Its signing secret:" />}
      <div>
        <button type="submit" disabled={result.fetching}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}
