import { useState } from 'react';

const STEPS = [0.5, 0.75, 1, 1.5, 2, 3, 4];

/** An image at its own size with zoom buttons; the area scrolls when the image outgrows it. */
export function ZoomableImage({ src, alt, width, height }: { src: string; alt: string; width?: number; height?: number }) {
  const [step, setStep] = useState(2);
  // Documents don't state their size: the image tells once loaded.
  const [natural, setNatural] = useState(width && height ? { width, height } : null);
  const scale = STEPS[step]!;
  return (
    <div>
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" className="secondary" onClick={() => setStep(Math.max(0, step - 1))} disabled={step === 0}>
          Zoom out
        </button>
        <output aria-live="polite">{Math.round(scale * 100)}%</output>
        <button
          type="button"
          className="secondary"
          onClick={() => setStep(Math.min(STEPS.length - 1, step + 1))}
          disabled={step === STEPS.length - 1}
        >
          Zoom in
        </button>
        <button type="button" className="secondary" onClick={() => setStep(2)}>
          Actual size
        </button>
      </div>
      <div className="zoom-area" tabIndex={0} role="region" aria-label={`${alt}, scrollable`}>
        <img
          src={src}
          alt={alt}
          width={natural ? Math.round(natural.width * scale) : undefined}
          height={natural ? Math.round(natural.height * scale) : undefined}
          onLoad={(event) => natural ?? setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
        />
      </div>
    </div>
  );
}
