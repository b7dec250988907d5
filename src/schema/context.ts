import type { Access } from '../auth/access.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Built once per request by the app. */
export interface GraphQLContext {
  requestId: string;
  deps: ServiceDeps;
  access: Access;
}
