import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from '../shell/router.tsx';
import { QUEUE_SHORTCUTS, useQueueKeys } from './queue-keys.ts';
import { when } from './words.ts';

export interface QueueRow {
  id: string;
  href: string;
  title: string;
  details: string[];
  since: string | null;
  assignee: { id: string; displayName: string } | null;
  escalated: boolean;
  /** The claim can be given back from the queue (trademarks and letters). */
  releasable: boolean;
}

interface Props {
  caption: string;
  rows: QueueRow[];
  meId: string | null;
  onClaim(row: QueueRow): void;
  onRelease?(row: QueueRow): void;
  empty: string;
}

/** One page of a queue, moved through with j / k, opened with Enter and claimed with c. */
export function QueueTable({ caption, rows, meId, onClaim, onRelease, empty }: Props) {
  const navigate = useNavigate();
  const [selected, setSelected] = useState(-1);
  const help = useRef<HTMLDialogElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const focusRow = (index: number) => table.current?.querySelector<HTMLAnchorElement>(`tr[data-row="${index}"] a`)?.focus();
  useEffect(() => {
    if (selected >= rows.length) setSelected(rows.length - 1);
  }, [rows.length, selected]);
  useQueueKeys(
    {
      move(by) {
        if (rows.length === 0) return;
        const next = Math.min(rows.length - 1, Math.max(0, selected + by));
        setSelected(next);
        focusRow(next);
      },
      open() {
        const row = rows[selected];
        if (row) navigate(row.href);
      },
      claim() {
        const row = rows[selected];
        if (row && !row.assignee) onClaim(row);
      },
      toggleHelp() {
        if (help.current?.open) help.current.close();
        else help.current?.showModal();
      },
    },
    true,
  );
  return (
    <>
      <p className="hint">
        Keyboard: j and k move through the list, Enter opens, c claims.{' '}
        <button type="button" className="link-button" aria-haspopup="dialog" onClick={() => help.current?.showModal()}>
          All shortcuts (?)
        </button>
      </p>
      <dialog ref={help} aria-labelledby="shortcuts-heading" className="shortcuts">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        <dl>
          {QUEUE_SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p className="hint">Shortcuts pause while you type in a field.</p>
        <button type="button" onClick={() => help.current?.close()}>
          Close
        </button>
      </dialog>
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <table ref={table} className="queue">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Details</th>
              <th scope="col">Claimed by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const mine = row.assignee !== null && row.assignee.id === meId;
              return (
                <tr
                  key={row.id}
                  data-row={index}
                  className={index === selected ? 'selected' : undefined}
                  aria-current={index === selected ? 'true' : undefined}
                >
                  <th scope="row">
                    <Link to={row.href} onFocus={() => setSelected(index)}>
                      {row.title}
                    </Link>
                    {row.escalated && <span className="tag warning-tag">Past the review deadline</span>}
                  </th>
                  <td>
                    {row.details.join(' · ')}
                    {row.since && <div className="hint">Filed {when(row.since)}</div>}
                  </td>
                  <td data-testid="claimed-by">{row.assignee ? (mine ? 'You' : row.assignee.displayName) : 'Nobody yet'}</td>
                  <td>
                    {!row.assignee && (
                      <button type="button" onClick={() => onClaim(row)} aria-label={`Claim ${row.title}`}>
                        Claim
                      </button>
                    )}
                    {mine && row.releasable && onRelease && (
                      <button type="button" className="secondary" onClick={() => onRelease(row)} aria-label={`Release ${row.title}`}>
                        Release
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
