import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, VersionStrategy } from '../src';
import { FAKE_PIXI } from './helpers/fake-pixi';
import { newProject, parseWorkflow, stepOf, synthWorkflows, Workflow } from './helpers/project';
import { describeWithTools, havePythonModule, haveTool, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';

/** The tools environment first (python with build, hatchling, setuptools-scm; twine). */
const PATH = `${TOOLS_BIN}:/usr/bin:/bin`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-strategy-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function release(options: PythonReleasePipelineOptions): Workflow {
  const project = newProject('example-pkg');
  new PythonReleasePipeline(project, options);
  return parseWorkflow(synthWorkflows(project)['release.yml']);
}

/** Runs a workflow script with bash, as the runner would (env only, from `cwd`). */
function run(script: string, cwd: string, env: Record<string, string>) {
  // stdin not a socket: bash would take itself for a remote shell and source ~/.bashrc
  const r = spawnSync('bash', ['-c', script], { cwd, env: { PATH, HOME: work, ...env }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  // (twine colours its output)
  // eslint-disable-next-line no-control-regex
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

describe('VersionStrategy.pyproject(): the set-version script (run with bash)', () => {
  const wf = release({ toolchain: PythonToolchain.pip(), versionStrategy: VersionStrategy.pyproject() });
  const script = stepOf(wf, 'build', 'set-version').run!;

  // A realistic pyproject.toml: comments, several tables with `version` keys, both quote styles,
  // an array of tables.
  const PYPROJECT = [
    '# Example project. The release workflow writes [project].version; nothing else changes.',
    '[build-system]',
    'requires = ["hatchling>=1.12", "hatch-vcs"]  # version = "0.0.0" in a comment',
    "build-backend = 'hatchling.build'",
    '',
    '[project]',
    'name = "example-pkg"',
    'description = "A package whose description says version = \\"9\\""',
    'version = "0.1.0"   # bumped by the release workflow',
    'requires-python = ">=3.10"',
    'dependencies = [',
    '  "requests>=2.31",',
    '  # version = "1.0" inside an array',
    ']',
    '',
    '[project.optional-dependencies]',
    'version = ["packaging>=24"]',
    'dev = ["pytest>=8", "pytest-cov"]',
    '',
    '[tool.poetry]',
    'version = "0.0.0"',
    '',
    '[tool.bumpversion]',
    "current_version = '0.1.0'",
    'version = "0.1.0"',
    '',
    '[[tool.mypy.overrides]]',
    'module = "vendored.*"',
    'version = "3"',
    '',
  ].join('\n');

  function setVersion(text: string, version: string) {
    const dir = fs.mkdtempSync(path.join(work, 'static-'));
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), text);
    const r = run(script, dir, { VERSION: version });
    return { ...r, text: fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf-8') };
  }

  test('pixi and pip use this same script (their tools have no command that writes [project].version)', () => {
    const pixi = release({ toolchain: PythonToolchain.pixi() });
    // pixi then brings pixi.lock up to date (it records the editable project's version)
    expect(stepOf(pixi, 'build', 'set-version').run).toBe(`${script}pixi lock\n`);
    expect(script).toMatch(/^set -euo pipefail\n/);
  });

  test.each(['1.2.0', '2.0.0rc1', '1!3.0.post2'])('writes %s into [project].version and changes no other byte', (version) => {
    const r = setVersion(PYPROJECT, version);
    expect(r.out).toContain(`[project].version = ${version}`);
    expect(r.ok).toBe(true);
    const before = PYPROJECT.split('\n');
    const after = r.text.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = before.map((line, i) => (line === after[i] ? -1 : i)).filter((i) => i >= 0);
    expect(changed).toEqual([before.indexOf('version = "0.1.0"   # bumped by the release workflow')]);
    expect(after[changed[0]]).toBe(`version = "${version}"   # bumped by the release workflow`);
  });

  test('keeps single quotes', () => {
    const text = "[project]\nname = 'x'\nversion = '0.1.0'\n\n[tool.poetry]\nversion = '0.0.0'\n";
    const r = setVersion(text, '1.0.0');
    expect(r.ok).toBe(true);
    expect(r.text).toBe(text.replace("version = '0.1.0'", "version = '1.0.0'"));
  });

  test('keeps CRLF line endings', () => {
    const text = '[project]\r\nname = "x"\r\nversion = "0.1.0"\r\n\r\n[tool.poetry]\r\nversion = "0.0.0"\r\n';
    const r = setVersion(text, '1.0.0');
    expect(r.ok).toBe(true);
    expect(r.text).toBe(text.replace('version = "0.1.0"', 'version = "1.0.0"'));
  });

  test('a version key in a table before [project] is left alone', () => {
    const text = '[tool.bumpversion]\nversion = "0.1.0"\n\n[project]\nname = "x"\nversion = "0.1.0"\n';
    const r = setVersion(text, '1.0.0');
    expect(r.ok).toBe(true);
    expect(r.text).toBe('[tool.bumpversion]\nversion = "0.1.0"\n\n[project]\nname = "x"\nversion = "1.0.0"\n');
  });

  test('pixi: the build job\'s set-version step sets the version and brings pixi.lock up to date (pixi stood in)', () => {
    const pixi = stepOf(release({ toolchain: PythonToolchain.pixi() }), 'build', 'set-version');
    const dir = fs.mkdtempSync(path.join(work, 'pixi-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'pixi'), FAKE_PIXI, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "example-pkg"\nversion = "0.1.0"\nrequires-python = ">=3.10"\n');
    const env = { PATH: `${bin}:${PATH}` };
    expect(run('pixi lock', dir, env).ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'pixi.lock'), 'utf-8')).toContain('  version: 0.1.0\n');
    const r = run(pixi.run!, dir, { ...env, VERSION: '1.2.0' });
    expect(r.out).toContain('pyproject.toml: [project].version = 1.2.0');
    expect(r.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf-8')).toContain('version = "1.2.0"');
    // the lock records the new version and the new pyproject.toml, so the next locked install passes
    const lock = fs.readFileSync(path.join(dir, 'pixi.lock'), 'utf-8');
    expect(lock).toContain('  version: 1.2.0\n');
    expect(lock).toContain(`  sha256: ${createHash('sha256').update(fs.readFileSync(path.join(dir, 'pyproject.toml'))).digest('hex')}\n`);
  });

  test('fails, pointing to fromTag(), when the version is dynamic', () => {
    const r = setVersion('[project]\nname = "x"\ndynamic = ["version"]\n\n[tool.poetry]\nversion = "1.0.0"\n', '1.0.0');
    expect(r.ok).toBe(false);
    expect(r.out).toContain('has no static [project].version to set');
    expect(r.out).toContain('VersionStrategy.fromTag()');
  });
});

describe('VersionStrategy.verifyOnly(): the committed-version check (run with bash)', () => {
  const wf = release({ toolchain: PythonToolchain.uv(), versionStrategy: VersionStrategy.verifyOnly() });
  const step = stepOf(wf, 'validate', 'committed-version');
  const dir = fs.mkdtempSync(path.join(work, 'verify-'));
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "example-pkg"\nversion = "1.2.0"  # committed by hand\n\n[tool.poetry]\nversion = "9.9.9"\n');

  test('runs in the validate job, before the checks and the release', () => {
    expect(step.env).toEqual({ VERSION: '${{ steps.version.outputs.version }}' });
    expect(wf.jobs.build.steps.map((s) => s.id)).not.toContain('set-version');
  });

  test('passes when pyproject.toml carries the version', () => {
    const r = run(step.run!, dir, { VERSION: '1.2.0' });
    expect(r.ok).toBe(true);
    expect(r.out).toContain('pyproject.toml already carries 1.2.0.');
  });

  test('fails with a clear message naming both versions on a mismatch', () => {
    const r = run(step.run!, dir, { VERSION: '1.3.0' });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('::error title=Version mismatch::pyproject.toml says version 1.2.0, but the release is 1.3.0. Commit the version bump first, or release 1.2.0.');
  });

  test('fails when pyproject.toml has no static version', () => {
    const dynamic = fs.mkdtempSync(path.join(work, 'verify-dyn-'));
    fs.writeFileSync(path.join(dynamic, 'pyproject.toml'), '[project]\nname = "x"\ndynamic = ["version"]\n');
    const r = run(step.run!, dynamic, { VERSION: '1.0.0' });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('pyproject.toml says version (none), but the release is 1.0.0');
  });
});

/** A package whose version comes from git tags, in its own repository with an older tag. */
function samplePackage(name: string, backend: 'hatch-vcs' | 'setuptools-scm'): string {
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  const module = name.replace(/-/g, '_');
  const buildSystem = backend === 'hatch-vcs'
    ? 'requires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"'
    : 'requires = ["setuptools>=61", "setuptools-scm>=7"]\nbuild-backend = "setuptools.build_meta"';
  const toolTable = backend === 'hatch-vcs' ? '[tool.hatch.version]\nsource = "vcs"\n' : '[tool.setuptools_scm]\n';
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), `[build-system]\n${buildSystem}\n\n[project]\nname = "${name}"\ndynamic = ["version"]\ndescription = "A ${backend} sample"\nreadme = "README.md"\nrequires-python = ">=3.9"\n\n${toolTable}`);
  fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n\nVersion from git tags (${backend}).\n`);
  fs.mkdirSync(path.join(dir, 'src', module), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', module, '__init__.py'), '"""Sample."""\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'dist*/\n');
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'feat: first');
  git('tag', '-a', 'v0.9.0', '-m', 'v0.9.0');
  fs.writeFileSync(path.join(dir, 'src', module, 'more.py'), 'X = 1\n');
  git('add', '-A');
  git('commit', '-qm', 'feat: more');
  return dir;
}

/** `python3 -m build --no-isolation` (Debian's backends; -x: Debian's hatchling lists editables, which is not needed to build). */
function build(dir: string, outdir: string, env: Record<string, string>): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', outdir, '.'], {
      cwd: dir, env: { PATH, HOME: work, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ ok: code === 0, out }));
  });
}

const VERSION = '1.2.0rc1';
const tools = {
  'git': haveTool('git'),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'hatch-vcs (tools)': havePythonModule('hatch_vcs'),
  'setuptools-scm (tools)': havePythonModule('setuptools_scm'),
  'twine (tools)': haveTool(tool('twine')),
};

describeWithTools('VersionStrategy.fromTag(): the build before the tag exists carries exactly the version', tools, () => {
  const samples = {
    'hatch-vcs': { name: 'vcs-demo', backend: 'hatch-vcs' as const },
    'setuptools-scm': { name: 'scmdemo', backend: 'setuptools-scm' as const },
  };
  const synthesized = Object.fromEntries(Object.entries(samples).map(([key, { name }]) => {
    const wf = release({ toolchain: PythonToolchain.pip(), versionStrategy: VersionStrategy.fromTag(), distributionName: name });
    return [key, { build: stepOf(wf, 'build', 'build'), verify: stepOf(wf, 'build', 'verify').run! }];
  }));
  /** The build step's env with `${{ env.VERSION }}` as the runner would expand it. */
  const buildEnv = (key: string) => Object.fromEntries(Object.entries(synthesized[key].build.env ?? {}).map(([k, v]) => {
    expect(v).toBe('${{ env.VERSION }}');
    return [k, VERSION];
  }));
  const results: Record<string, { dir: string; dist: string; ok: boolean; out: string }> = {};

  beforeAll(async () => {
    // every build at once: the slow part of this file
    const jobs: Array<[string, string, Record<string, string>]> = [
      ['hatch-vcs', 'hatch-vcs', buildEnv('hatch-vcs')],
      ['setuptools-scm', 'setuptools-scm', buildEnv('setuptools-scm')],
      // the per-distribution variable alone, to show why the generic one is set as well
      ['hatch-vcs/per-dist-only', 'hatch-vcs', { SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VCS_DEMO: VERSION }],
    ];
    await Promise.all(jobs.map(async ([id, key, env]) => {
      const dir = samplePackage(samples[key as keyof typeof samples].name, samples[key as keyof typeof samples].backend);
      const dist = path.join(dir, 'dist');
      results[id] = { dir, dist, ...(await build(dir, dist, env)) };
    }));
  }, 60_000);

  test('the build step sets the pretend-version variables for the distribution', () => {
    expect(Object.keys(synthesized['hatch-vcs'].build.env!)).toEqual([
      'SETUPTOOLS_SCM_PRETEND_VERSION_FOR_VCS_DEMO', 'SETUPTOOLS_SCM_PRETEND_VERSION', 'POETRY_DYNAMIC_VERSIONING_BYPASS',
    ]);
    expect(Object.keys(synthesized['setuptools-scm'].build.env!)[0]).toBe('SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SCMDEMO');
  });

  test.each(Object.keys(samples))('%s: a wheel and an sdist of exactly the version, which the workflow\'s verify script accepts', (key) => {
    const r = results[key];
    expect(r.out).toContain('Successfully built');
    expect(r.ok).toBe(true);
    const files = fs.readdirSync(r.dist).sort();
    const name = samples[key as keyof typeof samples].name.replace(/-/g, '_');
    expect(files).toHaveLength(2);
    expect(files[0]).toBe(`${name}-${VERSION}-${files[0].split('-').slice(2).join('-')}`);
    expect(files[0]).toMatch(/-none-any\.whl$/);
    expect(files[1]).toBe(`${name}-${VERSION}.tar.gz`);
    const verify = run(synthesized[key].verify, r.dir, { VERSION, DIST_DIR: 'dist' });
    expect(verify.out).toMatch(/Checking dist\/.*\.whl: PASSED/);
    expect(verify.out).toContain(`version ${VERSION}`);
    expect(verify.ok).toBe(true);
  });

  test('the verify script refuses the same files for another version', () => {
    const r = results['hatch-vcs'];
    const verify = run(synthesized['hatch-vcs'].verify, r.dir, { VERSION: '1.2.0', DIST_DIR: 'dist' });
    expect(verify.ok).toBe(false);
    expect(verify.out).toContain(`::error title=Wrong version::expected 1.2.0, but vcs_demo-${VERSION}`);
  });

  test('hatch-vcs ignores SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST> alone (it does not tell setuptools-scm the name), so the build also sets the generic variable', () => {
    const r = results['hatch-vcs/per-dist-only'];
    expect(r.ok).toBe(true);
    const files = fs.readdirSync(r.dist);
    expect(files.some((f) => f.includes(VERSION))).toBe(false);
    expect(files.some((f) => /0\.9\.1\.dev1\+g[0-9a-f]+/.test(f))).toBe(true);
  });
});
