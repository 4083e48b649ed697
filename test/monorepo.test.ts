import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from 'projen';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { newProject, parseWorkflow, stepOf, Workflow } from './helpers/project';
import { describeWithTools, haveTool, havePythonModule, NODE_BIN, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';
import { createProject } from '../examples/monorepo/.projenrc';
import { PypiPublishPipeline, PythonReleasePipeline, PythonToolchain } from '../src';

const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'monorepo');
const PACKAGES = [
  { name: 'acme-alpha', dir: 'packages/alpha', module: 'acme_alpha' },
  { name: 'acme-beta', dir: 'packages/beta', module: 'acme_beta' },
];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-monorepo-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs bash (stdin not a socket, or bash would take itself for a remote shell and read ~/.bashrc). */
function bash(script: string, cwd: string, env: Record<string, string>) {
  const r = spawnSync('bash', ['-c', script], { cwd, env: { PATH: `${TOOLS_BIN}:${NODE_BIN}:/usr/bin:/bin`, HOME: work, ...env }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The example's hand-written sources (the Python packages) in a fresh directory, synthesized there.
const outdir = path.join(work, 'repo');
fs.cpSync(EXAMPLE, outdir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.projen`) && !src.includes(`${path.sep}.github`) });
const project = createProject(outdir);
project.synth();
const workflowDir = path.join(outdir, '.github', 'workflows');
const files = Object.fromEntries(fs.readdirSync(workflowDir).map((f) => [f, fs.readFileSync(path.join(workflowDir, f), 'utf-8')]));
const wf = (file: string): Workflow => parseWorkflow(files[file]);

describe('examples/monorepo: two packages, two independent pairs of workflows', () => {
  test('four workflow files with distinct names', () => {
    expect(Object.keys(files).sort()).toEqual(['publish-acme-alpha.yml', 'publish-acme-beta.yml', 'release-acme-alpha.yml', 'release-acme-beta.yml']);
    expect(Object.keys(files).map((f) => wf(f).name).sort()).toEqual(['Publish acme-alpha', 'Publish acme-beta', 'Release acme-alpha', 'Release acme-beta']);
  });

  test('distinct concurrency groups, none cancelling a run', () => {
    const groups = Object.keys(files).map((f) => wf(f).concurrency);
    for (const g of groups) expect(g['cancel-in-progress']).toBe(false);
    expect(new Set(groups.map((g) => g.group)).size).toBe(4);
    expect(wf('release-acme-alpha.yml').concurrency.group).toBe('release-acme-alpha');
    expect(wf('release-acme-beta.yml').concurrency.group).toBe('release-acme-beta');
    expect(wf('publish-acme-alpha.yml').concurrency.group).toMatch(/^publish-acme-alpha-/);
  });

  test('distinct deployment environments', () => {
    const environments = (file: string) => new Set(Object.values(wf(file).jobs).map((j) => j.environment?.name).filter((n) => n));
    const alpha = environments('publish-acme-alpha.yml');
    const beta = environments('publish-acme-beta.yml');
    // TestPyPI shares the package's pypi environment (the default)
    expect([...alpha]).toEqual(['pypi-acme-alpha']);
    expect([...beta]).toEqual(['pypi-acme-beta']);
  });

  test('one rehearsal task and plan per package, one shared engine', () => {
    const projenDir = path.join(outdir, '.projen');
    const scripts = fs.readdirSync(projenDir).filter((f) => f.endsWith('.cjs')).sort();
    expect(scripts).toEqual(['pins-update.cjs', 'pipelines-engine.cjs', 'publish-acme-alpha-manual.cjs', 'publish-acme-beta-manual.cjs', 'release-rehearsal-acme-alpha.cjs', 'release-rehearsal-acme-beta.cjs']);
    const engine = fs.readFileSync(path.join(projenDir, 'pipelines-engine.cjs'), 'utf-8');
    // one copy of the step runner, however many packages and tools
    expect(engine.split('const stepRunner = ').length).toBe(2);
    expect(engine).toContain('module.exports = { stepRunner, publishManually, rehearse };');
    for (const name of ['acme-alpha', 'acme-beta']) {
      const script = fs.readFileSync(path.join(projenDir, `release-rehearsal-${name}.cjs`), 'utf-8');
      expect(script).toContain('require("./pipelines-engine.cjs")');
      expect(script).toContain(`"workflow": "release-${name}.yml"`);
      expect(script.length).toBeLessThan(engine.length);
    }
    const tasks = JSON.parse(fs.readFileSync(path.join(projenDir, 'tasks.json'), 'utf-8')).tasks;
    expect(Object.keys(tasks).filter((t) => t.startsWith('release:rehearse')).sort()).toEqual(['release:rehearse:acme-alpha', 'release:rehearse:acme-beta']);
  });

  test('no construct id clash: each pipeline is its own construct', () => {
    const pipelines = project.components.filter((c) => c instanceof PythonReleasePipeline || c instanceof PypiPublishPipeline);
    expect(pipelines.map((c) => c.node.id).sort()).toEqual([
      'PypiPublishPipeline-acme-alpha', 'PypiPublishPipeline-acme-beta', 'PythonReleasePipeline-acme-alpha', 'PythonReleasePipeline-acme-beta',
    ]);
    const paths = project.node.findAll().map((c) => c.node.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  test('pass actionlint and shellcheck', async () => {
    expect(formatFindings(await lintWorkflows(files))).toBe('');
  });

  describe.each(PACKAGES)('$name', ({ name, dir }) => {
    const release = wf(`release-${name}.yml`);
    const other = PACKAGES.find((p) => p.name !== name)!;

    test('its own tag prefix, in release.yml and publish.yml', () => {
      expect(stepOf(release, 'validate', 'version').env!.TAG_PREFIX).toBe(`${name}-v`);
      expect(files[`publish-${name}.yml`]).toContain(`${name}-v`);
      expect(files[`publish-${name}.yml`]).not.toContain(`${other.name}-v`);
    });

    test('the checks and the build run in the package directory; validate, attest and release at the root', () => {
      for (const [id, job] of Object.entries(release.jobs)) {
        expect([id, job.defaults.run['working-directory']]).toEqual([id, ['validate', 'attest', 'release'].includes(id) ? undefined : dir]);
      }
      for (const id of ['set-version', 'build', 'verify', 'checksums', 'stage']) {
        expect(stepOf(release, 'build', id)['working-directory']).toBeUndefined();
      }
      expect(stepOf(release, 'release', 'release-commit').env!.ALLOWED_FILES.split('\n')).toEqual(expect.arrayContaining([
        `any ${dir}/CHANGELOG.md`, `version ${dir}/pyproject.toml`, `version ${dir}/uv.lock`, 'version uv.lock',
      ]));
      expect(wf(`release-${name}.yml`).jobs.build.env).toMatchObject({ DIST_DIR: 'dist' });
    });

    test('the setup looks at the package\'s pyproject.toml; coverage comes from the package', () => {
      expect(stepOf(release, 'lint', 'setup-python').with).toMatchObject({ 'cache': 'pip', 'cache-dependency-path': `${dir}/pyproject.toml` });
      expect(stepOf(release, 'build', 'setup-python').with).toEqual({ 'python-version': '3.12' });
      expect(stepOf(release, 'test', 'upload-coverage').with!.path).toBe(`${dir}/coverage.xml`);
    });

    test('changelog and git-cliff config inside the package; only its commits; committed from the root', () => {
      expect(stepOf(release, 'build', 'changelog').env).toMatchObject({
        CHANGELOG_FILE: `${dir}/CHANGELOG.md`, CLIFF_CONFIG: `${dir}/cliff.toml`, INCLUDE_PATH: `${dir}/**`,
      });
      expect(stepOf(release, 'build', 'changelog')['working-directory']).toBe('${{ github.workspace }}');
      expect(stepOf(release, 'build', 'commit')).toMatchObject({ 'working-directory': '${{ github.workspace }}', 'env': { CHANGELOG_FILE: `${dir}/CHANGELOG.md` } });
      const cliff = fs.readFileSync(path.join(outdir, dir, 'cliff.toml'), 'utf-8');
      expect(cliff).toContain(`tag_pattern = "^${name}-v[0-9]"`);
      expect(cliff).toContain(`trim_start_matches(pat="${name}-v")`);
      expect(fs.existsSync(path.join(outdir, 'cliff.toml'))).toBe(false);
    });
  });

  test('only acme-alpha tests on a Python matrix', () => {
    expect(wf('release-acme-alpha.yml').jobs.test.strategy.matrix.python).toEqual(['3.10', '3.11', '3.12', '3.13']);
    expect(wf('release-acme-beta.yml').jobs.test.strategy).toBeUndefined();
  });
});

describe('monorepo defaults and clashes', () => {
  function projectWith(pyprojects: Record<string, string>): Project {
    const p = newProject('acme');
    for (const [dir, name] of Object.entries(pyprojects)) {
      fs.mkdirSync(path.join(p.outdir, dir), { recursive: true });
      fs.writeFileSync(path.join(p.outdir, dir, 'pyproject.toml'), `[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = '${name}'  # the name on PyPI\nversion = "1.0.0"\n\n[tool.x]\nname = "not-this"\n`);
    }
    return p;
  }

  test('the distribution name comes from the package\'s pyproject.toml, else the directory name', () => {
    const p = projectWith({ 'libs/one': 'acme.one' });
    const one = new PythonReleasePipeline(p, { packageDir: 'libs/one/' });
    const two = new PythonReleasePipeline(p, { packageDir: './libs/two' });
    expect(one.settings).toEqual({ distributionName: 'acme.one', packageDir: 'libs/one', tagPrefix: 'acme.one-v', monorepo: true });
    expect(one.fileName).toBe('release-acme.one.yml');
    expect(two.settings).toEqual({ distributionName: 'two', packageDir: 'libs/two', tagPrefix: 'two-v', monorepo: true });
  });

  test('a root package and a subdirectory package can live side by side', () => {
    const p = newProject('acme');
    const root = new PythonReleasePipeline(p, { toolchain: PythonToolchain.uv() });
    const sub = new PythonReleasePipeline(p, { packageDir: 'plugins/acme-plugin', toolchain: PythonToolchain.uv() });
    expect([root.fileName, root.settings.tagPrefix]).toEqual(['release.yml', 'v']);
    expect([sub.fileName, sub.settings.tagPrefix]).toEqual(['release-acme-plugin.yml', 'acme-plugin-v']);
    p.synth();
    const uv = parseWorkflow(fs.readFileSync(path.join(p.outdir, '.github/workflows/release-acme-plugin.yml'), 'utf-8'));
    expect(stepOf(uv, 'lint', 'setup-uv').with).toMatchObject({ 'working-directory': 'plugins/acme-plugin', 'enable-cache': true });
    expect(stepOf(uv, 'build', 'setup-uv').with).toMatchObject({ 'working-directory': 'plugins/acme-plugin', 'enable-cache': false });
  });

  test('pixi gets the package directory as its working directory', () => {
    const p = newProject('acme');
    new PythonReleasePipeline(p, { packageDir: 'py/acme' });
    p.synth();
    const pixi = parseWorkflow(fs.readFileSync(path.join(p.outdir, '.github/workflows/release-acme.yml'), 'utf-8'));
    expect(stepOf(pixi, 'test', 'setup-pixi').with).toMatchObject({ 'working-directory': 'py/acme', 'cache': true });
    expect(stepOf(pixi, 'build', 'setup-pixi').with).toMatchObject({ 'working-directory': 'py/acme', 'cache': false });
  });

  test.each<[string, (p: Project) => void, RegExp]>([
    ['the same tag prefix twice', (p) => {
      new PythonReleasePipeline(p, { packageDir: 'a', tagPrefix: 'v' });
      new PythonReleasePipeline(p, { packageDir: 'b', tagPrefix: 'v' });
    }, /PythonReleasePipeline \(release-b\.yml\): tagPrefix "v" clashes with "v" of release-a\.yml/],
    ['a prefix whose tags the other one matches', (p) => {
      new PythonReleasePipeline(p, { packageDir: 'a', tagPrefix: 'v' });
      new PythonReleasePipeline(p, { packageDir: 'b', tagPrefix: 'v2-' });
    }, /tagPrefix "v2-" clashes with "v"/],
    ['the same package twice', (p) => {
      new PythonReleasePipeline(p, { packageDir: 'a' });
      new PythonReleasePipeline(p, { packageDir: 'a/' });
    }, /already has a release pipeline for package a\./],
    ['a package directory outside the repository', (p) => new PythonReleasePipeline(p, { packageDir: '../a' }), /packageDir "\.\.\/a" must be a relative path inside the repository/],
  ])('refused: %s', (_name, make, message) => {
    expect(() => make(newProject('acme'))).toThrow(message);
  });
});

const tools = {
  'git': haveTool('git'),
  'git-cliff (tools)': haveTool(tool('git-cliff')),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'pytest (tools)': havePythonModule('pytest'),
  'twine (tools)': haveTool(tool('twine')),
};

describeWithTools('examples/monorepo, run: the packages, their version, build and changelog', tools, () => {
  // a git repository holding the synthesized example, with history touching both packages
  const repo = path.join(work, 'git');
  const alpha = wf('release-acme-alpha.yml');

  beforeAll(() => {
    fs.cpSync(outdir, repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'feat: initial import of both packages');
    git(repo, 'tag', '-a', 'acme-alpha-v0.1.0', '-m', 'acme-alpha 0.1.0');
    git(repo, 'tag', '-a', 'acme-beta-v0.1.0', '-m', 'acme-beta 0.1.0');
    const change = (dir: string, file: string, message: string) => {
      fs.appendFileSync(path.join(repo, dir, file), '\n# changed\n');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-qm', message);
    };
    change('packages/alpha/src/acme_alpha', '__init__.py', 'feat(alpha): greet in a friendlier way');
    change('packages/beta/src/acme_beta', '__init__.py', 'fix(beta): shout without trailing spaces');
    change('packages/alpha/tests', 'test_alpha.py', 'fix(alpha): test blank names');
  });

  test('both packages\' tests pass (one pytest run)', () => {
    const r = spawnSync(TOOLS_PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...PACKAGES.map((p) => `${p.dir}/tests`)], {
      cwd: repo, env: { PATH: `${TOOLS_BIN}:/usr/bin:/bin`, PYTHONPATH: PACKAGES.map((p) => `${p.dir}/src`).join(':'), HOME: work }, encoding: 'utf-8',
    });
    expect(r.stdout).toMatch(/4 passed/);
    expect(r.status).toBe(0);
  });

  test('acme-alpha: the set-version step, run in its directory, changes only its version line', () => {
    const file = path.join(repo, 'packages/alpha/pyproject.toml');
    const before = fs.readFileSync(file, 'utf-8');
    const r = bash(stepOf(alpha, 'build', 'set-version').run!, path.join(repo, alpha.jobs.build.defaults.run['working-directory']), { VERSION: '1.0.0' });
    expect(r.ok).toBe(true);
    expect(fs.readFileSync(file, 'utf-8')).toBe(before.replace('version = "0.1.0"', 'version = "1.0.0"'));
    expect(fs.readFileSync(path.join(repo, 'packages/beta/pyproject.toml'), 'utf-8')).toContain('version = "0.1.0"');
    fs.writeFileSync(file, before);
  });

  test('acme-alpha: built in its directory, the distributions pass the workflow\'s verify script', () => {
    const pkg = path.join(repo, 'packages/alpha');
    const built = spawnSync(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', 'dist', '.'], {
      cwd: pkg, env: { PATH: `${TOOLS_BIN}:/usr/bin:/bin`, HOME: work }, encoding: 'utf-8',
    });
    expect(built.stdout).toContain('Successfully built acme_alpha-0.1.0.tar.gz and acme_alpha-0.1.0-py3-none-any.whl');
    const verify = bash(stepOf(alpha, 'build', 'verify').run!, pkg, { VERSION: '0.1.0', DIST_DIR: alpha.jobs.build.env!.DIST_DIR });
    expect(verify.out).toContain('acme_alpha-0.1.0-py3-none-any.whl: version 0.1.0');
    expect(verify.ok).toBe(true);
  });

  /** Runs a changelog script at the repository root with the step's env, for acme-alpha 1.0.0. */
  function changelog(script: string) {
    const dir = fs.mkdtempSync(path.join(work, 'changelog-'));
    fs.cpSync(repo, dir, { recursive: true });
    const env = stepOf(alpha, 'build', 'changelog').env!;
    const notes = path.join(work, `notes-${path.basename(dir)}.md`);
    const r = bash(script, dir, { ...env, NOTES_FILE: notes, TAG: 'acme-alpha-v1.0.0' });
    expect(r.out).not.toMatch(/ERROR/);
    expect(r.ok).toBe(true);
    return { changelog: fs.readFileSync(path.join(dir, env.CHANGELOG_FILE), 'utf-8'), notes: fs.readFileSync(notes, 'utf-8') };
  }

  function expectAlphaOnly({ changelog: text, notes }: { changelog: string; notes: string }) {
    expect(text).toMatch(/## \[1\.0\.0\] - \d{4}-\d{2}-\d{2}/);
    for (const t of [text, notes]) {
      expect(t).toContain('**alpha:** Greet in a friendlier way');
      expect(t).toContain('**alpha:** Test blank names');
      expect(t).not.toContain('beta');
      expect(t).not.toContain('initial import');
    }
  }

  test('the synthesized changelog step gives acme-alpha only its own commits (git-cliff --include-path)', () => {
    const script = stepOf(alpha, 'build', 'changelog').run!;
    expect(script).toContain('--include-path "$INCLUDE_PATH"');
    expectAlphaOnly(changelog(script));
  });
});
