// What a queue shows, kept in the address so a reload or a shared link opens the same view.

export type QueueKind = 'complaints' | 'trademarks' | 'letters';

export interface QueueView {
  queue: QueueKind;
  /** '' (all), 'unassigned', 'mine' or 'escalated'. */
  show: string;
  /** '' for what waits for a reviewer, else one status. */
  status: string;
  /** '' (longest waiting first), NEWEST_FIRST or ESCALATED_FIRST. */
  sort: string;
  /** yyyy-mm-dd, inclusive. */
  from: string;
  to: string;
  after: string;
  before: string;
}

export const PAGE_SIZE = 20;
const KINDS: QueueKind[] = ['complaints', 'trademarks', 'letters'];

export function readQueueView(search: string): QueueView {
  const params = new URLSearchParams(search);
  const get = (name: string) => params.get(name) ?? '';
  const queue = KINDS.find((kind) => kind === get('queue')) ?? 'complaints';
  return {
    queue,
    show: get('show'),
    status: get('status'),
    sort: get('sort'),
    from: get('from'),
    to: get('to'),
    after: get('after'),
    before: get('before'),
  };
}

/** The day after yyyy-mm-dd, at the reviewer's midnight: "until" includes the day named. */
const dayStart = (date: string, plusDays = 0) => {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, dayOfMonth + plusDays).toISOString();
};

/** The queue query's variables for a view (the filters each queue knows). */
export function queueFilter(view: QueueView) {
  const filter = {
    ...(view.show === 'unassigned' ? { unassigned: true } : {}),
    ...(view.show === 'mine' ? { mine: true } : {}),
    ...(view.show === 'escalated' && view.queue === 'complaints' ? { escalated: true } : {}),
    ...(view.status ? { status: [view.status] } : {}),
    ...(view.from ? { submittedFrom: dayStart(view.from) } : {}),
    ...(view.to ? { submittedTo: dayStart(view.to, 1) } : {}),
  };
  const page = view.before ? { last: PAGE_SIZE, before: view.before } : { first: PAGE_SIZE, ...(view.after ? { after: view.after } : {}) };
  const orderBy = view.sort === 'NEWEST_FIRST' || (view.sort === 'ESCALATED_FIRST' && view.queue === 'complaints') ? view.sort : undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each queue's filter type accepts the fields it names
  return { filter: filter as any, ...(orderBy ? { orderBy: orderBy as any } : {}), ...page };
}
