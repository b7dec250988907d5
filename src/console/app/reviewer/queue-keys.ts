import { useEffect, useRef } from 'react';

export interface QueueKeyActions {
  move(by: 1 | -1): void;
  open(): void;
  claim(): void;
  toggleHelp(): void;
}

/** Where typed keys belong to a control, not to the queue. */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

/** Whether Enter on this element already does something of its own (a button, a link, a form control). */
const ownsEnter = (target: EventTarget | null) =>
  target instanceof HTMLElement && target.closest('a, button, input, select, textarea') !== null;

/**
 * The queue's keyboard shortcuts: j / k or the arrow keys move, Enter opens,
 * c claims, ? shows the list. Keys typed into a text field stay there, and
 * nothing fires with Ctrl, Alt or Meta held (the browser's own shortcuts).
 */
export function useQueueKeys(actions: QueueKeyActions, enabled: boolean) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
      if (typingInto(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      // Arrows inside radio groups and lists keep their own meaning.
      if (event.key.startsWith('Arrow') && event.target instanceof HTMLElement && event.target.closest('input, select')) return;
      const act = latest.current;
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          act.move(1);
          break;
        case 'k':
        case 'ArrowUp':
          act.move(-1);
          break;
        case 'Enter':
          // A focused row link opens itself; only Enter elsewhere needs help.
          if (ownsEnter(event.target)) return;
          act.open();
          break;
        case 'c':
          act.claim();
          break;
        case '?':
          act.toggleHelp();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export const QUEUE_SHORTCUTS: ReadonlyArray<[keys: string, what: string]> = [
  ['j or ↓', 'Next item'],
  ['k or ↑', 'Previous item'],
  ['Enter', 'Open the selected item'],
  ['c', 'Claim the selected item'],
  ['?', 'Show or hide this list'],
];
