import { createBadgeActivities } from './badge-activities.js';
import { createBrandActivities, type BrandActivityDeps } from './brand-activities.js';

export type ActivityDeps = BrandActivityDeps;

/** All activities, built from their dependencies; the worker wires the real ones. */
export function createActivities(deps: ActivityDeps) {
  return { ...createBrandActivities(deps), ...createBadgeActivities(deps) };
}
