import { describe, expect, it } from 'vitest';
import { chunksOf, csvCells, parseCodeCsv } from '../../src/console/app/brand/code-csv.js';

describe('reading a CSV of product codes in the browser', () => {
  it('splits cells on commas, semicolons and tabs, with quoted cells and doubled quotes', () => {
    expect(csvCells('a,"b,c";d\t"e ""x"""')).toEqual(['a', 'b,c', 'd', 'e "x"']);
  });

  it('takes columns by the header in any order, fills empty SKU and batch cells, and groups per SKU and batch', () => {
    const parsed = parseCodeCsv('\uFEFFBatch,SKU,Code\r\nW1,RUN,AAAA-1\r\n,,AAAA-2\r\nW2,RUN,AAAA-3\r\n\r\n', { sku: 'DEF', batch: 'W9' });
    expect(parsed.rejected).toEqual([]);
    expect(parsed.accepted).toBe(3);
    expect(parsed.groups).toEqual([
      { sku: 'RUN', batch: 'W1', codes: ['AAAA-1'], lines: [2] },
      { sku: 'DEF', batch: 'W9', codes: ['AAAA-2'], lines: [3] },
      { sku: 'RUN', batch: 'W2', codes: ['AAAA-3'], lines: [4] },
    ]);
  });

  it('rejects rows by line with the reason, as the service would', () => {
    const parsed = parseCodeCsv(
      ['code,sku,batch', 'ok-code-1,S,', 'ab,S,', 'has space,S,', 'ok-code-2,,', 'ok-code-1,S,', `ok-code-3,${'s'.repeat(65)},`].join('\n'),
    );
    expect(parsed.accepted).toBe(1);
    expect(parsed.groups).toEqual([{ sku: 'S', batch: null, codes: ['ok-code-1'], lines: [2] }]);
    expect(parsed.rejected.map((r) => [r.line, r.code])).toEqual([
      [3, 'ab'],
      [4, 'has space'],
      [5, 'ok-code-2'],
      [6, 'ok-code-1'],
      [7, 'ok-code-3'],
    ]);
    expect(parsed.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/4 to 128/),
      expect.stringMatching(/no spaces/),
      'The SKU is empty.',
      'The same code appears earlier in the file.',
      'The SKU is longer than 64 characters.',
    ]);
  });

  it('reads a file without a header as code, SKU, batch', () => {
    expect(parseCodeCsv('CODE-0001,RUN,W1').groups).toEqual([{ sku: 'RUN', batch: 'W1', codes: ['CODE-0001'], lines: [1] }]);
  });

  it('cuts a group into calls of at most the given size, keeping each code’s line', () => {
    const group = { sku: 'S', batch: null, codes: ['c1', 'c2', 'c3', 'c4', 'c5'], lines: [2, 3, 4, 5, 6] };
    expect(chunksOf(group, 2).map((c) => [c.codes, c.lines])).toEqual([
      [
        ['c1', 'c2'],
        [2, 3],
      ],
      [
        ['c3', 'c4'],
        [4, 5],
      ],
      [['c5'], [6]],
    ]);
  });
});
