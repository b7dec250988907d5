import type { Role } from './tokens.js';

/** The people of the demo data set (`npm run dev`), and whom the console's development sign-in offers. */
export const DEMO_ACTORS: ReadonlyArray<{ subject: string; roles: Role[] }> = [
  { subject: 'demo-consumer', roles: ['CONSUMER'] },
  { subject: 'demo-merchant', roles: ['MERCHANT'] },
  { subject: 'demo-brand', roles: ['BRAND', 'MERCHANT'] },
  { subject: 'demo-reviewer', roles: ['REVIEWER'] },
  { subject: 'demo-admin', roles: ['ADMIN'] },
];
