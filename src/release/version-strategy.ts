import { SET_PYPROJECT_VERSION, VERIFY_PYPROJECT_VERSION } from '../scripts/release-scripts';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { StepOptions } from '../workflow/step';

/**
 * Where the project keeps its version, and so what the release job does with it before the build.
 */
export class VersionStrategy {
  /**
   * A static `[project].version` in pyproject.toml (the default): the release job writes the
   * version (with the toolchain's own command where it has one, e.g. `uv version`, otherwise our
   * script, which changes only that line) and commits it with the changelog.
   */
  public static pyproject(): VersionStrategy {
    return new VersionStrategy('pyproject');
  }

  /**
   * The version comes from the git tag (hatch-vcs, setuptools-scm). The tag does not exist yet
   * when the release job builds, so the build gets `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<DIST>`,
   * and the artifacts carry exactly the requested version.
   */
  public static fromTag(): VersionStrategy {
    return new VersionStrategy('tag');
  }

  /**
   * The version is committed by hand before releasing; the release job only checks that
   * pyproject.toml's `[project].version` equals the requested version and fails otherwise.
   */
  public static verifyOnly(): VersionStrategy {
    return new VersionStrategy('verify');
  }

  /** `pyproject`, `tag` or `verify`. */
  public readonly kind: string;

  private constructor(kind: string) {
    this.kind = kind;
  }

  /** The step that sets or checks the version before the build, if any. */
  public versionStep(toolchain: PythonToolchain): StepOptions | undefined {
    switch (this.kind) {
      case 'pyproject':
        return { name: 'Set the version', run: toolchain.command('setVersion') ?? SET_PYPROJECT_VERSION };
      case 'verify':
        return { name: 'Check the committed version', run: VERIFY_PYPROJECT_VERSION };
      default:
        return undefined;
    }
  }

  /** Environment for the build step; `version` is an expression for the version. */
  public buildEnv(distributionName: string, version: string): { [key: string]: string } {
    if (this.kind !== 'tag') return {};
    const dist = distributionName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    return { [`SETUPTOOLS_SCM_PRETEND_VERSION_FOR_${dist}`]: version };
  }
}
