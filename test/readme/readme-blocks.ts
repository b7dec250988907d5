// Reads the runnable examples out of README.md, so the test follows the file as it changes.

export interface ReadmeBlock {
  /** 1-based line of the opening fence in README.md. */
  line: number;
  /** `sh` blocks are run; `file` blocks are saved under `filename` before the next `sh` block runs. */
  kind: 'sh' | 'file';
  code: string;
  filename?: string;
  /** The heading the block sits under, for test names. */
  section: string;
}

const BEGIN = '<!-- readme-test: begin';
const END = '<!-- readme-test: end';
const SKIP = '<!-- readme-test: skip -->';
const FENCE = /^(\s*)```(\S*)\s*$/;
// A ```js block whose first line names a module file, e.g. `// badge-check.mjs: ...`.
const FILE_COMMENT = /^\/\/\s*([\w.-]+\.m?js)\b/;

/**
 * The ```sh blocks between `<!-- readme-test: begin` and `<!-- readme-test: end -->`
 * (except those right after `<!-- readme-test: skip -->`), and the ```js blocks there
 * that name their file on their first line, in the order they appear.
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const begin = lines.findIndex((l) => l.trimStart().startsWith(BEGIN));
  const end = lines.findIndex((l, i) => i > begin && l.trimStart().startsWith(END));
  if (begin < 0 || end < 0) throw new Error(`README.md has no "${BEGIN} -->" ... "${END} -->" range of runnable examples.`);

  const blocks: ReadmeBlock[] = [];
  let section =
    lines
      .slice(0, begin)
      .findLast((l) => l.startsWith('#'))
      ?.replace(/^#+\s*/, '') ?? '';
  let skipNext = false;
  for (let i = begin; i < end; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) section = line.replace(/^#+\s*/, '');
    if (line.trim() === SKIP) skipNext = true;
    const open = FENCE.exec(line);
    if (!open) {
      if (line.trim() !== '' && line.trim() !== SKIP) skipNext = false;
      continue;
    }
    const indent = open[1]!.length;
    const lang = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < end && !/^\s*```\s*$/.test(lines[j]!); j++)
      body.push(lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)));
    if (j >= end) throw new Error(`README.md:${i + 1}: the code block is not closed before "${END}".`);
    const code = body.join('\n') + '\n';
    const filename = FILE_COMMENT.exec(body[0] ?? '')?.[1];
    if (!skipNext && (lang === 'sh' || lang === 'bash')) blocks.push({ line: i + 1, kind: 'sh', code, section });
    else if (!skipNext && (lang === 'js' || lang === 'javascript') && filename)
      blocks.push({ line: i + 1, kind: 'file', code, filename, section });
    skipNext = false;
    i = j;
  }
  return blocks;
}
