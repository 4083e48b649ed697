/**
 * Synthesis benchmark: what do the pipelines add to a `npx projen` run, how does a monorepo grow
 * with its number of packages, and how many jobs are on each workflow's critical path?
 *
 *   npx projen bench     (ts-node --transpile-only --project test/tsconfig.json bench/synth-bench.ts)
 *
 * It measures the library as the npm package ships it: lib/ as `npx projen compile` leaves it (src/
 * bundled into one lib/index.js by build-tools/bundle-lib.ts, beside jsii's type declarations),
 * which the task builds first.
 * Every measurement is a whole process of its own (bench/synth-child.js: load projen and the
 * library, build the project, synthesize once, exit), timed from spawn to exit; the cases run
 * interleaved and the median is reported. The critical paths come from the construct tree of a
 * default project, in a child too. Environment: BENCH_RUNS (default 41), BENCH_MONOREPO_RUNS
 * (default 5, for 100 packages), BENCH_OUT (also write the report there), BENCH_LIB (another
 * build's lib/index.js to measure, e.g. an older commit's), BENCH_NODE (the node binary the
 * measured processes run, e.g. another Node line's; default: the one running the bench).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const LIB = path.resolve(process.env.BENCH_LIB ?? path.join(ROOT, 'lib', 'index.js'));
const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const MONOREPO_RUNS = Number(process.env.BENCH_MONOREPO_RUNS ?? 5);
const NODE = process.env.BENCH_NODE ? path.resolve(process.env.BENCH_NODE) : process.execPath;
const PACKAGES = [1, 10, 100];

interface Sample {
  /** Spawn to exit, as the parent saw it. */
  readonly wallMs: number;
  /** Milliseconds since the child started, at the end of each phase. */
  readonly projenLoaded: number;
  readonly libLoaded: number;
  readonly built: number;
  readonly synthesized: number;
  readonly files: number;
  /** CPU time (user + system) of the child up to the end of synthesis. */
  readonly cpuMs: number;
  readonly rssMB: number;
  /** How many of the library's modules the process loaded. */
  readonly libModules: number;
}

function runChild(kind: string, lib: string, tmp: string): Sample {
  return spawnChild(kind, lib, tmp) as Sample;
}

function spawnChild(kind: string, lib: string, tmp: string): any {
  const outdir = fs.mkdtempSync(path.join(tmp, `${kind}-`));
  const start = performance.now();
  const child = spawnSync(NODE, [path.join(__dirname, 'synth-child.js'), kind, outdir, lib], {
    cwd: outdir,
    // The child finds projen in this repository's node_modules, as a user's .projenrc would.
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), PROJEN_DISABLE_POST: '1', NODE_OPTIONS: '' },
    encoding: 'utf-8',
  });
  const wallMs = performance.now() - start;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`bench case "${kind}" failed (exit ${child.status}):\n${child.stderr}`);
  return { wallMs, ...JSON.parse(child.stdout.trim().split('\n').pop()!) };
}

/** Runs the cases `runs` times each, interleaved (a, b, a, b, ...), so drift hits them alike. */
function measure(kinds: string[], runs: number, lib: string, tmp: string): Map<string, Sample[]> {
  const samples = new Map(kinds.map((k) => [k, [] as Sample[]]));
  for (const kind of kinds) runChild(kind, lib, tmp); // warm the file system cache
  for (let i = 0; i < runs; i++) for (const kind of kinds) samples.get(kind)!.push(runChild(kind, lib, tmp));
  return samples;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * A 95% interval of median(b) / median(a) by resampling both sets of runs (bootstrap, fixed seed):
 * how far the ratio of one bench run can be trusted on a noisy machine.
 */
function ratioInterval(a: number[], b: number[], rounds = 2000): [number, number] {
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const resample = (xs: number[]) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const ratios = Array.from({ length: rounds }, () => median(resample(b)) / median(resample(a))).sort((x, y) => x - y);
  return [ratios[Math.floor(rounds * 0.025)], ratios[Math.ceil(rounds * 0.975) - 1]];
}

/** The median of one figure of a case's samples. */
function med(samples: Sample[], figure: (s: Sample) => number): number {
  return median(samples.map(figure));
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const mib = (x: number) => `${x.toFixed(0)} MiB`;

/** The jobs on the critical path of the release and publish workflows of a default project. */
function criticalPaths(lib: string, tmp: string): string[] {
  const { workflows } = spawnChild('graph', lib, tmp);
  return (workflows as { fileName: string; jobs: number; criticalPath?: string[] }[]).map((wf) =>
    `| ${wf.fileName} | ${wf.jobs} | ${wf.criticalPath?.length ?? '(no JobGraph.criticalPath)'} | ${wf.criticalPath?.join(' → ') ?? ''} |`);
}

function main(): void {
  const lines: string[] = [];
  const log = (s = '') => { lines.push(s); console.log(s); };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-bench-'));
  try {
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf-8' }).stdout?.trim();
    if (!nodeVersion) throw new Error(`BENCH_NODE: "${NODE}" does not run (node --version printed nothing). Give the path of a node binary.`);
    log(`Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${nodeVersion}, projen ${require('projen/package.json').version}.`);
    log(`Whole processes (spawn to exit), median of ${RUNS} (100 packages: ${MONOREPO_RUNS}), cases interleaved; load average ${os.loadavg()[0].toFixed(1)} at the start.`);
    if (os.loadavg()[0] > os.cpus().length / 2) log('(Warning: the machine is busy; other processes skew the wall-clock figures, the CPU times less so.)');
    log();

    const single = measure(['bare', 'pipelines'], RUNS, LIB, tmp);
    const bare = single.get('bare')!;
    const piped = single.get('pipelines')!;
    const bareWall = med(bare, (s) => s.wallMs);
    const pipedWall = med(piped, (s) => s.wallMs);
    const fastest = (samples: Sample[]) => Math.min(...samples.map((s) => s.wallMs));
    log('| project | whole process (median) | (fastest) | CPU time | load library | build + synth() | files | peak RSS |');
    log('|---|---|---|---|---|---|---|---|');
    for (const [label, samples] of [['projen `python.PythonProject`', bare], ['the same + `PythonReleasePipeline` + `PypiPublishPipeline`', piped]] as const) {
      log(`| ${label} | ${ms(med(samples, (s) => s.wallMs))} | ${ms(fastest(samples))} | ${ms(med(samples, (s) => s.cpuMs))} | ${ms(med(samples, (s) => s.libLoaded - s.projenLoaded))} | ${ms(med(samples, (s) => s.synthesized - s.libLoaded))} | ${samples[0].files} | ${mib(med(samples, (s) => s.rssMB))} |`);
    }
    log();
    const [low, high] = ratioInterval(bare.map((s) => s.wallMs), piped.map((s) => s.wallMs));
    const inProcess = med(piped, (s) => s.synthesized - s.projenLoaded) - med(bare, (s) => s.synthesized - s.projenLoaded);
    const ratio = pipedWall / bareWall;
    log(`**Whole-process ratio with / without the pipelines: ×${ratio.toFixed(2)}** (exact ${ratio.toFixed(3)}, ${ratio <= 1.1 ? 'within' : 'over'} the ×1.10 target; +${ms(pipedWall - bareWall)}; 95% interval ×${low.toFixed(2)}–×${high.toFixed(2)}; fastest runs ×${(fastest(piped) / fastest(bare)).toFixed(2)}; CPU time ×${(med(piped, (s) => s.cpuMs) / med(bare, (s) => s.cpuMs)).toFixed(2)}; peak RSS ${mib(med(bare, (s) => s.rssMB))} → ${mib(med(piped, (s) => s.rssMB))}).`);
    log(`Timed inside the processes, loading the library, building and synthesizing add ${ms(inProcess)} (×${((bareWall + inProcess) / bareWall).toFixed(2)} of the bare whole process).`);
    log(`Library modules loaded: ${med(piped, (s) => s.libModules)} (lib/index.js, the bundle; the functions the generated scripts embed are in it as their text).`);
    log();

    // 0, 1 and 10 packages as many times as the single projects; 100 packages (seconds each) fewer times.
    const mono = new Map([
      ...measure(['monorepo-0', ...PACKAGES.filter((n) => n < 100).map((n) => `monorepo-${n}`)], RUNS, LIB, tmp),
      ...measure(PACKAGES.filter((n) => n >= 100).map((n) => `monorepo-${n}`), MONOREPO_RUNS, LIB, tmp),
    ]);
    const base = mono.get('monorepo-0')!;
    const baseWall = med(base, (s) => s.wallMs);
    const baseWork = med(base, (s) => s.synthesized - s.libLoaded);
    const baseRss = med(base, (s) => s.rssMB);
    log('Monorepo: one projen `Project` with a release and a publish pipeline per package (`packageDir`). "Per package": the difference to the same project with no package, divided by the number of packages; build + synth() is timed inside the process (library loaded), the whole process from spawn to exit.');
    log();
    log('| packages | files | build | synth() | build + synth() per package | whole process | whole process per package | peak RSS | RSS per package |');
    log('|---|---|---|---|---|---|---|---|---|');
    for (const n of PACKAGES) {
      const s = mono.get(`monorepo-${n}`)!;
      const wall = med(s, (x) => x.wallMs);
      const work = med(s, (x) => x.synthesized - x.libLoaded);
      const rss = med(s, (x) => x.rssMB);
      log(`| ${n} | ${s[0].files} | ${ms(med(s, (x) => x.built - x.libLoaded))} | ${ms(med(s, (x) => x.synthesized - x.built))} | **${ms((work - baseWork) / n)}** | ${ms(wall)} | ${ms((wall - baseWall) / n)} | ${mib(rss)} | ${((rss - baseRss) / n).toFixed(2)} MiB |`);
    }
    log();
    log(`(the same project with no package: ${ms(baseWall)} whole process, ${base[0].files} files, ${mib(baseRss)} peak RSS; load average ${os.loadavg()[0].toFixed(1)} at the end)`);
    log();

    log('Critical path (the longest `needs` chain, from the construct tree):');
    log();
    log('| workflow | jobs | jobs on the critical path | critical path |');
    log('|---|---|---|---|');
    for (const line of criticalPaths(LIB, tmp)) log(line);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, lines.join('\n') + '\n');
}

main();
