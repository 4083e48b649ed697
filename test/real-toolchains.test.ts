import * as fs from 'fs';
import * as path from 'path';
import { PythonReleasePipeline, PythonToolchain, VersionStrategy } from '../src';
import { allSteps, newProject, parseWorkflow, synthWorkflows } from './helpers/project';
import { copyExample, distributions, ExamplePackage, EXAMPLE_PACKAGES, readMetadata, readToml } from './helpers/real/example-packages';
import { JobRun, JobStep, runJob, setupPython, toolsOnly } from './helpers/real/job';
import { CommandResult, explain } from './helpers/real/run';
import { ToolSandbox } from './helpers/real/sandbox';
import { describeWithTools, haveTool, tool } from './helpers/tools';

/**
 * Every toolchain but pixi (not on PyPI) runs its real default commands, exactly as
 * `PythonToolchain.<x>()` defines them, with today's uv, poetry and hatch (the tools environment)
 * and pip in a fresh venv, on a real example package made for it (test/fixtures), with its
 * dependencies from PyPI. The check job runs install, lint, type-check, security-check and test
 * (the coverage report must appear); the release job, in a fresh copy as on a runner, runs the
 * release.yml set-version step, checks that the lock agrees with the new version where the tool
 * locks the project's own version, and builds (a wheel and an sdist of that version).
 *
 * The four toolchains run side by side (their check and release jobs too); one uv, pip and
 * poetry cache per test run.
 */

type Name = keyof typeof EXAMPLE_PACKAGES;

const TOOLCHAINS: { readonly [N in Name]: () => PythonToolchain } = {
  uv: () => PythonToolchain.uv(),
  poetry: () => PythonToolchain.poetry(),
  hatch: () => PythonToolchain.hatch(),
  pip: () => PythonToolchain.pip(),
};
const CHECK_KEYS = ['install', 'lint', 'typeCheck', 'securityCheck', 'test'];
const COVERAGE_REPORT = 'coverage.xml';
const RELEASE_VERSION = '1.2.3';
/** REAL_TOOLCHAINS=uv,hatch runs only those (while working on one); see also REAL_TOOLCHAINS_LOG below. */
const SELECTED = (process.env.REAL_TOOLCHAINS?.split(',') ?? Object.keys(TOOLCHAINS)) as Name[];

/** The release job's set-version step of release.yml for this toolchain (VersionStrategy.pyproject()). */
function releaseSetVersion(toolchain: PythonToolchain): string {
  const project = newProject('example-pkg');
  try {
    const pipeline = new PythonReleasePipeline(project, { distributionName: 'example-pkg', toolchain, versionStrategy: VersionStrategy.pyproject() });
    const wf = parseWorkflow(synthWorkflows(project)[pipeline.fileName]);
    const steps = allSteps(wf).filter(({ step }) => step.id === 'set-version');
    if (steps.length !== 1 || !steps[0].step.run) throw new Error(`release.yml has ${steps.length} set-version steps`);
    return steps[0].step.run;
  } finally {
    fs.rmSync(project.outdir, { recursive: true, force: true });
  }
}

/** The lock check after set-version: the next release's locked install must accept the lock. */
const LOCK_CHECK: { readonly [N in Name]?: string } = {
  uv: 'uv lock --check',
  poetry: 'poetry check --lock',
};

interface ToolchainRun {
  readonly toolchain: PythonToolchain;
  readonly pkg: ExamplePackage;
  readonly setVersion: string;
  readonly check: JobRun;
  readonly release: JobRun;
}

async function runToolchain(sandbox: ToolSandbox, name: Name): Promise<ToolchainRun> {
  const toolchain = TOOLCHAINS[name]();
  const pkg = EXAMPLE_PACKAGES[name];
  const setVersion = releaseSetVersion(toolchain);
  const job = async (kind: 'check' | 'release', steps: JobStep[]): Promise<JobRun> => {
    const dir = copyExample(pkg, path.join(sandbox.root, `${name}-${kind}`));
    // pip: a fresh venv per job, as setup-python gives; the others: a plain Python and the tool
    const python = await setupPython(sandbox, `${name}-${kind}-python`);
    const bin = name === 'pip' ? [python] : [python, toolsOnly(sandbox, ['uv', 'uvx', 'poetry', 'hatch'])];
    // uv: its Python pinned (setup-uv's python-version), since uv skips a venv's python on PATH
    const uvPython: Record<string, string> = name === 'uv' ? { UV_PYTHON: path.join(python, 'python') } : {};
    return runJob(dir, sandbox.env(bin, { VERSION: RELEASE_VERSION, ...uvPython }), steps);
  };
  const commands = (keys: string[]): JobStep[] => keys
    .map((key) => ({ key, command: toolchain.command(key) }))
    .filter((s): s is JobStep => s.command !== undefined);
  const [check, release] = await Promise.all([
    job('check', commands(CHECK_KEYS)),
    job('release', [
      { key: 'setVersion', command: setVersion },
      ...(LOCK_CHECK[name] ? [{ key: 'lockCheck', command: LOCK_CHECK[name]! }] : []),
      ...commands(['buildDistributions']),
    ]),
  ]);
  return { toolchain, pkg, setVersion, check, release };
}

function expectOk(r: CommandResult | undefined, dir: string): void {
  if (!r) throw new Error('the step did not run');
  if (r.status !== 0) throw new Error(explain(r, dir));
}

describeWithTools('every toolchain but pixi runs its real default commands on a real package', {
  'uv (tools)': haveTool(tool('uv')),
  'poetry (tools)': haveTool(tool('poetry')),
  'hatch (tools)': haveTool(tool('hatch')),
}, () => {
  let sandbox: ToolSandbox;
  const runs = new Map<Name, ToolchainRun>();

  beforeAll(async () => {
    sandbox = ToolSandbox.create('ppp-real-toolchains-');
    const start = Date.now();
    const names = SELECTED;
    const done = await Promise.all(names.map((n) => runToolchain(sandbox, n)));
    names.forEach((n, i) => runs.set(n, done[i]));
    const seconds = (Date.now() - start) / 1000;
    const rows = [...runs.entries()].flatMap(([n, r]) => [r.check, r.release].flatMap((j) => Object.entries(j.results)
      .map(([key, c]) => `  ${n.padEnd(6)} ${key.padEnd(18)} ${c.status === 0 ? 'ok  ' : `FAIL(${c.status})`} ${c.seconds.toFixed(1).padStart(5)}s  ${c.command.split('\n')[0].slice(0, 70)}`)));
    // eslint-disable-next-line no-console
    console.log(`real toolchains, side by side, in ${seconds.toFixed(1)}s:\n${rows.join('\n')}`);
    // REAL_TOOLCHAINS_LOG=dir keeps every command's whole output there
    const logDir = process.env.REAL_TOOLCHAINS_LOG;
    if (logDir) {
      fs.mkdirSync(logDir, { recursive: true });
      for (const [n, r] of runs) {
        for (const j of [r.check, r.release]) {
          for (const [key, c] of Object.entries(j.results)) fs.writeFileSync(path.join(logDir, `${n}-${key}.log`), `$ ${c.command}\n${c.output}`);
        }
      }
    }
  }, 300_000);

  afterAll(() => {
    sandbox?.remove();
  });

  describe.each(SELECTED)('%s', (name) => {
    const run = () => runs.get(name)!;
    const check = (key: string) => run().check.results[key];

    test.each(['install', 'lint', 'typeCheck', 'securityCheck'])('%s: the default command passes', (key) => {
      if (run().toolchain.command(key) === undefined) {
        expect(key).toBe('install'); // hatch makes its environments on first use
        return;
      }
      expectOk(check(key), run().check.dir);
    });

    test(`test: the default command passes and writes ${COVERAGE_REPORT}`, () => {
      expectOk(check('test'), run().check.dir);
      const report = path.join(run().check.dir, COVERAGE_REPORT);
      expect(fs.existsSync(report)).toBe(true);
      const xml = fs.readFileSync(report, 'utf-8');
      expect(xml).toMatch(/<coverage [^>]*line-rate="1"/);
      expect(xml).toMatch(/filename="[^"]*__init__\.py"/); // the package's module was measured
    });

    test(`release.yml's set-version step is the toolchain's setVersion command (or our pyproject script) and sets ${RELEASE_VERSION}`, () => {
      const own = run().toolchain.command('setVersion');
      if (own) expect(run().setVersion.trim()).toBe(own);
      else expect(run().setVersion).toContain('[project].version');
      expectOk(run().release.results.setVersion, run().release.dir);
    });

    test(`buildDistributions: the default command builds a wheel and an sdist of ${RELEASE_VERSION}`, () => {
      expectOk(run().release.results.buildDistributions, run().release.dir);
      const { fileName, name: dist } = run().pkg;
      const files = distributions(path.join(run().release.dir, 'dist'));
      expect(files.map((f) => path.basename(f))).toEqual([`${fileName}-${RELEASE_VERSION}-py3-none-any.whl`, `${fileName}-${RELEASE_VERSION}.tar.gz`]);
      for (const m of readMetadata(files)) {
        expect(m.name).toBe(dist);
        expect(m.version).toBe(RELEASE_VERSION);
      }
    });
  });

  describe('set-version keeps the lock in step where the tool locks the project\'s own version', () => {
    const when = (n: Name) => (SELECTED.includes(n) ? test : test.skip);
    when('uv')('uv: `uv version X --no-sync` writes X into uv.lock\'s own package entry; `uv lock --check` passes', () => {
      const { release, pkg } = runs.get('uv')!;
      expectOk(release.results.setVersion, release.dir);
      const lock = readToml(path.join(release.dir, 'uv.lock'));
      const own = lock.package.filter((p: any) => p.name === pkg.name);
      expect(own).toEqual([expect.objectContaining({ name: pkg.name, version: RELEASE_VERSION, source: { editable: '.' } })]);
      expectOk(release.results.lockCheck, release.dir);
    });

    when('poetry')('poetry: poetry.lock holds no version of the project itself, so `poetry version X` leaves it fresh (`poetry check --lock` passes)', () => {
      const { release, pkg } = runs.get('poetry')!;
      expectOk(release.results.setVersion, release.dir);
      const lock = readToml(path.join(release.dir, 'poetry.lock'));
      expect(lock.package.length).toBeGreaterThan(0);
      expect(lock.package.filter((p: any) => p.name === pkg.name)).toEqual([]);
      expect(readToml(path.join(release.dir, 'pyproject.toml')).project.version).toBe(RELEASE_VERSION);
      expectOk(release.results.lockCheck, release.dir);
    });

    when('hatch')('hatch: `hatch version --force X` writes the version source and no lock file exists to update', () => {
      const { release, pkg } = runs.get('hatch')!;
      expectOk(release.results.setVersion, release.dir);
      const about = fs.readFileSync(path.join(release.dir, 'src', pkg.fileName, '__about__.py'), 'utf-8');
      expect(about).toContain(`__version__ = "${RELEASE_VERSION}"`);
      const locks = fs.readdirSync(release.dir).filter((f) => f.endsWith('.lock') || /^pylock(\..+)?\.toml$/.test(f));
      expect(locks).toEqual([]);
    });
  });

  /** Lines of a toolchain's default commands' output that announce a deprecation. */
  function deprecations(name: Name): string[] {
    const r = runs.get(name)!;
    return [r.check, r.release].flatMap((j) => Object.entries(j.results)
      .flatMap(([key, c]) => c.output.split('\n').filter((l) => /deprecat/i.test(l)).map((l) => `${key} (${c.command.trim()}): ${l.trim()}`)));
  }

  // hatch 1.18 deprecated `hatch fmt` (the old default lint) for `hatch check code` / `hatch check fmt`.
  test.each(SELECTED)('%s: no default command is deprecated', (name) => {
    expect(deprecations(name)).toEqual([]);
  });
});
