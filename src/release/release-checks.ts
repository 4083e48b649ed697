import { existsSync, readFileSync } from 'fs';
import { join, posix } from 'path';
import { github, Project } from 'projen';
import { projenPythonDefaults } from './projen-python';
import { readPyproject } from './pyproject';
import { PythonReleasePipelineOptions } from './release-options';
import { ReleaseSettings } from './release-settings';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { QualityCheck } from '../toolchains/toolchain-options';
import { PYTHON_VERSION } from '../toolchains/toolchain-steps';

const PLAIN_PATH = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

/** Checks the options of `PythonReleasePipeline` that stand alone; throws naming the option and the fix. */
export function checkOptions(who: string, options: PythonReleasePipelineOptions, toolchain: PythonToolchain): void {
  const versions = options.pythonVersions;
  if (versions !== undefined && !Array.isArray(versions)) {
    throw new Error(`${who}: pythonVersions must be a list of versions such as ["3.12", "3.13"], got ${JSON.stringify(versions)}.`);
  }
  if (versions && versions.length === 0) {
    throw new Error(`${who}: pythonVersions is empty; list at least one version or leave it out.`);
  }
  for (const v of versions ?? []) {
    if (typeof v !== 'string' || !PYTHON_VERSION.test(v)) {
      throw new Error(`${who}: pythonVersions entry ${JSON.stringify(v)} is not a Python version such as "3.12" or "pypy3.10".`);
    }
  }
  if (versions && !toolchain.checks.includes(QualityCheck.TEST)) {
    throw new Error(`${who}: pythonVersions is set, but the toolchain runs no tests (no test command, or "test" in skip), so the matrix would be dropped. Remove pythonVersions or give the toolchain a test command.`);
  }
  for (const [option, value] of [['releaseTools.twine', options.releaseTools?.twine], ['releaseTools.gitCliff', options.releaseTools?.gitCliff]]) {
    if (value !== undefined && !/^\d+(\.\d+)*$/.test(value)) {
      throw new Error(`${who}: ${option} "${value}" must be an exact version such as "7.0.0".`);
    }
  }
  const identity = options.gitIdentity;
  if (identity && (!identity.name?.trim() || /[\r\n]/.test(identity.name) || !/^[^\s@]+@[^\s@]+$/.test(identity.email ?? ''))) {
    throw new Error(`${who}: gitIdentity needs a non-empty single-line name and an email such as "bot@example.com", got ${JSON.stringify(identity)}.`);
  }
  for (const [option, file] of [['changelog.file', options.changelog?.file], ...(options.versionFiles ?? []).map((f) => ['versionFiles', f])]) {
    if (file !== undefined && !PLAIN_PATH.test(file)) {
      throw new Error(`${who}: ${option} "${file}" must be a relative path inside the package (letters, digits, ".", "_", "-", "/"; no spaces, no "..").`);
    }
  }
}

/**
 * Warnings for what synthesizes but likely fails: a pixi toolchain without pixi; and projen's
 * pull_request_target lint, once, on the synthesis that adds the pipeline (its workflow file not
 * written yet), so that keeping projen's lint does not warn on every synthesis.
 */
export function advise(who: string, project: Project, settings: ReleaseSettings, options: PythonReleasePipelineOptions, fileName: string): void {
  const pyproject = join(project.outdir, settings.packageDir, 'pyproject.toml');
  const hasPixi = ['pixi.toml', 'pyproject.toml'].some((f) => {
    const file = join(project.outdir, settings.packageDir, f);
    return existsSync(file) && (f === 'pixi.toml' || /^\[tool\.pixi[.\]]/m.test(readFileSync(file, 'utf-8')));
  });
  if (!options.toolchain && !projenPythonDefaults(project) && existsSync(pyproject) && !hasPixi) {
    project.logger.warn(`${who}: toolchain is PythonToolchain.pixi() (the default), but ${posix.join(settings.packageDir, 'pyproject.toml')} has no pixi manifest (no pixi.toml, no [tool.pixi]), so every job would fail at "pixi run". Set toolchain to the one the project uses: PythonToolchain.uv(), .poetry(), .hatch() or .pip().`);
  }
  if (!ADVISED.has(project) && hasPullRequestLint(project) && !existsSync(join(project.outdir, '.github', 'workflows', fileName))) {
    ADVISED.add(project);
    project.logger.warn('projen-pypi-pipelines: .github/workflows/pull-request-lint.yml (projen\'s PullRequestLint) runs on pull_request_target, which zizmor flags (dangerous-triggers): it runs with the base repository\'s token on a fork\'s pull request. It checks out no code of the pull request, so it is safe as projen writes it; to be rid of it, create the project with githubOptions: { pullRequestLint: false }.');
  }
}
const ADVISED = new WeakSet<Project>();

/** Whether projen's `PullRequestLint` is on: a child of the project (its constructor scopes it there; no walk of the whole tree). */
function hasPullRequestLint(project: Project): boolean {
  return project.node.children.some((c) => c instanceof github.PullRequestLint);
}

/** What the package's pyproject.toml says against the options: a missing package, a static version with fromTag(). */
export function checkPackage(who: string, project: Project, settings: ReleaseSettings, options: PythonReleasePipelineOptions): void {
  const file = posix.join(settings.packageDir, 'pyproject.toml');
  const facts = readPyproject(join(project.outdir, file));
  if (!facts && settings.monorepo) {
    project.logger.warn(`${who}: packageDir "${settings.packageDir}" has no pyproject.toml (${file}), so every job of the workflow would fail there. Check packageDir, or create the package.`);
  }
  if (facts && options.versionStrategy?.kind === 'tag' && facts.version && !facts.dynamic.includes('version')) {
    throw new Error(`${who}: versionStrategy is VersionStrategy.fromTag(), but ${file} has a static version ("${facts.version}"), which the build would use instead of the tag's. Make the version dynamic (dynamic = ["version"] with hatch-vcs or setuptools-scm), or use VersionStrategy.pyproject().`);
  }
}
