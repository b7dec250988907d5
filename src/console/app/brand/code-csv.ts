// Reading a CSV of product codes in the browser, before anything is sent:
// bad rows are reported by line, and good ones grouped per SKU and batch,
// because each registration names one SKU and one batch.

/** The service's own rule for a code: 4 to 128 printable ASCII characters, no spaces. */
const CODE = /^[\x21-\x7E]{4,128}$/;
const LABEL_MAX = 64;

export interface RejectedRow {
  /** 1-based line of the file. */
  line: number;
  code: string;
  reason: string;
}

export interface CodeGroup {
  sku: string;
  batch: string | null;
  codes: string[];
  /** The file's line of each code, to name it when the service refuses one. */
  lines: number[];
}

export interface ParsedCodes {
  groups: CodeGroup[];
  rejected: RejectedRow[];
  accepted: number;
}

/** One CSV line into cells: commas separate, double quotes enclose, "" is a quote. */
export function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',' || char === ';' || char === '\t') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/**
 * Columns `code`, `sku` and optionally `batch`, named in a header line (any
 * order, any case). Without a header, the columns are taken in that order.
 * `defaults` fill an empty SKU or batch cell.
 */
export function parseCodeCsv(text: string, defaults: { sku?: string; batch?: string } = {}): ParsedCodes {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let columns = { code: 0, sku: 1, batch: 2 };
  let start = 0;
  const header = csvCells(lines[0] ?? '').map((cell) => cell.toLowerCase());
  if (header.includes('code')) {
    columns = { code: header.indexOf('code'), sku: header.indexOf('sku'), batch: header.indexOf('batch') };
    start = 1;
  }
  const groups = new Map<string, CodeGroup>();
  const seen = new Set<string>();
  const rejected: RejectedRow[] = [];
  let accepted = 0;
  for (let index = start; index < lines.length; index++) {
    const raw = lines[index]!;
    if (raw.trim() === '') continue;
    const line = index + 1;
    const cells = csvCells(raw);
    const code = cells[columns.code] ?? '';
    const sku = (columns.sku >= 0 ? cells[columns.sku] : '') || defaults.sku?.trim() || '';
    const batch = (columns.batch >= 0 ? cells[columns.batch] : '') || defaults.batch?.trim() || '';
    const reason = !code
      ? 'The code is empty.'
      : !CODE.test(code)
        ? 'A code has 4 to 128 printable characters (letters, digits, punctuation) and no spaces.'
        : !sku
          ? 'The SKU is empty.'
          : sku.length > LABEL_MAX
            ? `The SKU is longer than ${LABEL_MAX} characters.`
            : batch.length > LABEL_MAX
              ? `The batch is longer than ${LABEL_MAX} characters.`
              : seen.has(code)
                ? 'The same code appears earlier in the file.'
                : null;
    if (reason) {
      rejected.push({ line, code, reason });
      continue;
    }
    seen.add(code);
    const key = JSON.stringify([sku, batch]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { sku, batch: batch || null, codes: [], lines: [] }));
    group.codes.push(code);
    group.lines.push(line);
    accepted++;
  }
  return { groups: [...groups.values()], rejected, accepted };
}

/** Splits a group into calls of at most `size` codes (the service takes up to 10,000; smaller calls move the bar more often). */
export function chunksOf(group: CodeGroup, size: number): CodeGroup[] {
  const chunks: CodeGroup[] = [];
  for (let i = 0; i < group.codes.length; i += size) {
    chunks.push({ ...group, codes: group.codes.slice(i, i + size), lines: group.lines.slice(i, i + size) });
  }
  return chunks;
}
