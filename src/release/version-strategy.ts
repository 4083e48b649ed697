import { SET_BUILD_VERSION, SET_PYPROJECT_VERSION, VERIFY_PYPROJECT_VERSION } from '../scripts/version-scripts';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { StepOptions } from '../workflow/step';

/**
 * Where the project keeps its version, and so what the release workflow does with it. Whatever
 * the strategy, the release job checks that the built wheel and sdist carry exactly the version.
 */
export class VersionStrategy {
  /**
   * A static `[project].version` in pyproject.toml (the default): the release job writes the
   * version before the build and commits it with the changelog. It uses the toolchain's
   * `setVersion` command (`uv version`, `hatch version`, `poetry version`), or for pixi and pip
   * our script, which changes only that one line.
   */
  public static pyproject(): VersionStrategy {
    return new VersionStrategy('pyproject');
  }

  /**
   * The version comes from the git tag (hatch-vcs, setuptools-scm, poetry-dynamic-versioning).
   * The tag does not exist yet when the build job builds, so the build step gets
   * `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>` (what setuptools-scm reads for the setuptools
   * backend), `SETUPTOOLS_SCM_PRETEND_VERSION` (hatch-vcs does not pass the distribution name to
   * setuptools-scm, so only this one reaches it) and `POETRY_DYNAMIC_VERSIONING_BYPASS`, each set
   * to the version: the artifacts carry exactly that version, not `X.devN+g<sha>`.
   */
  public static fromTag(): VersionStrategy {
    return new VersionStrategy('tag');
  }

  /**
   * The version is committed by hand before releasing; the workflow only checks, in its first
   * job, that pyproject.toml's `[project].version` equals the requested (PEP 440) version, and
   * fails with a message saying both otherwise.
   */
  public static verifyOnly(): VersionStrategy {
    return new VersionStrategy('verify');
  }

  /**
   * The version is given to the build only, never committed: the build job sets it after the
   * release commit (which then holds the changelog alone), with the toolchain's `setVersion`
   * command, or for pip our script, which sets `[project].version` or a projen-generated setup.py's
   * `"version"`. The default for a projen `python.PythonProject`, whose pyproject.toml (or
   * setup.py) projen owns: a committed version would be reverted by the next `npx projen`. The tag
   * and the distributions carry the version; the repository keeps the one in .projenrc.
   */
  public static buildOnly(): VersionStrategy {
    return new VersionStrategy('build');
  }

  /** `pyproject`, `tag`, `verify` or `build`. */
  public readonly kind: string;

  private constructor(kind: string) {
    this.kind = kind;
  }

  /** Whether the release commit carries the version (else the build alone gets it). */
  public get commitsVersion(): boolean {
    return this.kind === 'pyproject';
  }

  /**
   * The step of the validate job that checks the committed version (verify-only), if any; it
   * reads `$VERSION` and runs in the package directory.
   */
  public validateStep(): StepOptions | undefined {
    return this.kind === 'verify'
      ? { name: 'Check the committed version', run: VERIFY_PYPROJECT_VERSION }
      : undefined;
  }

  /**
   * The step of the build job that writes the version before the build (static version), then
   * brings the toolchain's lock file up to date (`pixi lock`), so the release commit carries both;
   * undefined for the other strategies. It reads `$VERSION` and runs in the package directory.
   */
  public versionStep(toolchain: PythonToolchain): StepOptions | undefined {
    if (this.kind === 'build') {
      return { name: 'Set the version for this build (not committed)', run: toolchain.command('setVersion') ?? SET_BUILD_VERSION };
    }
    if (this.kind !== 'pyproject') return undefined;
    const set = toolchain.command('setVersion') ?? SET_PYPROJECT_VERSION;
    const lock = toolchain.command('lock');
    return {
      name: lock ? 'Set the version and update the lock file' : 'Set the version',
      run: lock ? `${set.trimEnd()}\n${lock}\n` : set,
    };
  }

  /** Environment of the build step; `version` is the version or an expression for it. */
  public buildEnv(distributionName: string, version: string): { [key: string]: string } {
    if (this.kind !== 'tag') return {};
    return {
      [`SETUPTOOLS_SCM_PRETEND_VERSION_FOR_${pretendVersionSuffix(distributionName)}`]: version,
      SETUPTOOLS_SCM_PRETEND_VERSION: version,
      POETRY_DYNAMIC_VERSIONING_BYPASS: version,
    };
  }
}

/**
 * The `<DIST>` of `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>` as setuptools-scm >= 8 derives it:
 * the canonical name (runs of `-`, `_`, `.` become `-`), `-` replaced by `_`, upper case.
 */
function pretendVersionSuffix(distributionName: string): string {
  return distributionName.toLowerCase().replace(/[-_.]+/g, '-').replace(/-/g, '_').toUpperCase();
}
