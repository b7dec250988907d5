/** How long an answer may be reused, from its Cache-Control: 0 when it may not be reused without asking. */
export function maxAgeSeconds(cacheControl: string | null): number {
  if (!cacheControl) return 0;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)).find(Boolean);
  return maxAge ? Number(maxAge[1]) : 0;
}

export interface Fetched<T> {
  value: T;
  /** Epoch milliseconds after which it is fetched again. */
  expiresAt: number;
}

/**
 * Answers kept in memory as long as their Cache-Control allows, shared by every
 * badge on the page; concurrent reads of one URL share one request. The fetch
 * itself goes through the browser's HTTP cache, which keeps them as long.
 */
export function createMemoryCache<T>(load: (response: Response) => Promise<T>, fetcher: typeof fetch, now: () => number) {
  const entries = new Map<string, Promise<Fetched<T>>>();
  /** With `reload`, asks the server again (revalidating the browser's copy) even if the copy is fresh. */
  return async function read(url: string, reload = false): Promise<Fetched<T>> {
    const cached = entries.get(url);
    if (cached && !reload) {
      const entry = await cached.catch(() => null);
      if (entry && entry.expiresAt > now()) return entry;
      if (entries.get(url) !== cached) return read(url);
    }
    const pending = (async () => {
      const response = await fetcher(url, { credentials: 'omit', cache: reload ? 'no-cache' : 'default' });
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}.`);
      const started = now();
      return { value: await load(response), expiresAt: started + maxAgeSeconds(response.headers.get('cache-control')) * 1000 };
    })();
    entries.set(url, pending);
    pending.catch(() => entries.get(url) === pending && entries.delete(url));
    return pending;
  };
}
