/** Only pages of the console itself, so a link can't send someone elsewhere after signing in. */
export function consolePageOrHome(next: string | null): string {
  return next && /^\/(console|c)\//.test(next) && !next.startsWith('//') ? next : '/console/';
}

/** The page a sign-in link asks to open afterwards (`?next=`). */
export const nextPage = (search: string): string => consolePageOrHome(new URLSearchParams(search).get('next'));
