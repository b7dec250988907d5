import { builder } from './builder.js';
import './scalars.js';
import './user-errors.js';
import './actors.js';
import './brands.js';
import './documents.js';
import './trademarks.js';
import './product-codes.js';
import './stores.js';
import './badges.js';
import './authorization-letters.js';
import './compensation.js';
import './evidence.js';
import './complaints.js';
import './complaint-context.js';
import './role-grants.js';
import './brand-team.js';
import './webhooks.js';
import './review-queues.js';
import './reseller-overview.js';
import './badge-timeline.js';
import './scan-insight.js';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = builder.toSchema({ sortSchema: false });
