import { useQuery } from 'urql';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { BrandFrame, NotForYourRole, useBrand } from './brand-frame.tsx';
import { EndpointCard } from './webhook-endpoint-card.tsx';
import { CreateEndpointForm } from './webhook-forms.tsx';
import { BrandWebhookEndpointsQuery } from './webhooks.operations.ts';

function Webhooks() {
  const brand = useBrand();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: BrandWebhookEndpointsQuery,
    variables: { brandId: brand.id },
    pause: !brand.may('webhooks.manage'),
  });
  if (!brand.may('webhooks.manage')) return <NotForYourRole />;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const endpoints = data?.webhookEndpoints.edges.map((e) => e.node) ?? [];
  return (
    <>
      <p>
        Your systems can be told at once when something happens to your brand: the service sends each event, signed, to the addresses below,
        and tries again for a day when one does not answer.
      </p>
      {fetching && !data ? (
        <Loading what="endpoints" />
      ) : error ? (
        <RequestFailed error={error} what="the endpoints" />
      ) : endpoints.length === 0 ? (
        <p>No endpoint yet.</p>
      ) : (
        <>
          <h2>Endpoints</h2>
          {endpoints.map((endpoint) => (
            <EndpointCard key={endpoint.id} endpoint={endpoint} onChanged={reload} />
          ))}
        </>
      )}
      <CreateEndpointForm brandId={brand.id} onCreated={reload} />
    </>
  );
}

export default function WebhooksPage() {
  return (
    <BrandFrame section="Webhooks">
      <Webhooks />
    </BrandFrame>
  );
}
