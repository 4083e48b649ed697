import { cibuildwheelStrategy } from './cibuildwheel-strategy';
import { CibuildwheelOptions, MaturinOptions, WheelBuild } from './distributions-options';
import { maturinStrategy } from './maturin-strategy';
import type { WheelStrategy } from './wheel-strategy';

export type * from './distributions-options';

/**
 * What a release builds: one pure wheel and the sdist (the default), or, for compiled packages, a
 * matrix of wheels, one per platform and Python, built by `pypa/cibuildwheel` or
 * `PyO3/maturin-action` on runners of each architecture.
 *
 * With a compiled strategy, release.yml sets the version once, in a `prepare` job (version, lock
 * file, changelog, release commit, handed on as a git bundle), before the matrix; every `wheels`
 * job and the `sdist` job check out exactly that commit, so every file carries the release's
 * version. A `gather` job then collects every file, checks that exactly the expected wheels are
 * there (`expectedWheels()`; each missing or extra one named by its Python and platform), writes
 * SHA256SUMS over all of them and hands them to the attest and release jobs. None of these jobs
 * holds a secret or reads a cache. Give the same `Distributions` to `PypiPublishPipeline`, whose
 * verify job checks the same set before anything is uploaded.
 */
export class Distributions {
  /** One wheel and the sdist from the toolchain's build command, in one build job (the default). */
  public static pure(): Distributions {
    return new Distributions('pure');
  }

  /**
   * C/C++ extensions built by `pypa/cibuildwheel`: one job per platform and architecture (Linux
   * x86_64 and aarch64, macOS x86_64 and arm64, Windows AMD64 by default), each building every
   * CPython of `pythons` (3.10 to 3.15 by default).
   */
  public static cibuildwheel(options: CibuildwheelOptions = {}): Distributions {
    return new Distributions('cibuildwheel', cibuildwheelStrategy(options));
  }

  /**
   * Rust packages built by `PyO3/maturin-action`: one job per Rust target, building one wheel per
   * target (`py3-none` for `bindings = "bin"`, cffi and uniffi; `cpXY-abi3` with `abi3`) or one
   * per Python (`pythons`).
   */
  public static maturin(options: MaturinOptions = {}): Distributions {
    return new Distributions('maturin', maturinStrategy(options));
  }

  /** `pure`, `cibuildwheel` or `maturin`. */
  public readonly kind: string;
  private readonly strategy?: WheelStrategy;

  private constructor(kind: string, strategy?: WheelStrategy) {
    this.kind = kind;
    this.strategy = strategy;
  }

  /** Whether the release builds a matrix of compiled wheels. */
  public get isCompiled(): boolean {
    return this.strategy !== undefined;
  }

  /**
   * The wheels a release must hold, as identifiers (`cp312-manylinux_x86_64`,
   * `cp314t-macosx_arm64`, `cp39-abi3-win_amd64`, `py3-none-musllinux_aarch64`), sorted; empty
   * for `pure()`, which needs one wheel of any name.
   */
  public expectedWheels(): string[] {
    return [...new Set((this.strategy?.builds ?? []).flatMap((b) => b.wheels))].sort();
  }

  /** The jobs of the wheel matrix; empty for `pure()`. */
  public wheelBuilds(): WheelBuild[] {
    return [...(this.strategy?.builds ?? [])];
  }

  /**
   * Whether a wheel of the release installs on the given platform and CPython, e.g.
   * `("manylinux_x86_64", "3.12")`: a wheel for that Python, a stable-ABI wheel for an older one,
   * or a `py3-none` wheel. Always true for `pure()`.
   * @param platform a platform as in the identifiers, e.g. `manylinux_x86_64`
   * @param python a CPython version, e.g. `3.12`
   */
  public hasWheelFor(platform: string, python: string): boolean {
    if (!this.strategy) return true;
    const minor = /^3\.(\d+)$/.exec(python)?.[1];
    return this.expectedWheels().some((id) => {
      const [, py, abi3] = /^(?:cp3(\d+)(-abi3)?|py3-none)-/.exec(id) ?? [];
      if (!id.endsWith(`-${platform}`)) return false;
      if (id.startsWith('py3-none-')) return true;
      return minor !== undefined && (abi3 ? Number(py) <= Number(minor) : py === minor && !id.startsWith(`cp3${py}t-`));
    });
  }

  /** @internal the resolved strategy (compiled only) */
  public get _strategy(): WheelStrategy {
    if (!this.strategy) throw new Error('Distributions.pure() has no wheel matrix.');
    return this.strategy;
  }
}
