import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ResultOf } from '../graphql/graphql.ts';
import { formatDateTime } from './format.ts';
import { FormErrors } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import { StatusTag } from './status-tag.tsx';
import { eventLabel, type BrandEventType } from './webhook-event-types.ts';
import { EventTypeChoices, SecretOnce } from './webhook-forms.tsx';
import {
  BrandDeleteWebhookMutation,
  BrandReplayDeliveryMutation,
  BrandRotateWebhookSecretMutation,
  BrandUpdateWebhookMutation,
  BrandWebhookDeliveriesQuery,
  BrandWebhookEndpointsQuery,
} from './webhooks.operations.ts';
import { noErrors, sortErrors } from './user-errors.ts';

type Endpoint = ResultOf<typeof BrandWebhookEndpointsQuery>['webhookEndpoints']['edges'][number]['node'];

function Deliveries({ endpointId }: { endpointId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: BrandWebhookDeliveriesQuery, variables: { id: endpointId } });
  const [replayResult, replay] = useMutation(BrandReplayDeliveryMutation);
  if (fetching && !data) return <p role="status">Loading deliveries…</p>;
  if (error) return <p className="error">The deliveries could not be loaded.</p>;
  const node = data?.node;
  const deliveries = node && 'deliveries' in node ? node.deliveries.edges.map((e) => e.node) : [];
  if (deliveries.length === 0) return <p>Nothing was sent to this endpoint yet.</p>;
  const replayErrors = replayResult.data ? sortErrors(replayResult.data.replayWebhookDelivery.userErrors, []) : noErrors;
  return (
    <>
      <table className="data">
        <caption>Deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Send again</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>
                {eventLabel(d.event.type)}
                <div className="hint">{formatDateTime(d.event.occurredAt)}</div>
              </td>
              <td>
                <StatusTag status={d.status} />
                {d.replays > 0 && <div className="hint">Sent again {d.replays}×</div>}
              </td>
              <td>
                <ul>
                  {d.attempts.edges.map(({ node: a }) => (
                    <li key={`${a.replay}-${a.number}`}>
                      {formatDateTime(a.startedAt)}: {a.statusCode ? `answered ${a.statusCode}` : (a.error ?? 'no answer')} in{' '}
                      {a.durationMs} ms
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  disabled={replayResult.fetching}
                  onClick={() =>
                    void (async () => {
                      await replay({ input: { id: d.id } });
                      refetch({ requestPolicy: 'network-only' });
                    })()
                  }
                >
                  Send again
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormErrors errors={replayErrors} failure={failureMessage(replayResult.error)} />
    </>
  );
}

/** One endpoint: what it receives, turning it on or off, a new secret, removal, and its deliveries. */
export function EndpointCard({ endpoint, onChanged }: { endpoint: Endpoint; onChanged: () => void }) {
  const [updateResult, update] = useMutation(BrandUpdateWebhookMutation);
  const [rotateResult, rotate] = useMutation(BrandRotateWebhookSecretMutation);
  const [deleteResult, remove] = useMutation(BrandDeleteWebhookMutation);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const updateErrors = updateResult.data ? sortErrors(updateResult.data.updateWebhookEndpoint.userErrors, ['eventTypes']) : noErrors;
  const otherErrors = sortErrors(
    [...(rotateResult.data?.rotateWebhookSecret.userErrors ?? []), ...(deleteResult.data?.deleteWebhookEndpoint.userErrors ?? [])],
    [],
  );
  const headingId = `endpoint-${endpoint.id}`;

  async function saveTypes(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const eventTypes = new FormData(event.currentTarget).getAll('eventTypes') as BrandEventType[];
    const answer = await update({ input: { id: endpoint.id, eventTypes } });
    if (answer.data?.updateWebhookEndpoint.endpoint) onChanged();
  }

  return (
    <section className="brand-form" aria-labelledby={headingId}>
      <h3 id={headingId}>{endpoint.url}</h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p>
        {endpoint.enabled ? 'On' : 'Off: receives nothing'} · added {formatDateTime(endpoint.createdAt)}
      </p>
      <p>Receives: {endpoint.eventTypes.map(eventLabel).join('; ') || 'nothing'}.</p>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={updateResult.fetching}
          onClick={() =>
            void (async () => {
              const answer = await update({ input: { id: endpoint.id, enabled: !endpoint.enabled } });
              if (answer.data?.updateWebhookEndpoint.endpoint) onChanged();
            })()
          }
        >
          {endpoint.enabled ? 'Turn off' : 'Turn on'}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={rotateResult.fetching}
          onClick={() =>
            void (async () => {
              const answer = await rotate({ input: { id: endpoint.id } });
              setSecret(answer.data?.rotateWebhookSecret.secret ?? null);
            })()
          }
        >
          New signing secret
        </button>
        {confirmDelete ? (
          <>
            <button
              type="button"
              disabled={deleteResult.fetching}
              onClick={() =>
                void (async () => {
                  const answer = await remove({ input: { id: endpoint.id } });
                  if (answer.data?.deleteWebhookEndpoint.deletedEndpointId) onChanged();
                })()
              }
            >
              Yes, remove {endpoint.url}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirmDelete(true)}>
            Remove…
          </button>
        )}
      </div>
      {secret && (
        <SecretOnce secret={secret} what="New signing secret. The old one keeps signing beside it for a day, so switch within that time." />
      )}
      <FormErrors errors={otherErrors} failure={failureMessage(rotateResult.error ?? deleteResult.error)} />
      <details className="row-details">
        <summary>Change the events it receives</summary>
        <form onSubmit={(event) => void saveTypes(event)}>
          <EventTypeChoices name="eventTypes" selected={endpoint.eventTypes} errors={updateErrors.byField.eventTypes} />
          <FormErrors errors={updateErrors} failure={failureMessage(updateResult.error)} />
          <button type="submit" disabled={updateResult.fetching}>
            Save events
          </button>
        </form>
      </details>
      <details className="row-details" onToggle={(e) => setShowDeliveries((e.target as HTMLDetailsElement).open)}>
        <summary>Deliveries</summary>
        {showDeliveries && <Deliveries endpointId={endpoint.id} />}
      </details>
    </section>
  );
}
