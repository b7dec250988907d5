import { lazy, Suspense, useState } from 'react';
import { ZoomableImage } from './zoomable-image.tsx';

const PdfPages = lazy(() => import('./pdf-pages.tsx'));

export interface DocumentData {
  filename: string;
  contentType: string;
  byteSize: number;
  url: string | null;
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;

/** The uploaded document in the page: PDFs drawn page by page, images with zoom; always a download link too. */
export function DocumentViewer({ document, title }: { document: DocumentData | null; title: string }) {
  const [scale, setScale] = useState(1);
  if (!document) return <p className="empty">No document was uploaded.</p>;
  if (!document.url) return <p>You may not read this document.</p>;
  const pdf = document.contentType === 'application/pdf';
  return (
    <div>
      <p>
        <a href={document.url} rel="noreferrer noopener">
          Download {document.filename}
        </a>{' '}
        ({size(document.byteSize)})
      </p>
      {pdf ? (
        <>
          <div className="zoom-controls" role="group" aria-label="Zoom">
            <button type="button" className="secondary" onClick={() => setScale(Math.max(0.5, scale - 0.25))} disabled={scale <= 0.5}>
              Zoom out
            </button>
            <output aria-live="polite">{Math.round(scale * 100)}%</output>
            <button type="button" className="secondary" onClick={() => setScale(Math.min(3, scale + 0.25))} disabled={scale >= 3}>
              Zoom in
            </button>
          </div>
          <div className="zoom-area" tabIndex={0} role="region" aria-label={`${title}, scrollable`}>
            <Suspense fallback={<p role="status">Loading the document viewer…</p>}>
              <PdfPages url={document.url} title={title} scale={scale} />
            </Suspense>
          </div>
        </>
      ) : document.contentType.startsWith('image/') ? (
        <ZoomableImage src={document.url} alt={title} />
      ) : (
        <p>This kind of file can’t be shown here; download it to read it.</p>
      )}
    </div>
  );
}
