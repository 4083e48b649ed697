import { CustomToolchainOptions, PixiToolchainOptions, QualityCheck, SetupPythonToolchainOptions, ToolchainCommands, ToolchainOptions, ToolchainStep, UvToolchainOptions } from './toolchain-options';
import { checkSetupPythonOptions, checkVersion, pipxInstallStep, pixiLockFormat, PYTHON_VERSION, setupPythonStep, withoutUndefined } from './toolchain-steps';
import { TOOLS } from '../catalog/catalog';
import { CHECK_PIXI_LOCK } from '../scripts/toolchain-scripts';
import { ActionPins } from '../workflow/action-pin';
import { cachesIn, inPackage } from '../workflow/common-steps';

const COMMAND_KEYS = ['install', 'lint', 'typeCheck', 'securityCheck', 'test', 'buildDistributions', 'setVersion', 'lock'];

const PIXI_VERSION = /^v\d+\.\d+\.\d+$/;
const UV_VERSION = /^\d+\.\d+\.\d+$/;

/** Where the setup steps of one job set things up. */
interface SetupContext {
  readonly cache: boolean;
  readonly python?: string;
  readonly packageDir: string;
}

type SetupFn = (context: SetupContext) => ToolchainStep[];
type ValidateFn = (packageDir: string) => ToolchainStep[];

/**
 * How a Python project is set up, checked, tested and built: a strategy object with a static
 * factory per toolchain. Every command can be replaced (`commands`) and every check switched off
 * (`skip`); `custom()` takes setup steps and commands of your own.
 *
 * The defaults, each run from the package directory:
 *
 * | toolchain | setup | install | lint | type-check | security-check | test | build | set version |
 * |---|---|---|---|---|---|---|---|---|
 * | pixi | `prefix-dev/setup-pixi` (locked) | (setup installs) | `pixi run lint` | `pixi run type-check` | `pixi run security-check` | `pixi run test` | `pixi run build` | our pyproject.toml script |
 * | uv | `astral-sh/setup-uv` | `uv sync --locked` | `uv run ruff check` | `uv run mypy .` | `uv run bandit -r src` | `uv run pytest --cov --cov-report=xml` | `uv build --no-sources` | `uv version "$VERSION" --no-sync` |
 * | hatch | `actions/setup-python`, `pipx install hatch==V` | (none) | `hatch check code && hatch check fmt` | `hatch run types:check` | `hatch run security:check` | `hatch test --cover-xml` | `hatch build` | `hatch version --force "$VERSION"` |
 * | poetry | `pipx install poetry==V`, `actions/setup-python` | `poetry install --no-interaction` | `poetry run ruff check` | `poetry run mypy .` | `poetry run bandit -r src` | `poetry run pytest --cov --cov-report=xml` | `poetry build` | `poetry version "$VERSION"` |
 * | pip | `actions/setup-python` | `python -m pip install -e ".[dev]"` | `python -m ruff check` | `python -m mypy .` | `python -m bandit -r src` | `python -m pytest --cov --cov-report=xml` | `python -m pip install build==V && python -m build` | our pyproject.toml script |
 *
 * Caches: pixi (keyed on `pixi.lock`), uv, poetry (`poetry.lock`) and pip (`pyproject.toml`)
 * cache in the check jobs only; the release job never caches.
 */
export class PythonToolchain {
  /**
   * pixi (the default): `prefix-dev/setup-pixi` with an exact pixi version and the locked
   * environment (it installs it), then `pixi run <task>` for each check, so the project defines
   * the tasks `lint`, `type-check`, `security-check`, `test` (writing `coverage.xml`) and `build`.
   * The check jobs cache the environment (keyed on `pixi.lock`); the release job does not.
   * pixi takes Python from its manifest, so `pythonVersions` is not supported: define one pixi
   * environment per Python version instead. The version is set with our script, because
   * `pixi workspace version set` writes pixi.toml's workspace version, not the package's.
   */
  public static pixi(options: PixiToolchainOptions = {}): PythonToolchain {
    const version = options.pixiVersion ?? TOOLS.pixi.version;
    checkVersion('pixi', 'pixiVersion', version, PIXI_VERSION, TOOLS.pixi.version);
    const setup: SetupFn = ({ cache, python, packageDir }) => {
      if (python) {
        throw new Error('PythonToolchain.pixi(): pythonVersions cannot be used with pixi, which takes Python from the pixi manifest. Define one pixi environment per Python version and a task for each, or use another toolchain.');
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
            ...(packageDir !== '.' ? { 'working-directory': packageDir } : {}),
          },
        },
      }];
    };
    const [maxFormat, newerPixi] = pixiLockFormat(version);
    const validate: ValidateFn = (packageDir) => [{
      id: 'pixi-lock',
      step: {
        name: 'Check that the pinned pixi reads pixi.lock',
        run: CHECK_PIXI_LOCK,
        env: {
          LOCK_FILE: inPackage(packageDir, 'pixi.lock'),
          PIXI_VERSION: version,
          MAX_LOCK_FORMAT: String(maxFormat),
          NEWER_PIXI: newerPixi ?? version,
        },
      },
    }];
    return new PythonToolchain('pixi', setup, {
      lint: 'pixi run lint',
      typeCheck: 'pixi run type-check',
      securityCheck: 'pixi run security-check',
      test: 'pixi run test',
      buildDistributions: 'pixi run build',
      lock: 'pixi lock',
    }, options, validate);
  }

  /**
   * uv: `astral-sh/setup-uv` with an exact uv version, `uv sync --locked`, `uv run ruff check`,
   * `uv run mypy .`, `uv run bandit -r src`, `uv run pytest --cov --cov-report=xml`,
   * `uv build --no-sources`, and `uv version "$VERSION" --no-sync` for a static version (it
   * updates uv.lock too, so the next `uv sync --locked` passes). uv's cache is on in the check
   * jobs and explicitly off in the release job (setup-uv's default would turn it on).
   */
  public static uv(options: UvToolchainOptions = {}): PythonToolchain {
    const version = options.uvVersion ?? TOOLS.uv.version;
    checkVersion('uv', 'uvVersion', version, UV_VERSION, TOOLS.uv.version);
    if (options.pythonVersion !== undefined) checkVersion('uv', 'pythonVersion', options.pythonVersion, PYTHON_VERSION, '3.12');
    const setup: SetupFn = ({ cache, python, packageDir }) => {
      const pythonVersion = python ?? options.pythonVersion;
      return [{
        id: 'setup-uv',
        step: {
          name: 'Set up uv',
          uses: ActionPins.SETUP_UV.ref,
          with: {
            'version': version,
            'enable-cache': cache,
            ...(pythonVersion ? { 'python-version': pythonVersion } : {}),
            ...(packageDir !== '.' ? { 'working-directory': packageDir } : {}),
          },
        },
      }];
    };
    return new PythonToolchain('uv', setup, {
      install: 'uv sync --locked',
      lint: 'uv run ruff check',
      typeCheck: 'uv run mypy .',
      securityCheck: 'uv run bandit -r src',
      test: 'uv run pytest --cov --cov-report=xml',
      buildDistributions: 'uv build --no-sources',
      setVersion: 'uv version "$VERSION" --no-sync',
    }, options);
  }

  /**
   * hatch: `actions/setup-python`, hatch from pipx (exact version), `hatch check code && hatch check fmt`,
   * `hatch run types:check` (the `types` environment of hatch's project template),
   * `hatch run security:check` (a `security` environment with a `check` script the project
   * defines, or skip it), `hatch test --cover-xml`, `hatch build`, and
   * `hatch version --force "$VERSION"` (static `[project].version` or hatch's own version source;
   * `--force` lets a re-run set the same version again). hatch keeps its environments outside
   * the runner's caches, so nothing is cached.
   */
  public static hatch(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    const toolVersion = options.toolVersion ?? TOOLS.hatch.version;
    checkSetupPythonOptions('hatch', options, toolVersion);
    return new PythonToolchain('hatch', ({ python }) => [
      setupPythonStep(python ?? options.pythonVersion),
      pipxInstallStep('hatch', toolVersion),
    ], {
      lint: 'hatch check code && hatch check fmt',
      typeCheck: 'hatch run types:check',
      securityCheck: 'hatch run security:check',
      test: 'hatch test --cover-xml',
      buildDistributions: 'hatch build',
      setVersion: 'hatch version --force "$VERSION"',
    }, options);
  }

  /**
   * poetry: poetry from pipx (exact version), then `actions/setup-python` (which caches
   * poetry's virtualenvs keyed on `poetry.lock` in the check jobs), `poetry install --no-interaction`,
   * `poetry run ruff check`, `poetry run mypy .`, `poetry run bandit -r src`,
   * `poetry run pytest --cov --cov-report=xml`, `poetry build`, `poetry version "$VERSION"`.
   */
  public static poetry(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    const toolVersion = options.toolVersion ?? TOOLS.poetry.version;
    checkSetupPythonOptions('poetry', options, toolVersion);
    return new PythonToolchain('poetry', ({ cache, python, packageDir }) => [
      pipxInstallStep('poetry', toolVersion),
      setupPythonStep(python ?? options.pythonVersion, cache ? { 'cache': 'poetry', 'cache-dependency-path': inPackage(packageDir, 'poetry.lock') } : {}),
    ], {
      install: 'poetry install --no-interaction',
      lint: 'poetry run ruff check',
      typeCheck: 'poetry run mypy .',
      securityCheck: 'poetry run bandit -r src',
      test: 'poetry run pytest --cov --cov-report=xml',
      buildDistributions: 'poetry build',
      setVersion: 'poetry version "$VERSION"',
    }, options);
  }

  /**
   * Plain pip: `actions/setup-python` (pip's cache keyed on `pyproject.toml` in the check jobs),
   * `python -m pip install -e ".[dev]"` (so the `dev` extra lists ruff, mypy, bandit, pytest,
   * pytest-cov), the tools as modules (`python -m ruff check`, `python -m mypy .`,
   * `python -m bandit -r src`, `python -m pytest --cov --cov-report=xml`), and
   * `python -m pip install build==V && python -m build`. The version is set with our script.
   */
  public static pip(options: SetupPythonToolchainOptions = {}): PythonToolchain {
    const buildVersion = options.toolVersion ?? TOOLS.build.version;
    checkSetupPythonOptions('pip', options, buildVersion);
    return new PythonToolchain('pip', ({ cache, python, packageDir }) => [
      setupPythonStep(python ?? options.pythonVersion, cache ? { 'cache': 'pip', 'cache-dependency-path': inPackage(packageDir, 'pyproject.toml') } : {}),
    ], {
      install: 'python -m pip install -e ".[dev]"',
      lint: 'python -m ruff check',
      typeCheck: 'python -m mypy .',
      securityCheck: 'python -m bandit -r src',
      test: 'python -m pytest --cov --cov-report=xml',
      buildDistributions: `python -m pip install "build==${buildVersion}" && python -m build`,
    }, options);
  }

  /**
   * A toolchain of your own: your setup steps and commands. `commands.buildDistributions` is
   * required; checks without a command are left out. The release job's setup steps must not
   * cache (give `releaseSetup` when the check setup does). `pythonVersions` is not supported.
   */
  public static custom(options: CustomToolchainOptions): PythonToolchain {
    if (!options.name?.trim()) throw new Error('PythonToolchain.custom(): "name" is required.');
    const where = `PythonToolchain.custom("${options.name}")`;
    if (!options.commands?.buildDistributions) {
      throw new Error(`${where}: commands.buildDistributions is required: the command that builds the wheel and sdist into dist/.`);
    }
    if (!options.checkSetup?.length) {
      throw new Error(`${where}: checkSetup is empty; give at least one setup step (e.g. actions/setup-python).`);
    }
    const check = options.checkSetup;
    const release = options.releaseSetup ?? check;
    for (const { id, step } of release) {
      if (cachesIn(step)) {
        throw new Error(`${where}: ${options.releaseSetup ? 'releaseSetup' : 'checkSetup (used for the release job, as releaseSetup is not given)'} step "${id}" caches; the release job must never use a cache (cache poisoning). Give releaseSetup steps with the cache off.`);
      }
    }
    return new PythonToolchain(options.name, ({ cache, python }) => {
      if (python) throw new Error(`${where}: pythonVersions cannot be used with a custom toolchain; run your own matrix in the test command or use a toolchain that sets up Python.`);
      return cache ? check : release;
    }, {}, options);
  }

  /** The toolchain's name. */
  public readonly name: string;
  private readonly setup: SetupFn;
  private readonly commandMap: ToolchainCommands;
  private readonly skipped: QualityCheck[];
  private readonly validate?: ValidateFn;

  private constructor(name: string, setup: SetupFn, defaults: ToolchainCommands, options: ToolchainOptions, validate?: ValidateFn) {
    const where = `PythonToolchain.${name}()`;
    for (const [key, value] of Object.entries(options.commands ?? {})) {
      if (!COMMAND_KEYS.includes(key)) {
        throw new Error(`${where}: commands.${key} is not a toolchain command. Known commands: ${COMMAND_KEYS.join(', ')}. To switch a check off, list it in "skip".`);
      }
      if (value === undefined) continue;
      if (typeof value !== 'string' || !value.trim() || value.includes('${{')) {
        throw new Error(`${where}: commands.${key} must be a non-empty command line without \${{ }} expressions (pass values through env). To switch a check off, list it in "skip".`);
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
    this.commandMap = { ...defaults, ...withoutUndefined(options.commands ?? {}) };
    this.skipped = [...(options.skip ?? [])];
    this.validate = validate;
  }

  /**
   * The command for `key` (`install`, `lint`, `typeCheck`, `securityCheck`, `test`,
   * `buildDistributions`, `setVersion`), or undefined when the toolchain has none or it is skipped.
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
   * Checks of the toolchain's files for release.yml's validate job, which checks out the
   * repository first (pixi: that the pinned pixi reads the committed pixi.lock).
   * @param packageDir the package directory, relative to the repository root
   */
  public validateSteps(packageDir?: string): ToolchainStep[] {
    return this.validate?.(packageDir ?? '.') ?? [];
  }

  /**
   * The setup steps of one job.
   * @param cache whether the steps may cache (check jobs yes, release and publish jobs never)
   * @param pythonVersion a Python version to set up instead of the default (test matrix); may be
   * an expression such as `${{ matrix.python }}`
   * @param packageDir the package directory, relative to the repository root (monorepos)
   */
  public setupSteps(cache: boolean, pythonVersion?: string, packageDir?: string): ToolchainStep[] {
    return this.setup({ cache, python: pythonVersion, packageDir: packageDir ?? '.' });
  }
}
