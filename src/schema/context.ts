import type { PubSub } from 'graphql-yoga';
import type { Access } from '../auth/access.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** In-process topics fed from the database's notifications. */
export type ServiceEvents = {
  badgeChanged: [storeId: string, payload: { badgeId: string }];
  complaintUpdated: [complaintId: string, payload: { complaintId: string }];
  brandEvents: [brandId: string, payload: { eventId: string }];
};

/** Built once per request by the app. */
export interface GraphQLContext {
  requestId: string;
  deps: ServiceDeps;
  access: Access;
  events: PubSub<ServiceEvents>;
}
