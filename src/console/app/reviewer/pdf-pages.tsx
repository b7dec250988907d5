import { useEffect, useRef, useState } from 'react';
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';

// pdf.js and its worker come with this module only, which the document page loads when a PDF is shown.
GlobalWorkerOptions.workerPort = new PdfWorker();

const MAX_PAGES = 20;

/** Every page of the PDF drawn on a canvas, at the zoom asked for. */
export default function PdfPages({ url, title, scale }: { url: string; title: string; scale: number }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | 'failed' | null>(null);
  useEffect(() => {
    let cancelled = false;
    const task = getDocument({ url });
    task.promise
      .then(async (pdf) => {
        const shown = Math.min(pdf.numPages, MAX_PAGES);
        const canvases: HTMLCanvasElement[] = [];
        for (let number = 1; number <= shown; number++) {
          const page = await pdf.getPage(number);
          const viewport = page.getViewport({ scale: scale * window.devicePixelRatio });
          const canvas = document.createElement('canvas');
          canvas.width = viewport.width;
          canvas.height = viewport.height;
          canvas.style.width = `${viewport.width / window.devicePixelRatio}px`;
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${title}, page ${number} of ${pdf.numPages}`);
          await page.render({ canvas, viewport }).promise;
          canvases.push(canvas);
        }
        if (cancelled) return;
        container.current?.replaceChildren(...canvases);
        setState({ pages: pdf.numPages, shown });
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [url, title, scale]);
  return (
    <div>
      {state === null && <p role="status">Drawing the document…</p>}
      {state === 'failed' && (
        <p role="alert" className="error">
          The document could not be shown here. Download it with the link above.
        </p>
      )}
      {state !== null && state !== 'failed' && state.shown < state.pages && (
        <p className="hint">
          The first {state.shown} of {state.pages} pages are shown; download the file for the rest.
        </p>
      )}
      <div
        ref={container}
        className="pdf-pages"
        data-testid="pdf-pages"
        data-rendered={state !== null && state !== 'failed' ? state.shown : 0}
      />
    </div>
  );
}
