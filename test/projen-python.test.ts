import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project, python } from 'projen';
import { PypiPublishPipeline, PythonReleasePipeline, PythonToolchain, VersionStrategy } from '../src';
import { newProject, parseWorkflow, stepOf } from './helpers/project';
import { checkWorkflows, formatRuleFindings } from './helpers/security-rules';
import { SYSTEM_PYTHON } from './helpers/tools';

/** A projen python.PythonProject of a flavour, with projen's defaults otherwise; synthesized without post steps. */
function pythonProject(flavour: 'uv' | 'poetry' | 'pip', extra: Partial<python.PythonProjectOptions> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `ppp-projen-${flavour}-`));
  const flags = flavour === 'uv' ? { uv: true, pip: false, venv: false, setuptools: false }
    : flavour === 'poetry' ? { poetry: true } : { setuptools: true };
  const project = new python.PythonProject({
    name: 'acme-pkg', moduleName: 'acme_pkg', authorName: 'A', authorEmail: 'a@example.com', version: '0.1.0', outdir, projenrcTs: true, ...flags, ...extra,
  } as python.PythonProjectOptions);
  return project;
}

/** What the project warned, from now on. */
function warningsOf(project: Project): string[] {
  const warnings: string[] = [];
  project.logger.warn = (...text: any[]) => {
    warnings.push(text.join(' '));
  };
  return warnings;
}

function synth(project: Project, warnings: string[] = warningsOf(project)): { files: Record<string, string>; warnings: string[] } {
  const before = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    project.synth();
  } finally {
    process.env.PROJEN_DISABLE_POST = before;
  }
  const dir = path.join(project.outdir, '.github', 'workflows');
  const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
  return { files, warnings };
}

describe('a projen python.PythonProject: the pipelines follow it', () => {
  test.each<['uv' | 'poetry' | 'pip', string, string]>([
    ['uv', 'uv run bandit -r acme_pkg', 'uv version "$VERSION" --no-sync'],
    ['poetry', 'poetry run bandit -r acme_pkg', 'poetry version "$VERSION"'],
    ['pip', 'python -m bandit -r acme_pkg', 'set -euo pipefail'],
  ])('%s flavour: its toolchain, the security check on projen\'s flat module, the version for the build only', (flavour, security, setVersion) => {
    const project = pythonProject(flavour);
    const release = new PythonReleasePipeline(project);
    new PypiPublishPipeline(project);
    expect(release.toolchain.name).toBe(flavour);
    const wf = parseWorkflow(synth(project).files['release.yml']);
    expect(stepOf(wf, 'security-check', 'security-check').run).toBe(`${security}\n`);
    // the version is set after the release commit: projen owns pyproject.toml (or setup.py)
    const ids = wf.jobs.build.steps.map((s) => s.id);
    expect(ids.indexOf('set-version')).toBe(ids.indexOf('commit') + 1);
    expect(stepOf(wf, 'build', 'set-version')).toMatchObject({ name: 'Set the version for this build (not committed)' });
    expect(stepOf(wf, 'build', 'set-version').run).toContain(setVersion);
    // no second, token-based way to PyPI
    expect(project.tasks.tryFind('publish')).toBeUndefined();
    expect(project.tasks.tryFind('publish:test')).toBeUndefined();
    expect(project.tasks.tryFind('publish:manual')).toBeDefined();
  });

  test('pip flavour: the build-only version lands in the setup.py projen writes, and nothing else changes', () => {
    const project = pythonProject('pip');
    new PythonReleasePipeline(project);
    const wf = parseWorkflow(synth(project).files['release.yml']);
    const setupPy = fs.readFileSync(path.join(project.outdir, 'setup.py'), 'utf-8');
    const r = spawnSync('bash', ['-c', stepOf(wf, 'build', 'set-version').run!], { cwd: project.outdir, env: { PATH: `${path.dirname(SYSTEM_PYTHON)}:/bin`, VERSION: '1.2.0' }, encoding: 'utf-8' });
    expect(r.stdout).toContain('setup.py: version = 1.2.0 (for this build only; not committed)');
    expect(fs.readFileSync(path.join(project.outdir, 'setup.py'), 'utf-8')).toBe(setupPy.replace('"version": "0.1.0"', '"version": "1.2.0"'));
  });

  test('VersionStrategy.pyproject() is refused: projen would put the version back; verifyOnly and fromTag are fine', () => {
    expect(() => new PythonReleasePipeline(pythonProject('uv'), { versionStrategy: VersionStrategy.pyproject() }))
      .toThrow(/versionStrategy is VersionStrategy\.pyproject\(\), but projen owns pyproject\.toml and the next "npx projen" would put the release commit's version back to "0\.1\.0"\. Leave versionStrategy out \(VersionStrategy\.buildOnly\(\)/);
    expect(() => new PythonReleasePipeline(pythonProject('pip'), { versionStrategy: VersionStrategy.pyproject() })).toThrow(/projen owns setup\.py/);
    expect(() => new PythonReleasePipeline(pythonProject('uv'), { versionStrategy: VersionStrategy.verifyOnly() })).not.toThrow();
  });

  test('projen\'s pull-request-lint.yml: the rules flag pull_request_target, the pipelines say so and how to drop it', () => {
    const withLint = pythonProject('uv');
    const warned = warningsOf(withLint);
    new PythonReleasePipeline(withLint);
    const { files, warnings } = synth(withLint, warned);
    expect(formatRuleFindings(checkWorkflows({ 'pull-request-lint.yml': files['pull-request-lint.yml'] }))).toMatch(/\[dangerous-triggers\].*pull_request_target/);
    expect(warnings.join('\n')).toContain('create the project with githubOptions: { pullRequestLint: false }');
    // said once, when the pipeline is added: the next synthesis of the same project (release.yml written) is quiet
    const again = pythonProject('uv', { outdir: withLint.outdir });
    const later = warningsOf(again);
    new PythonReleasePipeline(again);
    expect(synth(again, later).warnings.join('\n')).not.toContain('pull_request_target');
    // the advice, followed: no such workflow, no warning, and every workflow passes the rules
    const without = pythonProject('uv', { githubOptions: { pullRequestLint: false } });
    const quiet = warningsOf(without);
    new PythonReleasePipeline(without);
    new PypiPublishPipeline(without);
    const clean = synth(without, quiet);
    expect(Object.keys(clean.files).sort()).toEqual(['publish.yml', 'release.yml']);
    expect(clean.warnings.join('\n')).not.toContain('pull_request_target');
    expect(formatRuleFindings(checkWorkflows(clean.files))).toBe('');
  });
});

describe('a plain project with the default pixi toolchain but no pixi manifest is warned', () => {
  test('pyproject.toml without [tool.pixi] and no pixi.toml: a warning naming the toolchain option', () => {
    const project = newProject('acme-pkg');
    fs.writeFileSync(path.join(project.outdir, 'pyproject.toml'), '[project]\nname = "acme-pkg"\nversion = "0.1.0"\n');
    const warnings: string[] = [];
    project.logger.warn = (...text: any[]) => warnings.push(text.join(' '));
    new PythonReleasePipeline(project);
    expect(warnings.join('\n')).toContain('toolchain is PythonToolchain.pixi() (the default), but pyproject.toml has no pixi manifest');
    const chosen = newProject('acme-pkg');
    fs.writeFileSync(path.join(chosen.outdir, 'pyproject.toml'), '[project]\nname = "acme-pkg"\n');
    const none: string[] = [];
    chosen.logger.warn = (...text: any[]) => none.push(text.join(' '));
    new PythonReleasePipeline(chosen, { toolchain: PythonToolchain.uv() });
    expect(none).toEqual([]);
  });
});
