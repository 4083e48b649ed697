import { StepOptions } from '../workflow/step';

/**
 * The commands a toolchain runs. Each is a bash command line run from the package directory
 * (the repository root unless `packageDir` is set); none may contain `${{ }}`.
 */
export interface ToolchainCommands {
  /**
   * Installs the project and its development dependencies, in the check jobs only (the release
   * job never installs the project's development dependencies: it only builds).
   * @default - per toolchain: uv `uv sync --locked`, poetry `poetry install --no-interaction`,
   * pip `python -m pip install -e ".[dev]"`; none for pixi (setup-pixi installs) and hatch (hatch
   * makes its environments on first use)
   */
  readonly install?: string;
  /** Lint. @default - per toolchain, e.g. `uv run ruff check` */
  readonly lint?: string;
  /** Static type check. @default - per toolchain, e.g. `uv run mypy .` */
  readonly typeCheck?: string;
  /** Security check (bandit, pip-audit...). @default - per toolchain, e.g. `uv run bandit -r src` */
  readonly securityCheck?: string;
  /**
   * Tests with coverage; must write the coverage report (`coverage.xml` unless the pipeline's
   * `coverageReport` says otherwise). @default - per toolchain, e.g. `uv run pytest --cov --cov-report=xml`
   */
  readonly test?: string;
  /**
   * Builds the wheel and the sdist into `dist/`, with nothing but the toolchain's setup steps
   * before it. @default - per toolchain, e.g. `uv build --no-sources`
   */
  readonly buildDistributions?: string;
  /**
   * Writes `$VERSION` where the project keeps it (`VersionStrategy.pyproject()`).
   * @default - uv `uv version "$VERSION" --no-sync`, hatch `hatch version --force "$VERSION"`,
   * poetry `poetry version "$VERSION"`; for pixi and pip our script, which changes only the
   * `[project].version` line of pyproject.toml
   */
  readonly setVersion?: string;
  /**
   * Brings the lock file up to date after the version changed, in the same step (so the release
   * commit carries it and the next release's `--locked` installs pass).
   * @default - pixi `pixi lock` (pixi.lock records the editable project's version); none for uv
   * (`uv version` updates uv.lock itself), poetry (poetry.lock holds no project version), hatch and pip
   */
  readonly lock?: string;
}

/** The quality checks that run as parallel jobs before a release. */
export enum QualityCheck {
  /** `lint` */
  LINT = 'lint',
  /** `typeCheck` */
  TYPE_CHECK = 'typeCheck',
  /** `securityCheck` */
  SECURITY_CHECK = 'securityCheck',
  /** `test` */
  TEST = 'test',
}

/** Options every toolchain takes. */
export interface ToolchainOptions {
  /**
   * Replaces some of the toolchain's default commands.
   * @default - the toolchain's defaults
   */
  readonly commands?: ToolchainCommands;
  /**
   * Checks this project does not have (e.g. no type checker): their jobs are left out.
   * @default - none
   */
  readonly skip?: QualityCheck[];
}

/** Options of `PythonToolchain.pixi()`. */
export interface PixiToolchainOptions extends ToolchainOptions {
  /**
   * The exact pixi version to install.
   * @default "v0.77.0"
   */
  readonly pixiVersion?: string;
  /**
   * pixi environments to install (space separated).
   * @default - the default environment
   */
  readonly environments?: string;
}

/** Options of `PythonToolchain.uv()`. */
export interface UvToolchainOptions extends ToolchainOptions {
  /**
   * The exact uv version to install.
   * @default "0.13.9"
   */
  readonly uvVersion?: string;
  /**
   * Python version for uv to use (`UV_PYTHON`).
   * @default - from the project (`.python-version` or `requires-python`)
   */
  readonly pythonVersion?: string;
}

/** Options of the toolchains that run on `actions/setup-python` (hatch, poetry, pip). */
export interface SetupPythonToolchainOptions extends ToolchainOptions {
  /**
   * Python version to set up.
   * @default "3.12"
   */
  readonly pythonVersion?: string;
  /**
   * Exact version of the tool: hatch or poetry (installed with pipx), or for pip the `build`
   * package the build job builds with.
   * @default - hatch "1.18.2", poetry "2.5.1", build "1.6.1"
   */
  readonly toolVersion?: string;
}

/** A setup step of a toolchain: its id and what it does. */
export interface ToolchainStep {
  /** The step id. */
  readonly id: string;
  /** The step. */
  readonly step: StepOptions;
}

/** Options of `PythonToolchain.custom()`. */
export interface CustomToolchainOptions extends ToolchainOptions {
  /** A name for error messages and docs. */
  readonly name: string;
  /** Setup steps for the check jobs (may cache). */
  readonly checkSetup: ToolchainStep[];
  /**
   * Setup steps for the release job; they must not cache, and must make `buildDistributions`
   * (and `setVersion`, if given) work on their own.
   * @default - the check setup steps, which then must not cache either
   */
  readonly releaseSetup?: ToolchainStep[];
}
