export const ENDPOINT_FIELDS = /* GraphQL */ `id url description eventTypes enabled brand { id } store { id }`;
const ERRORS = /* GraphQL */ `userErrors { code field message }`;

export const CREATE_ENDPOINT = /* GraphQL */ `
  mutation ($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT_FIELDS} } secret ${ERRORS} }
  }
`;

export const UPDATE_ENDPOINT = /* GraphQL */ `
  mutation ($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) { endpoint { ${ENDPOINT_FIELDS} } ${ERRORS} }
  }
`;

export const ROTATE_SECRET = /* GraphQL */ `
  mutation ($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) { endpoint { id } secret ${ERRORS} }
  }
`;

export const DELETE_ENDPOINT = /* GraphQL */ `
  mutation ($input: DeleteWebhookEndpointInput!) {
    deleteWebhookEndpoint(input: $input) { deletedEndpointId ${ERRORS} }
  }
`;

export const REPLAY_DELIVERY = /* GraphQL */ `
  mutation ($input: ReplayWebhookDeliveryInput!) {
    replayWebhookDelivery(input: $input) { delivery { id status replays } ${ERRORS} }
  }
`;

export const LIST_ENDPOINTS = /* GraphQL */ `
  query ($brandId: ID, $storeId: ID) {
    webhookEndpoints(brandId: $brandId, storeId: $storeId, first: 20) { edges { node { ${ENDPOINT_FIELDS} } } }
  }
`;

export const ENDPOINT_DELIVERIES = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on WebhookEndpoint {
        deliveries(first: 20) {
          edges {
            node {
              id
              status
              replays
              event {
                id
                type
                occurredAt
                payload
              }
              attempts(first: 50) {
                edges {
                  node {
                    replay
                    number
                    startedAt
                    durationMs
                    statusCode
                    error
                    succeeded
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BRAND_EVENTS = /* GraphQL */ `
  subscription ($brandId: ID!) {
    brandEvents(brandId: $brandId) {
      id
      type
      occurredAt
      payload
    }
  }
`;
