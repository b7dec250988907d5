import pLimit from 'p-limit';
import type { ImageProcessor } from './image-processor.js';

// A 12 MP photo decodes to ~36 MB of pixels, and auto-orienting a sideways
// phone photo keeps the whole image in memory while libvips rotates, resizes and
// encodes it. Decodes therefore take turns: at most `concurrency` run at once
// and the rest wait in line, so the memory they need follows the setting, not
// how many uploads arrive together or how large libuv's thread pool is (sharp
// runs on it, 4 threads by default, often raised for other work). Measured
// with eight 12 MP uploads at once (test/bench/parallel-uploads.bench.ts):
// peak RSS 1040 MB unlimited vs 979 MB at 2 with 4 pool threads, and 1291 MB
// vs 1012 MB with 16.

/** The same processor, with at most `concurrency` decodes running at once across all its methods. */
export function withDecodeLimit(processor: ImageProcessor, concurrency: number): ImageProcessor {
  const limit = pLimit(concurrency);
  return {
    process: (input, field) => limit(() => processor.process(input, field)),
    sanitizeDocument: (input, field) => limit(() => processor.sanitizeDocument(input, field)),
  };
}
