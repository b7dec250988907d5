import { statusTone, words } from './format.ts';

export function StatusTag({ status }: { status: string | null | undefined }) {
  return <span className={`tag tag-${statusTone(status)}`}>{words(status)}</span>;
}
