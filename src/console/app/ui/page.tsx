import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's frame: its title in the tab and as the heading, which takes focus
 * when the page opens so screen readers announce the new page.
 */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Brand authentication`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}
