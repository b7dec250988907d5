// Runs README blocks one after another as if pasted into one terminal: each block runs in
// `bash -euo pipefail`, and the variables, functions and directory it leaves are carried to the next.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface BlockRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// Bash's own and read-only variables are not carried over.
const SAVE_STATE = `
{
  for __readme_var in $(compgen -v); do
    case "$__readme_var" in __readme_*|BASH*|PIPESTATUS|FUNCNAME|GROUPS|DIRSTACK|SHELLOPTS|PPID|UID|EUID|SHLVL|RANDOM|SRANDOM|SECONDS|LINENO|EPOCH*|HISTCMD|OPTIND|OPTARG|COMP_*|_) continue ;; esac
    __readme_decl=$(declare -p "$__readme_var")
    [[ "$__readme_decl" =~ ^declare\\ -[a-zA-Z]*r ]] && continue
    printf '%s\\n' "$__readme_decl"
  done
  declare -f
  printf 'cd %q\\n' "$PWD"
} > "$__readme_state"
`;

export class ShellSession {
  private readonly scripts = mkdtempSync(path.join(tmpdir(), 'readme-shell-'));
  private readonly state = path.join(this.scripts, 'state.sh');
  private count = 0;

  /** `cwd` is where the first block starts; `env` is the terminal's environment. */
  constructor(
    cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    writeFileSync(this.state, `cd '${cwd.replaceAll("'", "'\\''")}'\n`);
  }

  run(code: string, timeoutMs: number): Promise<BlockRun> {
    const script = path.join(this.scripts, `block-${++this.count}.sh`);
    writeFileSync(script, `__readme_state='${this.state}'\nsource "$__readme_state"\n${code}\n${SAVE_STATE}`);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-euo', 'pipefail', script], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        stderr += `\n[killed after ${timeoutMs / 1000} s]`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ exitCode, stdout, stderr, ms: Date.now() - started });
      });
    });
  }

  close(): void {
    rmSync(this.scripts, { recursive: true, force: true });
  }
}
