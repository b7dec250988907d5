// A seeded generator, so a failing random case can be replayed with TLOG_SEED.
export function seededRandom(seed: number): { int(maxExclusive: number): number; bytes(length: number): Buffer } {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    bytes: (length) => Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))),
  };
}

export const testSeed = (): number => Number(process.env.TLOG_SEED ?? Math.floor(Math.random() * 2 ** 31));
