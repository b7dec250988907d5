import { useEffect } from 'react';

/** How often an open queue asks again: claims and new items from others show up without a reload. */
export const QUEUE_REFRESH_MS = 5_000;

/** Calls `refresh` on an interval while the tab is visible, and at once when it becomes visible again. */
export function useRefreshWhileVisible(refresh: () => void, everyMs = QUEUE_REFRESH_MS) {
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    const timer = window.setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [refresh, everyMs]);
}
