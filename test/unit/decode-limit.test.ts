import { describe, expect, it, vi } from 'vitest';
import { ok } from '../../src/errors.js';
import { withDecodeLimit } from '../../src/images/decode-limit.js';
import type { ImageProcessor } from '../../src/images/image-processor.js';

// The semaphore around image decodes: however many uploads arrive together, at
// most `concurrency` decodes run, the others start as earlier ones finish, and
// a failing decode frees its turn.

function gatedProcessor() {
  const started: Array<{ release: () => void; fail: () => void }> = [];
  let running = 0;
  let peak = 0;
  const run = () =>
    new Promise<never>((resolve, reject) => {
      running += 1;
      peak = Math.max(peak, running);
      const done = () => (running -= 1);
      started.push({
        release: () => {
          done();
          resolve(ok({}) as never);
        },
        fail: () => {
          done();
          reject(new Error('decoder crashed'));
        },
      });
    });
  const processor: ImageProcessor = { process: run, sanitizeDocument: run };
  return { processor, started, peak: () => peak };
}

describe('withDecodeLimit', () => {
  it('runs at most the limit at once, across photos and documents, and lets the next in as one ends', async () => {
    const gated = gatedProcessor();
    const limited = withDecodeLimit(gated.processor, 2);
    const calls = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0 ? limited.process(Buffer.alloc(1), ['p']) : limited.sanitizeDocument(Buffer.alloc(1), ['d']),
    );
    const settled = Promise.allSettled(calls);
    await vi.waitFor(() => expect(gated.started).toHaveLength(2));
    gated.started[0]!.release();
    await vi.waitFor(() => expect(gated.started).toHaveLength(3));
    gated.started[1]!.fail();
    await vi.waitFor(() => expect(gated.started).toHaveLength(4));
    for (let i = 2; i < 8; i++) {
      await vi.waitFor(() => expect(gated.started.length).toBeGreaterThan(i));
      gated.started[i]!.release();
    }
    expect((await settled).map((s) => s.status)).toEqual(['fulfilled', 'rejected', ...Array.from({ length: 6 }, () => 'fulfilled')]);
    expect(gated.peak()).toBe(2);
  });
});
