// A real HTTP client for the API under test: undici's fetch over the socket,
// FormData for multipart uploads, an SSE reader for subscriptions. Nothing
// here calls the app in-process, so tests see exactly what clients get.

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

export interface GraphQLResult<T = any> {
  status: number;
  headers: Headers;
  body: GraphQLResponse<T>;
}

function setPath(target: Record<string, any>, dotted: string, value: unknown) {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]!] = value;
}

/** The body of a GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec). */
export function multipartBody(query: string, variables: Record<string, unknown>, files: Record<string, File>): FormData {
  const vars = structuredClone(variables);
  const map: Record<string, string[]> = {};
  const form = new FormData();
  Object.keys(files).forEach((path, i) => {
    setPath(vars, path, null);
    map[String(i)] = [`variables.${path}`];
  });
  form.append('operations', JSON.stringify({ query, variables: vars }));
  form.append('map', JSON.stringify(map));
  Object.values(files).forEach((file, i) => form.append(String(i), file, file.name));
  return form;
}

/** Posts operations to `endpoint` over HTTP. */
export function graphqlClient(endpoint: string) {
  return async function gql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit;
    if (options.files) {
      body = multipartBody(query, variables, options.files);
      // Multipart is a "simple" request a web page could forge; the API wants this header on it (CSRF prevention).
      headers['x-graphql-yoga-csrf'] ??= '1';
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({ query, variables });
    }
    const response = await fetch(endpoint, { method: 'POST', headers, body });
    const text = await response.text();
    let parsed: GraphQLResponse<T>;
    try {
      parsed = JSON.parse(text) as GraphQLResponse<T>;
    } catch {
      throw new Error(`HTTP ${response.status} answered with a body that is not JSON: ${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

export interface EventStream<T> {
  /** Events received so far, in order. */
  received: T[];
  response: Response;
  close(): Promise<void>;
}

/**
 * Opens a GraphQL subscription over server-sent events and collects the `data`
 * of each `next` event. Resolves once the server's opening ping has arrived,
 * i.e. once the subscription is registered.
 */
export async function subscribe<T = any>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string } = {},
): Promise<EventStream<T>> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const received: T[] = [];
  const reader = response.body!.getReader();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      markReady();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = message.split('\n');
        if (!lines.includes('event: next')) continue;
        const data = lines.find((line) => line.startsWith('data: '));
        if (data) received.push(JSON.parse(data.slice('data: '.length)) as T);
      }
    }
  })()
    .catch(() => undefined)
    .finally(markReady);
  // The server's opening ping comes once it has started reading the subscription's events.
  await ready;
  return {
    received,
    response,
    async close() {
      controller.abort();
      await reading;
    },
  };
}
