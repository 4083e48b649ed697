import { spawn } from 'child_process';

/** What one command did. */
export interface CommandResult {
  /** The command line, as given. */
  readonly command: string;
  /** Exit status (null when killed). */
  readonly status: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
  /** Wall-clock seconds. */
  readonly seconds: number;
}

/** Options of `runBash`. */
export interface RunBashOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** @default 180000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a command line the way a GitHub `run:` step with `shell: bash` does
 * (`bash --noprofile --norc -eo pipefail`), asynchronously, so that several toolchains can run
 * side by side. Never rejects: a failure is in `status` and `output`. A command that outlives
 * `timeoutMs` is killed with its whole process group.
 */
export function runBash(command: string, options: RunBashOptions): Promise<CommandResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    const timer = setTimeout(() => {
      chunks.push(Buffer.from(`\n[killed after ${options.timeoutMs ?? 180000} ms]\n`));
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.timeoutMs ?? 180000);
    const finish = (status: number | null, extra = '') => {
      clearTimeout(timer);
      resolve({ command, status, output: Buffer.concat(chunks).toString('utf-8') + extra, seconds: (Date.now() - start) / 1000 });
    };
    child.on('error', (e) => finish(null, `\n${e.message}`));
    child.on('close', (code) => finish(code));
  });
}

/** The last `lines` lines of a command's output, for a failure message. */
export function tail(output: string, lines = 60): string {
  const all = output.trimEnd().split('\n');
  return (all.length > lines ? ['...', ...all.slice(-lines)] : all).join('\n');
}

/** A failure message that says which command failed, in which directory, and what it printed. */
export function explain(r: CommandResult, cwd?: string): string {
  return `\`${r.command}\`${cwd ? ` (in ${cwd})` : ''} exited ${r.status} after ${r.seconds.toFixed(1)}s:\n${tail(r.output)}`;
}
