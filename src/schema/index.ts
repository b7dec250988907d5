import { builder } from './builder.js';
import './scalars.js';
import './user-errors.js';
import './actors.js';
import './brands.js';
import './documents.js';
import './trademarks.js';
import './product-codes.js';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema({ sortSchema: false });
