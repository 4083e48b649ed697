/**
 * Where each wheel is built and what its platform tag is called: the runners and names of
 * cibuildwheel's architectures and maturin's Rust targets. A platform is named as in a wheel
 * identifier, without the libc or OS version (`manylinux_x86_64`, `macosx_arm64`, `win_amd64`),
 * which is what the gather step compares.
 *
 * Runner labels: GitHub-hosted, pinned to an OS version (not `-latest`). cibuildwheel's README and
 * maturin-action's test matrix both name `ubuntu-24.04-arm`, `windows-11-arm` and `macos-15-intel`
 * (the last x86_64 macOS runner); `macos-15` (arm64) and `windows-2025` are GitHub's labels for
 * the versions their `-latest` labels name.
 */

export const RUNNERS = {
  linuxX64: 'ubuntu-24.04',
  linuxArm: 'ubuntu-24.04-arm',
  macosIntel: 'macos-15-intel',
  macosArm: 'macos-15',
  windowsX64: 'windows-2025',
  windowsArm: 'windows-11-arm',
};

/** A cibuildwheel architecture: its runner and the platform its wheels are tagged with. */
export interface CibwArch {
  readonly runner: string;
  /** The platform, with `LIBC` standing for manylinux / musllinux on Linux. */
  readonly platform: string;
}

/** cibuildwheel's architectures that build natively on a GitHub-hosted runner, per platform. */
export const CIBW_ARCHS: { readonly [platform: string]: { readonly [arch: string]: CibwArch } } = {
  linux: {
    x86_64: { runner: RUNNERS.linuxX64, platform: 'LIBC_x86_64' },
    i686: { runner: RUNNERS.linuxX64, platform: 'LIBC_i686' },
    aarch64: { runner: RUNNERS.linuxArm, platform: 'LIBC_aarch64' },
  },
  macos: {
    x86_64: { runner: RUNNERS.macosIntel, platform: 'macosx_x86_64' },
    arm64: { runner: RUNNERS.macosArm, platform: 'macosx_arm64' },
    universal2: { runner: RUNNERS.macosArm, platform: 'macosx_universal2' },
  },
  windows: {
    AMD64: { runner: RUNNERS.windowsX64, platform: 'win_amd64' },
    x86: { runner: RUNNERS.windowsX64, platform: 'win32' },
    ARM64: { runner: RUNNERS.windowsArm, platform: 'win_arm64' },
  },
};

export const CIBW_DEFAULT_ARCHS: { readonly [platform: string]: string[] } = {
  linux: ['x86_64', 'aarch64'],
  macos: ['x86_64', 'arm64'],
  windows: ['AMD64'],
};

export const LINUX_LIBCS = ['manylinux', 'musllinux'];

/** A maturin target: its runner, the platform of its wheels, and whether it is a Linux one. */
export interface MaturinTarget {
  readonly runner: string;
  readonly platform: string;
  /** `gnu` or `musl` for Linux targets (maturin-action's `manylinux` input), else undefined. */
  readonly libc?: string;
}

/** The Rust targets maturin builds natively on a GitHub-hosted runner. */
export const MATURIN_TARGETS: { readonly [triple: string]: MaturinTarget } = {
  'x86_64-unknown-linux-gnu': { runner: RUNNERS.linuxX64, platform: 'manylinux_x86_64', libc: 'gnu' },
  'i686-unknown-linux-gnu': { runner: RUNNERS.linuxX64, platform: 'manylinux_i686', libc: 'gnu' },
  'aarch64-unknown-linux-gnu': { runner: RUNNERS.linuxArm, platform: 'manylinux_aarch64', libc: 'gnu' },
  'x86_64-unknown-linux-musl': { runner: RUNNERS.linuxX64, platform: 'musllinux_x86_64', libc: 'musl' },
  'aarch64-unknown-linux-musl': { runner: RUNNERS.linuxArm, platform: 'musllinux_aarch64', libc: 'musl' },
  'x86_64-apple-darwin': { runner: RUNNERS.macosIntel, platform: 'macosx_x86_64' },
  'aarch64-apple-darwin': { runner: RUNNERS.macosArm, platform: 'macosx_arm64' },
  'universal2-apple-darwin': { runner: RUNNERS.macosArm, platform: 'macosx_universal2' },
  'x86_64-pc-windows-msvc': { runner: RUNNERS.windowsX64, platform: 'win_amd64' },
  'i686-pc-windows-msvc': { runner: RUNNERS.windowsX64, platform: 'win32' },
  'aarch64-pc-windows-msvc': { runner: RUNNERS.windowsArm, platform: 'win_arm64' },
};

export const MATURIN_DEFAULT_TARGETS = [
  'x86_64-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu',
  'x86_64-apple-darwin',
  'aarch64-apple-darwin',
  'x86_64-pc-windows-msvc',
];

/** maturin-action's `manylinux` values for glibc wheels that the pipelines accept. */
export const MANYLINUX_POLICIES = ['auto', '2014', '2_17', '2_28', '2_34'];

/** `"3.12"` -> `cp312`, `"3.14t"` -> `cp314t`. */
export function cpythonTag(version: string): string {
  const [, minor, t] = /^3\.(\d+)(t?)$/.exec(version)!;
  return `cp3${minor}${t}`;
}
