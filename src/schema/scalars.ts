import { GraphQLError } from 'graphql';
import { builder } from './builder.js';
import { isUploadedFile } from '../services/uploaded-files.js';

// RFC 3339 with a time zone: ambiguous local times are refused rather than guessed.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

builder.scalarType('DateTime', {
  description: 'An RFC 3339 date-time with a time zone, e.g. 2027-01-31T23:59:59Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
      throw new GraphQLError(`DateTime must be an RFC 3339 string with a time zone, got ${JSON.stringify(value)}.`);
    }
    return new Date(value);
  },
});

builder.scalarType('Upload', {
  description: 'A file sent with the GraphQL multipart request spec.',
  serialize: () => {
    throw new GraphQLError('Upload is an input-only scalar.');
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) throw new GraphQLError('Upload must be a file part of a multipart request.');
    return value;
  },
});
