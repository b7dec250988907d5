import { useEffect, useRef, useState } from 'react';
import { PDFWorker, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';

// pdf.js and its worker come with this module only, which the document page loads when a PDF is shown.
// One worker for every document of the tab: closing a document leaves it running for the next.
let sharedWorker: PDFWorker | null = null;
const pdfWorker = () => (sharedWorker ??= PDFWorker.create({ port: new PdfWorker() }));

const MAX_PAGES = 20;

type State = { pages: number; shown: number } | 'failed' | null;

/** Every page of the PDF drawn on a canvas, at the zoom asked for. */
export default function PdfPages({ url, title, scale }: { url: string; title: string; scale: number }) {
  const container = useRef<HTMLDivElement>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [state, setState] = useState<State>(null);

  useEffect(() => {
    const task = getDocument({ url, worker: pdfWorker() });
    task.promise.then(setPdf, () => setState('failed'));
    return () => {
      setPdf(null);
      void task.destroy();
    };
  }, [url]);

  useEffect(() => {
    if (!pdf) return;
    let cancelled = false;
    const draw = async () => {
      const shown = Math.min(pdf.numPages, MAX_PAGES);
      const canvases: HTMLCanvasElement[] = [];
      for (let number = 1; number <= shown && !cancelled; number++) {
        const page = await pdf.getPage(number);
        const viewport = page.getViewport({ scale: scale * window.devicePixelRatio });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${viewport.width / window.devicePixelRatio}px`;
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `${title}, page ${number} of ${pdf.numPages}`);
        await page.render({ canvas, viewport }).promise;
        canvases.push(canvas);
      }
      if (cancelled) return;
      container.current?.replaceChildren(...canvases);
      setState({ pages: pdf.numPages, shown });
    };
    draw().catch(() => {
      if (!cancelled) setState('failed');
    });
    return () => {
      cancelled = true;
    };
  }, [pdf, scale, title]);

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
