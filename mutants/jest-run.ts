import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** What one jest run found. */
export interface JestOutcome {
  /** jest's exit code (null when it was stopped). */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  /** Tests that ran (not skipped by the name pattern). */
  readonly ran: number;
  /** Full names of the tests that failed. */
  readonly failed: string[];
  /** Test files that could not run at all, with the first line of why. */
  readonly suiteErrors: Array<{ file: string; message: string; compile: boolean }>;
  /** jest's whole output. */
  readonly log: string;
}

/** How to run jest. */
export interface JestRunOptions {
  /** The repository copy to run in. */
  readonly cwd: string;
  readonly files: string[];
  /** A regular expression for --testNamePattern, if any. */
  readonly namePattern?: string;
  /** jest's cache (kept between runs, so that only the mutated file is compiled again). */
  readonly cacheDirectory: string;
  /** Where the JSON report goes. */
  readonly reportFile: string;
  /** Extra environment (TMPDIR, the run's marker). */
  readonly env: Record<string, string>;
  readonly timeoutSeconds: number;
}

/**
 * Runs `CI=true npx jest --ci --coverage=false <files>` (with `--testNamePattern`), in its own
 * process group so that a timeout stops everything it started, and reads its JSON report.
 */
export function runJest(o: JestRunOptions): Promise<JestOutcome> {
  const args = [
    path.join(o.cwd, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--ci', '--coverage=false', '--json', `--outputFile=${o.reportFile}`, `--cacheDirectory=${o.cacheDirectory}`,
    ...(o.namePattern ? ['--testNamePattern', o.namePattern] : []),
    ...o.files,
  ];
  fs.rmSync(o.reportFile, { force: true });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: o.cwd,
      env: { ...process.env, ...o.env, CI: 'true', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, o.timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, seconds: (Date.now() - started) / 1000, log, ...readReport(o.reportFile, o.cwd) });
    });
  });
}

function readReport(file: string, cwd: string): Pick<JestOutcome, 'ran' | 'failed' | 'suiteErrors'> {
  if (!fs.existsSync(file)) return { ran: 0, failed: [], suiteErrors: [{ file: '(jest)', message: 'jest wrote no report', compile: false }] };
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  let ran = 0;
  const failed: string[] = [];
  const suiteErrors: JestOutcome['suiteErrors'] = [];
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'passed' || t.status === 'failed') ran++;
      if (t.status === 'failed') failed.push(t.fullName);
    }
    if (suite.status === 'failed' && !tests.some((t: any) => t.status === 'failed')) {
      const message = String(suite.message ?? '').replace(/\x1b\[[0-9;]*m/g, '');
      const first = message.split('\n').map((l) => l.trim()).find((l) => l && !/^●|Test suite failed to run/.test(l)) ?? 'failed';
      suiteErrors.push({ file: path.relative(cwd, suite.name), message: first.slice(0, 200), compile: /error TS\d+|Unable to compile TypeScript/.test(message) });
    }
  }
  return { ran, failed, suiteErrors };
}
