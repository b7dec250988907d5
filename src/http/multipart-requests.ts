import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { UnauthenticatedError } from '../errors.js';
import { graphql } from './graphql-runtime.js';
import { isUploadedFile } from '../services/uploaded-files.js';
import { limitExceeded } from './limit-errors.js';

const { GraphQLError } = graphql;

// GraphQL multipart requests (github.com/jaydenseric/graphql-multipart-request-spec):
// an `operations` field, a `map` field, then the files. Parsed here rather than
// by yoga so that the caller is known before a byte of the files is read, a
// file goes to exactly one variable, and each limit is refused with its name.

/** Every upload mutation takes one file, and an operation runs at most one of them. */
export const MULTIPART_MAX_FILES = 1;
const MULTIPART_FIELDS = ['operations', 'map'];

export interface MultipartLimits {
  fileBytes: number;
  /** Of `operations` (a JSON body of its own) and `map`. */
  fieldBytes: number;
}

/** The limits @whatwg-node's FormData parser (busboy) applies while it reads the body. */
export function formDataLimits(limits: MultipartLimits) {
  return {
    fileSize: limits.fileBytes,
    files: MULTIPART_MAX_FILES,
    fields: MULTIPART_FIELDS.length,
    parts: MULTIPART_FIELDS.length + MULTIPART_MAX_FILES,
    fieldSize: limits.fieldBytes,
  };
}

/** The most bytes a multipart request can need: its fields, its files and the part headers. */
export const multipartMaxBytes = (limits: MultipartLimits) =>
  MULTIPART_FIELDS.length * limits.fieldBytes + MULTIPART_MAX_FILES * limits.fileBytes + 64 * 1024;

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400, spec: false } } });

export const isMultipartRequest = (request: Request) =>
  request.method === 'POST' && (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');

/**
 * busboy's limits reach us only as the parser's messages, so they are told
 * apart here, by the versions pinned in the lockfile (a test sends each).
 */
function refusalOf(error: unknown, limits: MultipartLimits): unknown {
  // A body limit (request-body-limits.ts) or a client that went away: passed on as they are.
  if (error instanceof GraphQLError || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  const tooLarge = { status: 413 as const };
  if (message.startsWith('File size limit exceeded'))
    return limitExceeded('fileBytes', `A file is at most ${limits.fileBytes} bytes.`, { max: limits.fileBytes, ...tooLarge });
  if (message.startsWith('Files limit exceeded'))
    return limitExceeded('multipartFiles', `A request carries at most ${MULTIPART_MAX_FILES} file.`, {
      max: MULTIPART_MAX_FILES,
      ...tooLarge,
    });
  if (message.startsWith('Fields limit exceeded'))
    return limitExceeded('multipartFields', `A multipart request has only the fields ${MULTIPART_FIELDS.join(' and ')}.`, {
      max: MULTIPART_FIELDS.length,
      ...tooLarge,
    });
  if (message.startsWith('Parts limit exceeded'))
    return limitExceeded('multipartParts', `A multipart request has at most ${MULTIPART_FIELDS.length + MULTIPART_MAX_FILES} parts.`, {
      max: MULTIPART_FIELDS.length + MULTIPART_MAX_FILES,
      ...tooLarge,
    });
  if (message.startsWith('Field value size exceeded') || message.startsWith('Field name size exceeded'))
    return limitExceeded('multipartFieldBytes', `A multipart field is at most ${limits.fieldBytes} bytes.`, {
      max: limits.fieldBytes,
      ...tooLarge,
    });
  return badRequest(`The body is not valid multipart data: ${message}`);
}

function jsonField(form: FormData, name: string): unknown {
  const value = form.get(name);
  if (typeof value !== 'string') throw badRequest(`A multipart request needs the field "${name}" as JSON text.`);
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`The multipart field "${name}" is not valid JSON.`);
  }
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function placeFile(operations: Record<string, unknown>, path: string, file: unknown) {
  const keys = path.split('.');
  if (keys[0] !== 'variables' || keys.length < 2 || keys.some((key) => key === '' || UNSAFE_KEYS.has(key)))
    throw badRequest(`The map may only name paths under "variables", e.g. "variables.input.photo"; got "${path}".`);
  let node = operations as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) throw badRequest(`The map names "${path}", which is not in the operation's variables.`);
    node = next as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = file;
}

/** Reads a multipart request into GraphQL parameters, each file placed at the one variable the map names. */
export async function parseMultipartRequest(request: Request, limits: MultipartLimits): Promise<GraphQLParams> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    throw refusalOf(error, limits);
  }
  const operations = jsonField(form, 'operations');
  if (typeof operations !== 'object' || operations === null || Array.isArray(operations))
    throw badRequest('The field "operations" holds one operation (batches are not accepted).');
  const map = form.has('map') ? jsonField(form, 'map') : {};
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw badRequest('The field "map" maps each file part to its variable.');
  for (const [part, paths] of Object.entries(map)) {
    if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string'))
      throw badRequest(`The map gives part "${part}" a list of variable paths.`);
    if (paths.length === 0) throw badRequest(`The map gives part "${part}" no variable path.`);
    // One file, one use: the same bytes sent once must not run through a pipeline once per path.
    if (paths.length > 1)
      throw limitExceeded('fileUses', `A file goes to exactly one variable; part "${part}" is mapped to ${paths.length}.`, {
        max: 1,
        actual: paths.length,
      });
    const file = form.get(part);
    if (!isUploadedFile(file)) throw badRequest(`The map names part "${part}", which is not a file of this request.`);
    placeFile(operations as Record<string, unknown>, paths[0] as string, file);
  }
  return operations as GraphQLParams;
}

/**
 * Multipart requests are uploads, and every upload needs a signed-in caller:
 * the token is checked from the headers, and a request without a valid one is
 * answered 401 before its body is read (and is read no further: see
 * early-answers.ts). The request is then read by `parseMultipartRequest`.
 */
export function useMultipartRequests(options: { authenticate: (request: Request) => Promise<unknown>; limits: MultipartLimits }): Plugin {
  return {
    async onRequestParse({ request, setRequestParser }) {
      if (!isMultipartRequest(request)) return;
      try {
        await options.authenticate(request);
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        throw new GraphQLError(error.message, {
          extensions: { code: error.code, http: { status: 401, spec: false } },
        });
      }
      setRequestParser((parsed) => parseMultipartRequest(parsed, options.limits));
    },
  };
}
