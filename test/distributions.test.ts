import { Distributions } from '../src';

/**
 * The build strategies' option handling: the wheel list each set of options gives (what the gather
 * step and publish.yml check), the matrix and its runners, and the synth errors, each naming the
 * option.
 */

describe('Distributions.pure()', () => {
  test('is the default kind: no matrix, no expected wheels, a wheel for every platform', () => {
    const d = Distributions.pure();
    expect(d.kind).toBe('pure');
    expect(d.isCompiled).toBe(false);
    expect(d.expectedWheels()).toEqual([]);
    expect(d.wheelBuilds()).toEqual([]);
    expect(d.hasWheelFor('manylinux_x86_64', '3.12')).toBe(true);
  });
});

describe('Distributions.cibuildwheel(): the expected wheels', () => {
  test('defaults: Linux x86_64 and aarch64, macOS x86_64 and arm64, Windows AMD64, CPython 3.10 to 3.15', () => {
    const d = Distributions.cibuildwheel();
    const wheels = d.expectedWheels();
    expect(wheels).toHaveLength(5 * 6);
    for (const py of ['cp310', 'cp311', 'cp312', 'cp313', 'cp314', 'cp315']) {
      for (const platform of ['manylinux_x86_64', 'manylinux_aarch64', 'macosx_x86_64', 'macosx_arm64', 'win_amd64']) {
        expect(wheels).toContain(`${py}-${platform}`);
      }
    }
    expect(d.wheelBuilds().map((b) => [b.name, b.runner])).toEqual([
      ['linux-x86_64', 'ubuntu-24.04'],
      ['linux-aarch64', 'ubuntu-24.04-arm'],
      ['macos-x86_64', 'macos-15-intel'],
      ['macos-arm64', 'macos-15'],
      ['windows-amd64', 'windows-2025'],
    ]);
  });

  test('Linux only, two Pythons, musllinux too, free-threaded 3.14t: each job builds exactly its identifiers', () => {
    const d = Distributions.cibuildwheel({ platforms: ['linux'], pythons: ['3.13', '3.14t'], linuxLibcs: ['manylinux', 'musllinux'], archs: { linux: ['x86_64'] } });
    expect(d.expectedWheels()).toEqual([
      'cp313-manylinux_x86_64', 'cp313-musllinux_x86_64', 'cp314t-manylinux_x86_64', 'cp314t-musllinux_x86_64',
    ]);
    expect(d.wheelBuilds()).toEqual([{
      name: 'linux-x86_64',
      runner: 'ubuntu-24.04',
      wheels: ['cp313-manylinux_x86_64', 'cp314t-manylinux_x86_64', 'cp313-musllinux_x86_64', 'cp314t-musllinux_x86_64'],
      settings: { archs: 'x86_64', build: 'cp313-manylinux_x86_64 cp314t-manylinux_x86_64 cp313-musllinux_x86_64 cp314t-musllinux_x86_64' },
    }]);
  });

  test('macOS universal2 and Windows x86 + ARM64, with a runner of your own', () => {
    const d = Distributions.cibuildwheel({
      platforms: ['macos', 'windows'],
      pythons: ['3.12'],
      archs: { macos: ['universal2'], windows: ['x86', 'ARM64'] },
      runners: { 'windows-arm64': 'my-windows-arm' },
    });
    expect(d.expectedWheels()).toEqual(['cp312-macosx_universal2', 'cp312-win32', 'cp312-win_arm64']);
    expect(d.wheelBuilds().map((b) => `${b.name}@${b.runner}:${b.settings.archs}`)).toEqual([
      'macos-universal2@macos-15:universal2', 'windows-x86@windows-2025:x86', 'windows-arm64@my-windows-arm:ARM64',
    ]);
  });

  test('the install test\'s platform and Python: hasWheelFor', () => {
    const d = Distributions.cibuildwheel({ platforms: ['linux'], pythons: ['3.11', '3.14t'] });
    expect(d.hasWheelFor('manylinux_x86_64', '3.11')).toBe(true);
    expect(d.hasWheelFor('manylinux_x86_64', '3.12')).toBe(false);
    expect(d.hasWheelFor('manylinux_x86_64', '3.14')).toBe(false); // only the free-threaded build
    expect(d.hasWheelFor('macosx_arm64', '3.11')).toBe(false);
  });

  test.each([
    [{ platforms: ['freebsd'] }, /platforms entry "freebsd" is not one of "linux", "macos", "windows"/],
    [{ platforms: [] }, /platforms must be a non-empty list/],
    [{ pythons: ['3.8'] }, /pythons entry "3\.8" is not one of .*free-threaded with "t", from 3\.14/],
    [{ pythons: ['3.13t'] }, /pythons entry "3\.13t"/],
    [{ archs: { linux: ['ppc64le'] } }, /archs\.linux entry "ppc64le" is not one of "x86_64", "i686", "aarch64"\. .*need emulation/],
    [{ platforms: ['linux'], archs: { windows: ['AMD64'] } }, /archs\.windows is set, but platforms does not include "windows"/],
    [{ linuxLibcs: ['glibc'] }, /linuxLibcs entry "glibc"/],
    [{ environment: { CIBW_BUILD: 'cp3*' } }, /environment CIBW_BUILD is set by the pipeline/],
    [{ environment: { CIBW_ARCHS_LINUX: 'auto' } }, /environment CIBW_ARCHS_LINUX is set by the pipeline/],
    [{ environment: { TEST: 'x' } }, /environment "TEST" is not a cibuildwheel setting/],
    [{ environment: { CIBW_TEST_COMMAND: 'echo ${{ github.ref }}' } }, /CIBW_TEST_COMMAND must be a plain string without \$\{\{ \}\}/],
    [{ runners: { 'linux-riscv64': 'x' } }, /runners has "linux-riscv64", which is not one of the builds/],
    [{ runners: { 'linux-x86_64': 'bad label' } }, /runners\["linux-x86_64"\] "bad label" is not a runner label/],
    [{ timeoutMinutes: 0 }, /timeoutMinutes must be a whole number of minutes from 1 to 360, got 0/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => Distributions.cibuildwheel(options as any)).toThrow(/^Distributions\.cibuildwheel\(\): /);
    expect(() => Distributions.cibuildwheel(options as any)).toThrow(message);
  });
});

describe('Distributions.maturin(): the expected wheels', () => {
  test('defaults (bindings = "bin", cffi, uniffi): one py3-none wheel per target, natively on its runner', () => {
    const d = Distributions.maturin();
    expect(d.expectedWheels()).toEqual([
      'py3-none-macosx_arm64', 'py3-none-macosx_x86_64', 'py3-none-manylinux_aarch64', 'py3-none-manylinux_x86_64', 'py3-none-win_amd64',
    ]);
    const linux = d.wheelBuilds().find((b) => b.name === 'x86_64-unknown-linux-gnu')!;
    expect(linux).toEqual({
      name: 'x86_64-unknown-linux-gnu',
      runner: 'ubuntu-24.04',
      wheels: ['py3-none-manylinux_x86_64'],
      settings: { target: 'x86_64-unknown-linux-gnu', manylinux: 'auto', args: '--release --out wheelhouse' },
    });
    expect(d.wheelBuilds().find((b) => b.name === 'aarch64-apple-darwin')!.settings.manylinux).toBe('');
  });

  test('abi3: one stable-ABI wheel per target; musl targets get musllinux_1_2', () => {
    const d = Distributions.maturin({ abi3: '3.9', targets: ['x86_64-unknown-linux-musl', 'aarch64-pc-windows-msvc'], manylinux: '2_28' });
    expect(d.expectedWheels()).toEqual(['cp39-abi3-musllinux_x86_64', 'cp39-abi3-win_arm64']);
    expect(d.wheelBuilds().map((b) => `${b.name}@${b.runner}:${b.settings.manylinux}`)).toEqual([
      'x86_64-unknown-linux-musl@ubuntu-24.04:musllinux_1_2', 'aarch64-pc-windows-msvc@windows-11-arm:',
    ]);
    expect(d.hasWheelFor('musllinux_x86_64', '3.13')).toBe(true);
    expect(d.hasWheelFor('musllinux_x86_64', '3.8')).toBe(false);
  });

  test('pythons: one wheel per Python per target, built with --interpreter', () => {
    const d = Distributions.maturin({ pythons: ['3.12', '3.13'], targets: ['aarch64-unknown-linux-gnu', 'x86_64-pc-windows-msvc'] });
    expect(d.expectedWheels()).toEqual(['cp312-manylinux_aarch64', 'cp312-win_amd64', 'cp313-manylinux_aarch64', 'cp313-win_amd64']);
    const [linux, windows] = d.wheelBuilds();
    expect(linux.settings.args).toBe('--release --out wheelhouse --interpreter python3.12 python3.13');
    expect(windows.settings.args).toBe('--release --out wheelhouse --interpreter 3.12 3.13');
    expect(windows.settings.pythons).toBe('3.12\n3.13');
  });

  test.each([
    [{ targets: ['powerpc64le-unknown-linux-gnu'] }, /targets entry "powerpc64le-unknown-linux-gnu" is not one of .*Cross-compiled targets/],
    [{ abi3: '3.9', pythons: ['3.12'] }, /give abi3 .* or pythons .*, not both/],
    [{ abi3: 'py39' }, /abi3 "py39" must be the lowest Python of the stable ABI, such as "3\.9"/],
    [{ pythons: ['pypy3.10'] }, /pythons entry "pypy3\.10" is not a CPython version/],
    [{ pythons: [] }, /pythons must be a non-empty list/],
    [{ manylinux: 'musllinux_1_2' }, /manylinux "musllinux_1_2" is not one of "auto", "2014", "2_17", "2_28", "2_34" \(musllinux wheels come from the \*-unknown-linux-musl targets\)/],
    [{ maturinVersion: 'latest' }, /maturinVersion "latest" must be an exact version/],
    [{ rustToolchain: 'stable; curl x' }, /rustToolchain "stable; curl x" is not a Rust toolchain name/],
    [{ runners: { 'x86_64-apple-darwin': 'macos-13' }, targets: ['aarch64-apple-darwin'] }, /runners has "x86_64-apple-darwin", which is not one of the builds: "aarch64-apple-darwin"/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => Distributions.maturin(options as any)).toThrow(/^Distributions\.maturin\(\): /);
    expect(() => Distributions.maturin(options as any)).toThrow(message);
  });
});
