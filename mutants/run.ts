/**
 * `npx projen mutants`: applies each mutant of mutants/mutants.ts in turn to a scratch copy of the
 * repository, runs the test expected to kill it (`CI=true npx jest --ci --coverage=false <files>
 * --testNamePattern <killer>`), and prints killed or survived, which test killed it, and the ratio.
 * First it checks that every mutant still applies (its search text occurs exactly once in src/)
 * and, on the unmutated copy, that every killer names a test that passes. Each run gets a TMPDIR
 * of its own, listed before and after, and processes it leaves running are reported (and ended).
 *
 * Options: `--only <text>` (mutants whose name contains it), `--list`, `--no-baseline`, `--keep`
 * (keep the scratch copy), `--timeout <seconds>` (per mutant, default 900), `--leftovers` (no
 * mutant: run the whole suite once on the copy and list what its tests leave in their TMPDIR or
 * running).
 * Results: `.tmp/mutants/results.json` and one log per mutant in `.tmp/mutants/`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { JestOutcome, runJest } from './jest-run';
import { literalPattern, Mutant, occurrences } from './mutant';
import { MUTANTS } from './mutants';
import { listing, machine, processesWithMarker, ScratchRepo } from './scratch';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, '.tmp', 'mutants');
const MARKER = 'PPP_MUTANT_RUN';

type Status = 'killed' | 'survived' | 'invalid';

interface Result {
  readonly name: string;
  readonly status: Status;
  readonly why: string;
  readonly killedBy: string[];
  readonly seconds: number;
  /** What the run left behind (a test's fault, unless a suite could not run: then no hook ran). */
  readonly leftovers: string[];
  readonly suiteFailed: boolean;
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Problems that make the list unusable: a mutant that no longer applies to src/, or a bad entry. */
function checkList(mutants: Mutant[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const m of mutants) {
    const where = `mutant "${m.name}"`;
    if (names.has(m.name)) problems.push(`${where}: the name is used twice`);
    names.add(m.name);
    if (!m.file.startsWith('src/')) problems.push(`${where}: ${m.file} is not under src/`);
    const file = path.join(REPO, m.file);
    if (!fs.existsSync(file)) {
      problems.push(`${where}: ${m.file} does not exist`);
      continue;
    }
    const count = occurrences(fs.readFileSync(file, 'utf-8'), m.search);
    if (count !== 1) problems.push(`${where}: its search text occurs ${count} times in ${m.file} (must be exactly once): ${JSON.stringify(m.search.slice(0, 120))}`);
    if (m.search === m.replace) problems.push(`${where}: the replacement is the search text`);
    if (!m.killer.trim()) problems.push(`${where}: no killer test named`);
    for (const t of m.tests) if (!fs.existsSync(path.join(REPO, t))) problems.push(`${where}: test file ${t} does not exist`);
  }
  return problems;
}

function classify(m: Mutant, o: JestOutcome): Pick<Result, 'status' | 'why' | 'killedBy'> {
  const compile = o.suiteErrors.filter((e) => e.compile);
  if (compile.length) return { status: 'invalid', why: `does not compile: ${compile[0].message}`, killedBy: [] };
  if (o.timedOut) return { status: 'killed', why: 'timeout', killedBy: ['(timeout)'] };
  const killedBy = [...o.failed, ...o.suiteErrors.map((e) => `${e.file} could not run: ${e.message}`)];
  if (killedBy.length) return { status: 'killed', why: '', killedBy };
  if (o.ran === 0) return { status: 'invalid', why: `no test matches the killer "${m.killer}"`, killedBy: [] };
  if (o.code !== 0) return { status: 'invalid', why: `jest exited ${o.code} with no failed test`, killedBy: [] };
  return { status: 'survived', why: `${o.ran} test(s) passed`, killedBy: [] };
}

/** What a run left: entries of its TMPDIR, and processes carrying its marker (ended here). */
function leftovers(tmp: string, runId: string): string[] {
  const found = listing(tmp).map((f) => `temp: ${f}`);
  for (const p of processesWithMarker(MARKER, runId)) {
    found.push(`process ${p.pid}: ${p.command.slice(0, 160)}`);
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  return found;
}

function runOptions(scratch: ScratchRepo, name: string, files: string[], namePattern: string, timeoutSeconds: number) {
  const tmp = scratch.freshTmp(name);
  return {
    tmp,
    options: {
      cwd: scratch.dir,
      files,
      namePattern: namePattern || undefined,
      cacheDirectory: path.join(scratch.root, 'jest-cache'),
      reportFile: path.join(scratch.root, `${name}.json`),
      env: { TMPDIR: tmp, [MARKER]: name, DISABLE_V8_COMPILE_CACHE: '1' },
      timeoutSeconds,
    },
  };
}

/** Runs every killer on the unmutated copy: each must name a test, and all must pass. */
async function baseline(scratch: ScratchRepo, mutants: Mutant[], timeoutSeconds: number): Promise<string[]> {
  const files = [...new Set(mutants.flatMap((m) => m.tests))].sort();
  const killers = [...new Set(mutants.map((m) => m.killer))];
  const { tmp, options } = runOptions(scratch, 'baseline', files, killers.map((k) => `(${literalPattern(k)})`).join('|'), timeoutSeconds * 4);
  const o = await runJest(options);
  fs.writeFileSync(path.join(OUT, 'baseline.log'), o.log);
  const problems = [
    ...o.failed.map((t) => `fails without any mutant: ${t}`),
    ...o.suiteErrors.map((e) => `${e.file} cannot run without any mutant: ${e.message}`),
    ...(o.timedOut ? ['the baseline run timed out'] : []),
    ...leftovers(tmp, 'baseline').map((l) => `left behind by the unmutated tests: ${l}`),
  ];
  const report = JSON.parse(fs.existsSync(options.reportFile) ? fs.readFileSync(options.reportFile, 'utf-8') : '{"testResults":[]}');
  const ran: string[] = report.testResults.flatMap((s: any) => s.assertionResults.filter((t: any) => t.status === 'passed').map((t: any) => t.fullName));
  for (const k of killers) if (!ran.some((n) => n.includes(k))) problems.push(`no passing test is named like the killer "${k}"`);
  console.log(`baseline: ${ran.length} tests of ${files.length} files passed in ${o.seconds.toFixed(0)}s`);
  return problems;
}

/** Runs the whole suite once on the unmutated copy and lists what its tests leave behind. */
async function suiteLeftovers(scratch: ScratchRepo, timeoutSeconds: number): Promise<number> {
  const { tmp, options } = runOptions(scratch, 'suite', [], '', timeoutSeconds * 4);
  const o = await runJest(options);
  fs.writeFileSync(path.join(OUT, 'suite.log'), o.log);
  const left = leftovers(tmp, 'suite');
  console.log(`the whole suite: ${o.ran} tests ran, ${o.failed.length} failed, in ${o.seconds.toFixed(0)}s`);
  for (const l of left) console.log(`  left behind: ${l}`);
  console.log(left.length ? `${left.length} thing(s) left behind (log: ${path.relative(REPO, path.join(OUT, 'suite.log'))})` : 'nothing left behind in its TMPDIR, no process left running');
  return left.length || o.failed.length || o.suiteErrors.length ? 1 : 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = argValue(args, '--only');
  const timeoutSeconds = Number(argValue(args, '--timeout') ?? 900);
  const selected = MUTANTS.filter((m) => !only || m.name.includes(only));
  const problems = checkList(MUTANTS);
  if (problems.length) {
    console.error(`mutants/mutants.ts is out of step with src/ (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 2;
  }
  if (args.includes('--list')) {
    for (const m of MUTANTS) console.log(`${m.name}\n    ${m.file}; killed by: ${m.killer} (${m.tests.join(', ')})`);
    console.log(`${MUTANTS.length} mutants`);
    return 0;
  }
  if (selected.length === 0) {
    console.error(`no mutant's name contains "${only}"`);
    return 2;
  }
  fs.mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  const scratch = ScratchRepo.create(REPO);
  const cleanup = () => { if (!args.includes('--keep')) scratch.remove(); };
  process.on('SIGINT', () => { cleanup(); process.exit(130); });
  try {
    console.log(`scratch copy: ${scratch.dir}`);
    if (args.includes('--leftovers')) return await suiteLeftovers(scratch, timeoutSeconds);
    if (!args.includes('--no-baseline')) {
      const wrong = await baseline(scratch, selected, timeoutSeconds);
      if (wrong.length) {
        console.error(`the unmutated tests are not a baseline (${wrong.length} problem(s)):\n${wrong.map((p) => `  - ${p}`).join('\n')}\n(log: ${path.join(OUT, 'baseline.log')})`);
        return 2;
      }
    }
    const results: Result[] = [];
    for (const [i, m] of selected.entries()) {
      const original = scratch.read(m.file);
      scratch.write(m.file, original.replace(m.search, () => m.replace));
      const id = `m${String(i + 1).padStart(3, '0')}`;
      const { tmp, options } = runOptions(scratch, id, m.tests, literalPattern(m.killer), timeoutSeconds);
      let outcome: JestOutcome;
      try {
        outcome = await runJest(options);
      } finally {
        scratch.write(m.file, original);
      }
      fs.writeFileSync(path.join(OUT, `${id}.log`), `mutant: ${m.name}\nfile: ${m.file}\n\n${outcome.log}`);
      const result: Result = {
        name: m.name,
        ...classify(m, outcome),
        seconds: outcome.seconds,
        leftovers: leftovers(tmp, id),
        suiteFailed: outcome.suiteErrors.length > 0,
      };
      results.push(result);
      const label = result.status.toUpperCase().padEnd(8);
      const detail = result.status === 'killed' ? `by: ${result.killedBy.slice(0, 2).join(' | ')}` : result.why;
      console.log(`[${String(i + 1).padStart(2)}/${selected.length}] ${label} ${m.name} (${outcome.seconds.toFixed(0)}s) ${detail}`);
      for (const l of result.leftovers) console.log(`         left behind${result.suiteFailed ? ' (a suite could not run, so its afterAll did not either)' : ''}: ${l}`);
    }
    const killed = results.filter((r) => r.status === 'killed').length;
    const survived = results.filter((r) => r.status === 'survived');
    const invalid = results.filter((r) => r.status === 'invalid');
    const left = results.filter((r) => r.leftovers.length && !r.suiteFailed);
    const minutes = (Date.now() - started) / 60_000;
    const summary = {
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      killed,
      total: results.length,
      ratio: results.length ? killed / results.length : 0,
      minutes: Math.round(minutes * 10) / 10,
      survived: survived.map((r) => r.name),
      invalid: invalid.map((r) => `${r.name}: ${r.why}`),
      leftovers: left.map((r) => `${r.name}: ${r.leftovers.join('; ')}`),
      results,
    };
    fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(summary, null, 2));
    console.log('');
    console.log(`Mutants: ${killed}/${results.length} killed (${(summary.ratio * 100).toFixed(1)}%), ${survived.length} survived, ${invalid.length} invalid, in ${minutes.toFixed(1)} min`);
    console.log(`${summary.date}, ${summary.machine}`);
    for (const r of survived) console.log(`  survived: ${r.name}`);
    for (const r of invalid) console.log(`  invalid:  ${r.name}: ${r.why}`);
    for (const r of left) console.log(`  left behind by ${r.name}: ${r.leftovers.join('; ')}`);
    console.log(`(results: ${path.relative(REPO, path.join(OUT, 'results.json'))}; logs: ${path.relative(REPO, OUT)}/)`);
    return survived.length || invalid.length || left.length ? 1 : 0;
  } finally {
    cleanup();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(2);
});
