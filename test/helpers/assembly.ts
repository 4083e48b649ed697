import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The jsii assembly `npx projen compile` writes (with lib/). */
export const ASSEMBLY = path.join(ROOT, '.jsii');
/** Held by the one test process that compiles; the others wait for it (jest runs files in parallel). */
const LOCK = path.join(ROOT, '.tmp', 'jsii-build.lock');
/** The last failed compile's error and the src/ it was for, so that waiting processes report it at once. */
const FAILURE = path.join(ROOT, '.tmp', 'jsii-build.failed.json');
const WAIT_MS = 10 * 60_000;

/** The part of a jsii assembly the tests read. */
export interface Assembly {
  readonly name: string;
  readonly types: Record<string, any>;
}

/**
 * The JavaScript a successful compile always rewrites (jsii emits every file, noEmitOnError). A
 * failed compile can still rewrite .jsii (a TypeScript error) or lib/ (a jsii error), never both.
 */
const LIB_INDEX = path.join(ROOT, 'lib', 'index.js');

/**
 * Whether the assembly and lib/ exist and are newer than every file in src/ and build-tools/ (the
 * bundler that writes lib/index.js), so that they describe them.
 */
export function assemblyIsFresh(): boolean {
  const src = newestSource();
  return [ASSEMBLY, LIB_INDEX].every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= src);
}

/** The time of the last change in src/ or build-tools/. */
function newestSource(): number {
  return Math.max(newestIn(path.join(ROOT, 'src')), newestIn(path.join(ROOT, 'build-tools')));
}

function newestIn(dir: string): number {
  return Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) =>
    e.isDirectory() ? newestIn(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs));
}

/** The error of the last failed compile, when src/ has not changed since. */
function readFailure(): string | undefined {
  try {
    const failure = JSON.parse(fs.readFileSync(FAILURE, 'utf-8'));
    return failure.src === newestSource() ? failure.message : undefined;
  } catch {
    return undefined;
  }
}

let ready: Promise<void> | undefined;

/**
 * Makes .jsii and lib/ describe src/: when the assembly is missing or older than a file in src/,
 * runs `npx projen compile` once (one test process compiles under a lock file, the others wait
 * for it). Throws with the compiler's output when the build fails: a test never reads a stale
 * or missing assembly.
 */
export function ensureFreshAssembly(): Promise<void> {
  ready ??= build();
  return ready;
}

/** The assembly, built first when stale (see ensureFreshAssembly). */
export async function freshAssembly(): Promise<Assembly> {
  await ensureFreshAssembly();
  const assembly = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf-8')) as Assembly;
  if (!assembly.types || Object.keys(assembly.types).length === 0) {
    throw new Error(`${ASSEMBLY} declares no types: it does not describe src/ (run \`npx projen compile\`)`);
  }
  return assembly;
}

async function build(): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let waited = false;
  // Fresh files are not enough while another process compiles: jsii writes .jsii and its own
  // lib/index.js before the bundler replaces it, so the lock's release is waited for too.
  while (fs.existsSync(LOCK) || !assemblyIsFresh()) {
    // Another process just failed to compile this very src/: its error, without compiling again.
    const failure = waited ? readFailure() : undefined;
    if (failure) throw new Error(failure);
    if (takeLock()) {
      try {
        if (!assemblyIsFresh()) compile();
        fs.rmSync(FAILURE, { force: true });
      } catch (e: any) {
        fs.writeFileSync(FAILURE, JSON.stringify({ src: newestSource(), message: e.message }));
        throw e;
      } finally {
        fs.rmSync(LOCK, { force: true });
      }
      return;
    }
    waited = true;
    if (lockHolderIsGone()) {
      fs.rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`.jsii or lib/ is older than src/, and the test process that holds ${LOCK} has been compiling for more than ${WAIT_MS / 60_000} minutes`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function compile(): void {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'projen'), ['compile'], {
    cwd: ROOT,
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: WAIT_MS,
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] },
  });
  if (r.status !== 0) {
    throw new Error(`.jsii or lib/ is missing or older than src/, and building them with \`npx projen compile\` failed (${r.error?.message ?? `exit ${r.status}`}); `
      + `the tests that read the jsii assembly cannot run until src/ compiles:\n${r.stdout}\n${r.stderr}`);
  }
}

function takeLock(): boolean {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e: any) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
}

/** Whether the process named in the lock file has exited (it was killed before removing it). */
function lockHolderIsGone(): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(LOCK, 'utf-8'));
  } catch {
    return false; // released meanwhile: the loop looks again
  }
  if (!pid) { // being written, or left empty by a crash
    const stat = fs.statSync(LOCK, { throwIfNoEntry: false });
    return stat !== undefined && Date.now() - stat.mtimeMs > 10_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e: any) {
    return e.code === 'ESRCH';
  }
}
