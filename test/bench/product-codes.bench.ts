// Registering 10,000 product codes in one registerProductCodes call, over HTTP
// against the test environment. Run: `tsx test/bench/product-codes.bench.ts [runs]`.
import { randomUUID } from 'node:crypto';
import { registerBrand } from '../support/brand-operations.js';
import { REGISTER_CODES } from '../support/product-code-operations.js';
import { startStack, unique } from '../support/stack.js';
import { report, runBench, sample, summarize, timed } from './bench-support.js';

const CODES_PER_CALL = 10_000;
const runs = Number(process.argv[2] ?? 5);

await runBench(async () => {
  const stack = await startStack();
  try {
    const ownerToken = await stack.token(unique('bench-code-owner'), ['BRAND']);
    const samples = await sample(runs, async () => {
      // A fresh brand and fresh codes each run, so every run writes all 10,000.
      const brand = await registerBrand(stack, ownerToken, unique('bench-codes'));
      const prefix = randomUUID();
      const codes = Array.from({ length: CODES_PER_CALL }, (_, i) => `${prefix}-${i}`);
      const input = { brandId: brand.id, sku: 'SKU-BENCH', batch: 'B-BENCH', codes };
      let body: { data?: { registerProductCodes?: { registered: number } } } = {};
      const ms = await timed(async () => {
        body = (await stack.gql(REGISTER_CODES, { input }, { token: ownerToken })).body;
      });
      if (body.data?.registerProductCodes?.registered !== CODES_PER_CALL)
        throw new Error(`not all codes registered: ${JSON.stringify(body)}`);
      return ms;
    });
    report('product-codes', [summarize(`registerProductCodes, ${CODES_PER_CALL} codes`, samples)], { codesPerCall: CODES_PER_CALL });
  } finally {
    await stack.close();
  }
});
