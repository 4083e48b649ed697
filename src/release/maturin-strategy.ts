import { MaturinOptions, WheelBuild } from './distributions-options';
import { cpythonTag, MANYLINUX_POLICIES, MATURIN_DEFAULT_TARGETS, MATURIN_TARGETS } from './wheel-platforms';
import { checkList, checkTimeout, resolveRunners, StrategyContext, StrategyStep, WheelStrategy } from './wheel-strategy';
import { TOOLS } from '../catalog/catalog';
import { HOST_WHEEL_MATURIN } from '../scripts/wheel-scripts';
import { ActionPins } from '../workflow/action-pin';

const WHO = 'Distributions.maturin()';
const VERSION = /^\d+\.\d+\.\d+$/;
const TOOLCHAIN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PYTHON = /^3\.\d+t?$/;

/**
 * Rust (PyO3, cffi, uniffi, or a binary with `bindings = "bin"`) with `PyO3/maturin-action`: one
 * job per Rust target, on a runner of that architecture (Linux builds run in the manylinux or
 * musllinux container maturin-action picks), with a pinned maturin and `sccache` off: nothing in
 * the release path reads the GitHub Actions cache. The sdist is built once with `maturin sdist`.
 */
export function maturinStrategy(options: MaturinOptions): WheelStrategy {
  const targets = checkList(WHO, 'targets', options.targets ?? MATURIN_DEFAULT_TARGETS, Object.keys(MATURIN_TARGETS),
    'Cross-compiled targets (ppc64le, s390x, armv7, riscv64) and Android/iOS are not built by the pipelines.');
  if (options.abi3 !== undefined && options.pythons !== undefined) {
    throw new Error(`${WHO}: give abi3 (one stable-ABI wheel per target) or pythons (one wheel per Python and target), not both.`);
  }
  if (options.abi3 !== undefined && (typeof options.abi3 !== 'string' || !/^3\.\d+$/.test(options.abi3))) {
    throw new Error(`${WHO}: abi3 ${JSON.stringify(options.abi3)} must be the lowest Python of the stable ABI, such as "3.9" (PyO3's abi3-py39 feature).`);
  }
  const pythons = options.pythons === undefined ? undefined : checkPythons(options.pythons);
  const manylinux = options.manylinux ?? 'auto';
  if (!MANYLINUX_POLICIES.includes(manylinux)) {
    throw new Error(`${WHO}: manylinux "${manylinux}" is not one of ${MANYLINUX_POLICIES.map((p) => `"${p}"`).join(', ')} (musllinux wheels come from the *-unknown-linux-musl targets).`);
  }
  const maturinVersion = options.maturinVersion ?? TOOLS.maturin.version;
  if (!VERSION.test(maturinVersion)) throw new Error(`${WHO}: maturinVersion "${maturinVersion}" must be an exact version such as "${TOOLS.maturin.version}".`);
  const rustToolchain = options.rustToolchain ?? 'stable';
  if (!TOOLCHAIN.test(rustToolchain)) throw new Error(`${WHO}: rustToolchain "${rustToolchain}" is not a Rust toolchain name such as "stable" or "1.95.0".`);
  const timeoutMinutes = checkTimeout(WHO, options.timeoutMinutes);

  const tags = options.abi3 ? [`${cpythonTag(options.abi3)}-abi3`] : pythons ? pythons.map(cpythonTag) : ['py3-none'];
  const defaults = Object.fromEntries(targets.map((t) => [t, MATURIN_TARGETS[t].runner]));
  const runners = resolveRunners(WHO, options.runners, defaults);
  const builds: WheelBuild[] = targets.map((target) => {
    const { platform, libc } = MATURIN_TARGETS[target];
    const windows = target.endsWith('-windows-msvc');
    const interpreters = pythons ? ` --interpreter ${pythons.map((p) => (windows ? p : `python${p}`)).join(' ')}` : '';
    return {
      name: target,
      runner: runners[target],
      wheels: tags.map((t) => `${t}-${platform}`),
      settings: {
        target,
        manylinux: libc === 'musl' ? 'musllinux_1_2' : libc ? manylinux : '',
        args: `--release --out wheelhouse${interpreters}`,
        ...(pythons ? { pythons: pythons.join('\n') } : {}),
      },
    };
  });
  const action = (ctx: StrategyContext, command: string, args: string, extra: { [key: string]: unknown } = {}): StrategyStep['step']['with'] => ({
    'command': command,
    ...extra,
    'args': args,
    'maturin-version': `v${maturinVersion}`,
    'rust-toolchain': rustToolchain,
    ...(ctx.packageDir !== '.' ? { 'working-directory': ctx.packageDir } : {}),
    'sccache': false,
  });

  return {
    kind: 'maturin',
    builds,
    timeoutMinutes,
    hostTools: ['maturin', 'cargo', 'python3'],
    wheelDir: (packageDir) => (packageDir === '.' ? 'wheelhouse' : `${packageDir}/wheelhouse`),
    buildSteps: (ctx) => [
      ...(pythons ? [{
        id: 'setup-pythons',
        step: {
          name: 'Set up the Pythons to build for',
          if: 'runner.os != \'Linux\'',
          uses: ActionPins.SETUP_PYTHON.ref,
          with: { 'python-version': '${{ matrix.pythons }}' },
        },
      }] : []),
      {
        id: 'maturin',
        step: {
          name: 'Build the wheel (maturin)',
          uses: ActionPins.MATURIN_ACTION.ref,
          with: action(ctx, 'build', '${{ matrix.args }}', { target: '${{ matrix.target }}', manylinux: '${{ matrix.manylinux }}' }),
        },
      },
    ],
    sdistSteps: (ctx) => [{
      id: 'sdist',
      step: { name: 'Build the sdist (maturin)', uses: ActionPins.MATURIN_ACTION.ref, with: action(ctx, 'sdist', '--out dist') },
    }],
    hostSteps: () => [{
      id: 'build',
      step: {
        name: 'Build the host\'s wheel and the sdist (stands in for maturin-action)',
        run: HOST_WHEEL_MATURIN,
        env: { HOST_ARGS: pythons ? '--interpreter python3' : '' },
      },
    }],
  };
}

function checkPythons(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${WHO}: pythons must be a non-empty list of CPython versions such as ["3.12", "3.13"], or left out for one py3 wheel per target.`);
  }
  for (const v of value) {
    if (typeof v !== 'string' || !PYTHON.test(v)) {
      throw new Error(`${WHO}: pythons entry ${JSON.stringify(v)} is not a CPython version such as "3.12" (free-threaded: "3.14t").`);
    }
  }
  return [...new Set(value as string[])];
}
