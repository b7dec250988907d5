import { createBadgeActivities } from './badge-activities.js';
import { createBrandActivities } from './brand-activities.js';
import { createComplaintActivities, type ComplaintActivityDeps } from './complaint-activities.js';

export type ActivityDeps = ComplaintActivityDeps;

/** All activities, built from their dependencies; the worker wires the real ones. */
export function createActivities(deps: ActivityDeps) {
  return { ...createBrandActivities(deps), ...createBadgeActivities(deps), ...createComplaintActivities(deps) };
}
