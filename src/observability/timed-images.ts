import type { ImageProcessor } from '../images/image-processor.js';
import type { Metrics } from './metrics.js';

async function timed<T extends { ok: boolean }>(metrics: Metrics, kind: string, run: () => Promise<T>): Promise<T> {
  const end = metrics.imageProcessing.startTimer({ kind });
  try {
    const result = await run();
    end({ outcome: result.ok ? 'accepted' : 'refused' });
    return result;
  } catch (error) {
    end({ outcome: 'failed' });
    throw error;
  }
}

/** The same processor, each call timed: evidence photos as `photo`, certificate and letter images as `document`. */
export function timedImageProcessor(processor: ImageProcessor, metrics: Metrics): ImageProcessor {
  return {
    process: (input, field) => timed(metrics, 'photo', () => processor.process(input, field)),
    sanitizeDocument: (input, field) => timed(metrics, 'document', () => processor.sanitizeDocument(input, field)),
  };
}
