/** Architectures to build per platform, in cibuildwheel's names (`CIBW_ARCHS`). */
export interface CibuildwheelArchs {
  /**
   * Linux: `x86_64`, `i686` (on ubuntu-24.04), `aarch64` (native, on ubuntu-24.04-arm).
   * @default ["x86_64", "aarch64"]
   */
  readonly linux?: string[];
  /**
   * macOS: `x86_64` (macos-15-intel), `arm64` and `universal2` (macos-15).
   * @default ["x86_64", "arm64"]
   */
  readonly macos?: string[];
  /**
   * Windows: `AMD64` and `x86` (windows-2025), `ARM64` (windows-11-arm).
   * @default ["AMD64"]
   */
  readonly windows?: string[];
}

/** Options of `Distributions.cibuildwheel()`. */
export interface CibuildwheelOptions {
  /**
   * The platforms to build wheels for: `linux`, `macos`, `windows`.
   * @default ["linux", "macos", "windows"]
   */
  readonly platforms?: string[];
  /**
   * The CPython versions, one wheel each per platform and architecture: `"3.9"` to `"3.15"`,
   * free-threaded `"3.14t"`, `"3.15t"` (what the pinned cibuildwheel builds).
   * @default ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
   */
  readonly pythons?: string[];
  /**
   * The architectures of each platform.
   * @default - Linux x86_64 and aarch64, macOS x86_64 and arm64, Windows AMD64
   */
  readonly archs?: CibuildwheelArchs;
  /**
   * The Linux wheel families: `manylinux` (glibc), `musllinux` (Alpine and other musl systems).
   * @default ["manylinux"]
   */
  readonly linuxLibcs?: string[];
  /**
   * More cibuildwheel settings for every build, as `CIBW_*` environment variables, e.g.
   * `{ CIBW_TEST_COMMAND: "python -c 'import mypkg'" }`. `CIBW_BUILD`, `CIBW_ARCHS`, `CIBW_SKIP`
   * and `CIBW_PLATFORM` are the pipeline's: they decide which wheels the release holds.
   * @default - none (the project's `[tool.cibuildwheel]` applies)
   */
  readonly environment?: { [key: string]: string };
  /**
   * Runner labels instead of the defaults, keyed `<platform>-<arch>`, e.g.
   * `{ "linux-aarch64": "ubuntu-24.04-arm" }`.
   * @default - ubuntu-24.04, ubuntu-24.04-arm, macos-15-intel, macos-15, windows-2025, windows-11-arm
   */
  readonly runners?: { [key: string]: string };
  /**
   * Minutes before a wheel job is cancelled.
   * @default 60
   */
  readonly timeoutMinutes?: number;
}

/** Options of `Distributions.maturin()`. */
export interface MaturinOptions {
  /**
   * Rust target triples, one wheel each (per Python with `pythons`): `x86_64-unknown-linux-gnu`,
   * `i686-unknown-linux-gnu`, `aarch64-unknown-linux-gnu`, `x86_64-unknown-linux-musl`,
   * `aarch64-unknown-linux-musl`, `x86_64-apple-darwin`, `aarch64-apple-darwin`,
   * `universal2-apple-darwin`, `x86_64-pc-windows-msvc`, `i686-pc-windows-msvc`,
   * `aarch64-pc-windows-msvc`. Each builds natively on its runner.
   * @default - x86_64 and aarch64 Linux (glibc), x86_64 and aarch64 macOS, x86_64 Windows
   */
  readonly targets?: string[];
  /**
   * For PyO3 with the stable ABI (`abi3-py39` feature): the lowest Python, e.g. `"3.9"`; each
   * target then builds one `cp39-abi3` wheel.
   * @default - none
   */
  readonly abi3?: string;
  /**
   * For PyO3 without the stable ABI: the CPython versions, one wheel each per target (built with
   * `--interpreter`; macOS and Windows runners set them up with actions/setup-python).
   * @default - none: one `py3-none` wheel per target (`bindings = "bin"`, cffi, uniffi)
   */
  readonly pythons?: string[];
  /**
   * The manylinux policy of the Linux glibc wheels (maturin-action's `manylinux` input):
   * `auto` (manylinux2014), `2_17`, `2_28`, `2_34`.
   * @default "auto"
   */
  readonly manylinux?: string;
  /**
   * The maturin that builds (maturin-action's `maturin-version`; pinned, as the action would
   * otherwise download the latest).
   * @default "1.16.0"
   */
  readonly maturinVersion?: string;
  /**
   * The Rust toolchain (maturin-action's `rust-toolchain`).
   * @default "stable"
   */
  readonly rustToolchain?: string;
  /**
   * Runner labels instead of the defaults, keyed by target triple.
   * @default - ubuntu-24.04, ubuntu-24.04-arm, macos-15-intel, macos-15, windows-2025, windows-11-arm
   */
  readonly runners?: { [key: string]: string };
  /**
   * Minutes before a wheel job is cancelled.
   * @default 60
   */
  readonly timeoutMinutes?: number;
}

/** One job of the wheel matrix. */
export interface WheelBuild {
  /** The matrix entry's name, e.g. `linux-x86_64`; its artifact is `wheels-<name>`. */
  readonly name: string;
  /** The runner label. */
  readonly runner: string;
  /** The wheels it builds, as identifiers (`cp312-manylinux_x86_64`, `py3-none-macosx_arm64`). */
  readonly wheels: string[];
  /** The matrix values its steps read (`matrix.<key>`). */
  readonly settings: { [key: string]: string };
}
