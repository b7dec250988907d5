import type { App } from '../../src/app.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface RequestOptions {
  token?: string;
  /** Variable paths (e.g. "input.certificate") to files: sent as a GraphQL multipart request. */
  files?: Record<string, File>;
  headers?: Record<string, string>;
}

function setPath(target: Record<string, any>, dotted: string, value: unknown) {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]!] = value;
}

/** Sends operations to the app in-process, exactly as an HTTP client would. */
export function graphqlClient(app: App) {
  return async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit;
    if (options.files) {
      const vars = structuredClone(variables);
      const map: Record<string, string[]> = {};
      const form = new FormData();
      Object.keys(options.files).forEach((path, i) => {
        setPath(vars, path, null);
        map[String(i)] = [`variables.${path}`];
      });
      form.append('operations', JSON.stringify({ query, variables: vars }));
      form.append('map', JSON.stringify(map));
      Object.entries(options.files).forEach(([, file], i) => form.append(String(i), file, file.name));
      body = form;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({ query, variables });
    }
    const response = await app.fetch(new Request('http://api.test/graphql', { method: 'POST', headers, body }));
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T> };
  };
}
