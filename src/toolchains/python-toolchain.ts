import { ActionPins } from '../workflow/action-pin';
import { StepOptions } from '../workflow/step';

/** The commands a toolchain runs; each is a bash command line run from the package directory. */
export interface ToolchainCommands {
  /**
   * Installs the project and its development dependencies.
   * @default - per toolchain; none for pixi and uv, whose setup installs
   */
  readonly install?: string;
  /** Lint. @default - per toolchain, e.g. `pixi run lint` */
  readonly lint?: string;
  /** Static type check. @default - per toolchain, e.g. `pixi run type-check` */
  readonly typeCheck?: string;
  /** Security check (bandit, pip-audit...). @default - per toolchain, e.g. `pixi run security-check` */
  readonly securityCheck?: string;
  /** Tests with coverage; must write the coverage report. @default - per toolchain, e.g. `pixi run test` */
  readonly test?: string;
  /** Builds the wheel and the sdist into `dist/`. @default - per toolchain, e.g. `pixi run build` */
  readonly buildDistributions?: string;
  /**
   * Writes `$VERSION` where the project keeps it (static version strategy).
   * @default - our script that sets `[project].version` in pyproject.toml
   */
  readonly setVersion?: string;
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
   * Checks this project does not have (e.g. no type checker); their jobs are left out.
   * @default - none
   */
  readonly skip?: QualityCheck[];
}

/** Options of `PythonToolchain.pixi()`. */
export interface PixiToolchainOptions extends ToolchainOptions {
  /**
   * The exact pixi version to install.
   * @default "v0.66.0"
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
   * @default "0.13.8"
   */
  readonly uvVersion?: string;
  /**
   * Python version for uv to use.
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
   * Exact version of the tool (hatch or poetry) installed with pipx.
   * @default - hatch "1.18.2", poetry "2.5.1"; unused for pip
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
  /** Setup steps for check jobs (may cache). */
  readonly checkSetup: ToolchainStep[];
  /**
   * Setup steps for the release job (must not cache).
   * @default - the check setup steps
   */
  readonly releaseSetup?: ToolchainStep[];
}

const COMMAND_KEYS = ['install', 'lint', 'typeCheck', 'securityCheck', 'test', 'buildDistributions', 'setVersion'];

/**
 * How a Python project is set up, checked, tested and built: a strategy object with a static
 * factory per toolchain. Every command can be replaced (`commands`) and every check switched off
 * (`skip`).
 *
 * | toolchain | lint | type-check | security-check | test | build |
 * |---|---|---|---|---|---|
 * | pixi | `pixi run lint` | `pixi run type-check` | `pixi run security-check` | `pixi run test` | `pixi run build` |
 * | uv | `uv run ruff check` | `uv run mypy .` | `uv run bandit -r src` | `uv run pytest --cov --cov-report=xml` | `uv build --no-sources` |
 * | hatch | `hatch fmt --check` | `hatch run types:check` | `hatch run security:check` | `hatch test --cover` + xml | `hatch build` |
 * | poetry | `poetry run ruff check` | `poetry run mypy .` | `poetry run bandit -r src` | `poetry run pytest --cov --cov-report=xml` | `poetry build` |
 * | pip | `python -m ruff check` | `python -m mypy .` | `python -m bandit -r src` | `python -m pytest --cov --cov-report=xml` | `python -m build` |
 */
export class PythonToolchain {
  /**
   * pixi (the default): `prefix-dev/setup-pixi` with an exact pixi version, the locked
   * environment, then `pixi run <task>` for each check. The check jobs cache the environment
   * (keyed on `pixi.lock`); the release job does not.
   */
  public static pixi(options: PixiToolchainOptions = {}): PythonToolchain {
    const version = options.pixiVersion ?? 'v0.66.0';
    const setup = (cache: boolean, python?: string): ToolchainStep[] => {
      if (python) {
        throw new Error('PythonToolchain.pixi(): pixi takes its Python from the pixi manifest, so pythonVersions cannot set it. Define one pixi environment per Python version instead, or use another toolchain.');
      }
      return [{
      id: 'setup-pixi',
      step: {
        name: 'Set up pixi',
        uses: ActionPins.SETUP_PIXI.ref,
        with: {
          'pixi-version': version,
          'locked': true,
          'cache': cache,
          ...(options.environments ? { environments: options.environments } : {}),
        },
      },
      }];
    };
    return new PythonToolchain('pixi', setup, {
      lint: 'pixi run lint',
      typeCheck: 'pixi run type-check',
      securityCheck: 'pixi run security-check',
      test: 'pixi run test',
      buildDistributions: 'pixi run build',
    }, options);
  }

  /**
   * uv: `astral-sh/setup-uv` with an exact uv version, `uv sync --locked`, `uv run ...`,
   * `uv build --no-sources`, and `uv version` to set a static version. uv's cache is on in the
   * check jobs only.
   */
  public static uv(options: UvToolchainOptions = {}): PythonToolchain {
    const setup = (cache: boolean, python?: string): ToolchainStep[] => [{
      id: 'setup-uv',
      step: {
        name: 'Set up uv',
        uses: ActionPins.SETUP_UV.ref,
        with: {
          'version': options.uvVersion ?? '0.13.8',
          'enable-cache': cache,
          ...(python ?? options.pythonVersion ? { 'python-version': python ?? options.pythonVersion } : {}),
        },
      },
    }];
    return new PythonToolchain('uv', setup, {
      install: 'uv sync --locked',
      lint: 'uv run ruff check',
      typeCheck: 'uv run mypy .',
      securityCheck: 'uv run bandit -r src',
      test: 'uv run pytest --cov --cov-report=xml',
      buildDistributions: 'uv build --no-sources',
      setVersion: 'uv version "$VERSION" --frozen',
    }, options);
  }

  /** hatch: `actions/setup-python`, hatch from pipx, `hatch fmt --check`, `hatch test --cover`, `hatch build`. */
  public static hatch(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    return new PythonToolchain('hatch', setupPythonWith('hatch', options.pythonVersion, options.toolVersion ?? '1.18.2'), {
      lint: 'hatch fmt --check',
      typeCheck: 'hatch run types:check',
      securityCheck: 'hatch run security:check',
      test: 'hatch test --cover && hatch run coverage xml',
      buildDistributions: 'hatch build',
    }, options);
  }

  /** poetry: `actions/setup-python`, poetry from pipx, `poetry install`, `poetry run ...`, `poetry build`, `poetry version`. */
  public static poetry(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    return new PythonToolchain('poetry', setupPythonWith('poetry', options.pythonVersion, options.toolVersion ?? '2.5.1'), {
      install: 'poetry install --no-interaction',
      lint: 'poetry run ruff check',
      typeCheck: 'poetry run mypy .',
      securityCheck: 'poetry run bandit -r src',
      test: 'poetry run pytest --cov --cov-report=xml',
      buildDistributions: 'poetry build',
      setVersion: 'poetry version "$VERSION"',
    }, options);
  }

  /** Plain pip: `actions/setup-python`, `pip install -e .[dev]`, the tools as modules, `python -m build`. */
  public static pip(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    return new PythonToolchain('pip', setupPythonWith(undefined, options.pythonVersion, undefined), {
      install: 'python -m pip install --upgrade pip build && python -m pip install -e ".[dev]"',
      lint: 'python -m ruff check',
      typeCheck: 'python -m mypy .',
      securityCheck: 'python -m bandit -r src',
      test: 'python -m pytest --cov --cov-report=xml',
      buildDistributions: 'python -m build',
    }, options);
  }

  /** A toolchain of your own: your setup steps and commands. */
  public static custom(options: CustomToolchainOptions): PythonToolchain {
    if (!options.name?.trim()) throw new Error('PythonToolchain.custom: "name" is required.');
    const check = options.checkSetup;
    const release = options.releaseSetup ?? check;
    return new PythonToolchain(options.name, (cache, python) => {
      if (python) throw new Error(`PythonToolchain.custom("${options.name}"): pythonVersions needs a toolchain that can set the Python version.`);
      return cache ? check : release;
    }, {}, options);
  }

  /** The toolchain's name. */
  public readonly name: string;
  private readonly setup: (cache: boolean, python?: string) => ToolchainStep[];
  private readonly commandMap: ToolchainCommands;
  private readonly skipped: QualityCheck[];

  private constructor(name: string, setup: (cache: boolean, python?: string) => ToolchainStep[], defaults: ToolchainCommands, options: ToolchainOptions) {
    const where = `PythonToolchain.${name}()`;
    for (const [key, value] of Object.entries(options.commands ?? {})) {
      if (!COMMAND_KEYS.includes(key)) {
        throw new Error(`${where}: commands.${key} is not a toolchain command. Known commands: ${COMMAND_KEYS.join(', ')}. To switch a check off, list it in "skip".`);
      }
      if (typeof value !== 'string' || !value.trim() || value.includes('${{')) {
        throw new Error(`${where}: commands.${key} must be a non-empty command line without \${{ }} expressions.`);
      }
    }
    const known = Object.values(QualityCheck) as string[];
    for (const s of options.skip ?? []) {
      if (!known.includes(s)) {
        throw new Error(`${where}: skip entry "${s}" is not a quality check. Use QualityCheck.${Object.keys(QualityCheck).join(', QualityCheck.')}.`);
      }
    }
    this.name = name;
    this.setup = setup;
    this.commandMap = { ...defaults, ...options.commands };
    this.skipped = [...(options.skip ?? [])];
  }

  /**
   * The command for `key` (`install`, `lint`, `typeCheck`, `securityCheck`, `test`, `buildDistributions`,
   * `setVersion`), or undefined when the toolchain has none or it is skipped.
   */
  public command(key: string): string | undefined {
    if (!COMMAND_KEYS.includes(key)) {
      throw new Error(`PythonToolchain.${this.name}(): "${key}" is not a toolchain command (${COMMAND_KEYS.join(', ')}).`);
    }
    if ((this.skipped as string[]).includes(key)) return undefined;
    return (this.commandMap as Record<string, string | undefined>)[key];
  }

  /** The checks that run, in order. */
  public get checks(): QualityCheck[] {
    return [QualityCheck.LINT, QualityCheck.TYPE_CHECK, QualityCheck.SECURITY_CHECK, QualityCheck.TEST]
      .filter((c) => this.command(c) !== undefined);
  }

  /**
   * The setup steps.
   * @param cache whether the steps may cache (check jobs yes, release and publish jobs no)
   * @param pythonVersion a Python version to set up instead of the default (test matrix)
   */
  public setupSteps(cache: boolean, pythonVersion?: string): ToolchainStep[] {
    return this.setup(cache, pythonVersion);
  }
}

function setupPythonWith(tool: string | undefined, pythonVersion: string | undefined, toolVersion: string | undefined) {
  return (_cache: boolean, python?: string): ToolchainStep[] => [
    {
      id: 'setup-python',
      step: {
        name: 'Set up Python',
        uses: ActionPins.SETUP_PYTHON.ref,
        with: { 'python-version': python ?? pythonVersion ?? '3.12' },
      },
    },
    ...(tool ? [{
      id: `install-${tool}`,
      step: {
        name: `Install ${tool}`,
        run: `pipx install "${tool}==${toolVersion}"`,
      },
    }] : []),
  ];
}
