import { CibuildwheelOptions, WheelBuild } from './distributions-options';
import { CIBW_ARCHS, CIBW_DEFAULT_ARCHS, cpythonTag, LINUX_LIBCS } from './wheel-platforms';
import { checkList, checkTimeout, resolveRunners, StrategyContext, WheelStrategy } from './wheel-strategy';
import { CIBUILDWHEEL_PYTHONS, TOOLS } from '../catalog/catalog';
import { INSTALL_RELEASE_TOOLS } from '../scripts/distribution-scripts';
import { BUILD_SDIST, HOST_WHEEL_SETUPTOOLS } from '../scripts/wheel-scripts';
import { ActionPins } from '../workflow/action-pin';

const WHO = 'Distributions.cibuildwheel()';
const PLATFORMS = Object.keys(CIBW_ARCHS);
/** Settings that decide which wheels are built: the pipeline's own. */
const OWN = ['CIBW_BUILD', 'CIBW_SKIP', 'CIBW_ARCHS', 'CIBW_PLATFORM', 'CIBW_OUTPUT_DIR'];
const CIBW_NAME = /^CIBW_[A-Z0-9_]+$/;

/**
 * C/C++ (and Cython, pybind11...) extensions with `pypa/cibuildwheel`: one job per platform and
 * architecture, on a runner of that architecture, each building its CPython versions
 * (`CIBW_BUILD` lists exactly its identifiers, `CIBW_ARCHS` its architecture); cibuildwheel
 * repairs the wheels (auditwheel, delocate, delvewheel). The sdist is built once with
 * `pyproject-build --sdist`.
 */
export function cibuildwheelStrategy(options: CibuildwheelOptions): WheelStrategy {
  const platforms = checkList(WHO, 'platforms', options.platforms ?? PLATFORMS, PLATFORMS, 'Android, iOS and Pyodide wheels are not built by the pipelines.');
  const pythons = checkList(WHO, 'pythons', options.pythons ?? CIBUILDWHEEL_PYTHONS.defaults, CIBUILDWHEEL_PYTHONS.supported,
    `(CPython versions the pinned cibuildwheel ${ActionPins.CIBUILDWHEEL.version} builds; free-threaded with "t", from 3.14.)`);
  const libcs = checkList(WHO, 'linuxLibcs', options.linuxLibcs ?? ['manylinux'], LINUX_LIBCS);
  for (const platform of Object.keys(options.archs ?? {})) {
    if (!PLATFORMS.includes(platform)) throw new Error(`${WHO}: archs has "${platform}", which is not a platform (${PLATFORMS.join(', ')}).`);
    if (!platforms.includes(platform)) {
      throw new Error(`${WHO}: archs.${platform} is set, but platforms does not include "${platform}". Add it to platforms or drop archs.${platform}.`);
    }
  }
  const environment = options.environment ?? {};
  for (const [name, value] of Object.entries(environment)) {
    if (!CIBW_NAME.test(name)) throw new Error(`${WHO}: environment "${name}" is not a cibuildwheel setting (CIBW_*, e.g. CIBW_TEST_COMMAND).`);
    if (OWN.includes(name) || name.startsWith('CIBW_ARCHS_')) {
      throw new Error(`${WHO}: environment ${name} is set by the pipeline (it decides which wheels the release holds). Use platforms, pythons, archs and linuxLibcs instead.`);
    }
    if (typeof value !== 'string' || value.includes('${{')) {
      throw new Error(`${WHO}: environment ${name} must be a plain string without \${{ }} expressions.`);
    }
  }
  const timeoutMinutes = checkTimeout(WHO, options.timeoutMinutes);

  const builds: Array<Omit<WheelBuild, 'runner'>> = [];
  const defaults: { [key: string]: string } = {};
  for (const platform of platforms) {
    const given = (options.archs as { [p: string]: string[] | undefined } | undefined)?.[platform];
    const archs = checkList(WHO, `archs.${platform}`, given ?? CIBW_DEFAULT_ARCHS[platform], Object.keys(CIBW_ARCHS[platform]),
      platform === 'linux' ? 'ppc64le, s390x, armv7l and riscv64 need emulation on GitHub\'s runners, which the pipelines do not set up.' : '');
    for (const arch of archs) {
      const { runner, platform: tag } = CIBW_ARCHS[platform][arch];
      const tags = tag.startsWith('LIBC_') ? libcs.map((libc) => tag.replace('LIBC', libc)) : [tag];
      const wheels = tags.flatMap((t) => pythons.map((py) => `${cpythonTag(py)}-${t}`));
      const name = `${platform}-${arch.toLowerCase()}`;
      defaults[name] = runner;
      builds.push({ name, wheels, settings: { archs: arch, build: wheels.join(' ') } });
    }
  }
  const runners = resolveRunners(WHO, options.runners, defaults);

  return {
    kind: 'cibuildwheel',
    builds: builds.map((b) => ({ ...b, runner: runners[b.name] })),
    timeoutMinutes,
    hostTools: ['pyproject-build', 'python3'],
    wheelDir: () => 'wheelhouse',
    buildSteps: (ctx: StrategyContext) => {
      const passed = Object.keys(ctx.versionEnv);
      const pass = [environment.CIBW_ENVIRONMENT_PASS_LINUX, ...passed].filter(Boolean).join(' ');
      return [{
        id: 'cibuildwheel',
        step: {
          name: 'Build the wheels (cibuildwheel)',
          uses: ActionPins.CIBUILDWHEEL.ref,
          with: { 'package-dir': ctx.packageDir, 'output-dir': 'wheelhouse' },
          env: {
            ...environment,
            ...ctx.versionEnv,
            ...(pass ? { CIBW_ENVIRONMENT_PASS_LINUX: pass } : {}),
            CIBW_BUILD: '${{ matrix.build }}',
            CIBW_ARCHS: '${{ matrix.archs }}',
          },
        },
      }];
    },
    sdistSteps: (ctx) => [
      { id: 'install-release-tools', step: { name: 'Install build', run: INSTALL_RELEASE_TOOLS, env: { RELEASE_TOOLS: `build==${TOOLS.build.version}` } } },
      { id: 'sdist', step: { name: 'Build the sdist', run: BUILD_SDIST, env: Object.keys(ctx.versionEnv).length ? ctx.versionEnv : undefined } },
    ],
    hostSteps: (ctx) => [
      { id: 'build', step: { name: 'Build the host\'s wheel (stands in for cibuildwheel)', run: HOST_WHEEL_SETUPTOOLS, env: Object.keys(ctx.versionEnv).length ? ctx.versionEnv : undefined } },
      { id: 'sdist', step: { name: 'Build the sdist', run: BUILD_SDIST, env: Object.keys(ctx.versionEnv).length ? ctx.versionEnv : undefined } },
    ],
  };
}
