import { graphql } from '../graphql/graphql.ts';

export const BrandWebhookEndpointsQuery = graphql(`
  query BrandWebhookEndpoints($brandId: ID!) {
    webhookEndpoints(brandId: $brandId, first: 50) {
      edges {
        node {
          id
          url
          description
          eventTypes
          enabled
          createdAt
        }
      }
    }
  }
`);

export const BrandWebhookDeliveriesQuery = graphql(`
  query BrandWebhookDeliveries($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookEndpoint {
        deliveries(first: 20) {
          edges {
            node {
              id
              status
              replays
              createdAt
              event {
                id
                type
                occurredAt
              }
              attempts(first: 10) {
                edges {
                  node {
                    replay
                    number
                    startedAt
                    durationMs
                    statusCode
                    succeeded
                    error
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const BrandCreateWebhookMutation = graphql(`
  mutation BrandCreateWebhook($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        id
        url
        description
        eventTypes
        enabled
        createdAt
      }
      secret
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandUpdateWebhookMutation = graphql(`
  mutation BrandUpdateWebhook($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint {
        id
        url
        description
        eventTypes
        enabled
        createdAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandRotateWebhookSecretMutation = graphql(`
  mutation BrandRotateWebhookSecret($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) {
      secret
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandDeleteWebhookMutation = graphql(`
  mutation BrandDeleteWebhook($input: DeleteWebhookEndpointInput!) {
    deleteWebhookEndpoint(input: $input) {
      deletedEndpointId
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandReplayDeliveryMutation = graphql(`
  mutation BrandReplayDelivery($input: ReplayWebhookDeliveryInput!) {
    replayWebhookDelivery(input: $input) {
      delivery {
        id
        status
        replays
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
