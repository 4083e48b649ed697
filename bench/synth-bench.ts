/**
 * Synthesis benchmark: how much do the pipelines add to `npx projen`, and how does a monorepo
 * grow with its number of packages?
 *
 *   npx projen bench            (or: ts-node --transpile-only --project test/tsconfig.json bench/synth-bench.ts)
 *
 * Every case runs in a child process of its own: a warm-up synthesis, then RUNS timed ones (the
 * median is reported); peak memory (maxRSS) comes from a separate child that synthesizes once.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { github, Project, python } from 'projen';
import { PypiPublishPipeline, PythonReleasePipeline } from '../src';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function pythonProject(outdir: string): Project {
  return new python.PythonProject({
    name: 'bench-pkg', moduleName: 'bench_pkg', authorName: 'Bench', authorEmail: 'bench@example.com',
    version: '0.1.0', outdir, venv: true, pip: true, setuptools: true,
  });
}

/** Builds the project of a case in a fresh directory (not yet synthesized). */
function build(kind: string): Project {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-'));
  if (kind === 'bare') return pythonProject(outdir);
  if (kind === 'pipelines') {
    const project = pythonProject(outdir);
    new PythonReleasePipeline(project, { distributionName: 'bench-pkg' });
    new PypiPublishPipeline(project, { distributionName: 'bench-pkg' });
    return project;
  }
  const packages = Number(kind.replace('monorepo-', ''));
  const project = new Project({ name: 'bench-monorepo', outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  for (let i = 0; i < packages; i++) {
    const options = { distributionName: `pkg-${i}`, packageDir: `packages/pkg-${i}` };
    new PythonReleasePipeline(project, options);
    new PypiPublishPipeline(project, options);
  }
  return project;
}

function synthOnce(kind: string): number {
  const project = build(kind);
  const start = performance.now();
  project.synth();
  const ms = performance.now() - start;
  fs.rmSync(project.outdir, { recursive: true, force: true });
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** In a child: prints {"ms": median, "rssMB": maxRSS} for one case. */
function child(kind: string, mode: string): void {
  if (mode === 'time') {
    synthOnce(kind); // warm-up: module loading and JIT
    const times = Array.from({ length: RUNS }, () => synthOnce(kind));
    process.stdout.write(JSON.stringify({ ms: median(times) }));
  } else {
    synthOnce(kind);
    process.stdout.write(JSON.stringify({ rssMB: process.resourceUsage().maxRSS / 1024 }));
  }
}

function measure(kind: string, mode: string): any {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register', __filename, '--child', kind, mode], {
    env: { ...process.env, PROJEN_DISABLE_POST: '1', TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') },
    encoding: 'utf-8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function main(): void {
  const lines: string[] = [];
  const log = (s: string) => { lines.push(s); console.log(s); };
  log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} runs after a warm-up.`);
  log('');
  const bare = measure('bare', 'time').ms;
  const piped = measure('pipelines', 'time').ms;
  log('| project | synth time (median) |');
  log('|---|---|');
  log(`| projen PythonProject | ${bare.toFixed(1)} ms |`);
  log(`| the same + PythonReleasePipeline + PypiPublishPipeline | ${piped.toFixed(1)} ms (×${(piped / bare).toFixed(2)}) |`);
  log('');
  const base = measure('monorepo-0', 'memory').rssMB;
  log(`| monorepo packages | synth time | per package | peak RSS | RSS per package |`);
  log('|---|---|---|---|---|');
  for (const n of [1, 10, 100]) {
    const { ms } = measure(`monorepo-${n}`, 'time');
    const { rssMB } = measure(`monorepo-${n}`, 'memory');
    log(`| ${n} | ${ms.toFixed(1)} ms | ${(ms / n).toFixed(1)} ms | ${rssMB.toFixed(0)} MB | ${((rssMB - base) / n).toFixed(2)} MB |`);
  }
  log('');
  log(`(peak RSS of the same process with no package: ${base.toFixed(0)} MB)`);
  if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, lines.join('\n') + '\n');
}

const i = process.argv.indexOf('--child');
if (i >= 0) child(process.argv[i + 1], process.argv[i + 2]);
else main();
