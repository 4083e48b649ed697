import { Distributions } from '../release/distributions';
import { RUNNERS } from '../release/wheel-platforms';

/** The platform of the wheels that install on GitHub's Linux runners. */
const RUNNER_PLATFORMS: { readonly [label: string]: string } = {
  [RUNNERS.linuxX64]: 'manylinux_x86_64',
  'ubuntu-latest': 'manylinux_x86_64',
  [RUNNERS.linuxArm]: 'manylinux_aarch64',
};

/**
 * Refuses, at synth, a compiled release whose wheels would not install where the install test runs
 * (its first runner label, when it is one of GitHub's Ubuntu runners, and its Python): the test
 * installs the release's wheel for that platform and Python and never builds the sdist.
 */
export function checkInstallTestHasWheel(who: string, distributions: Distributions, runsOn: string[] | undefined, pythonVersion: string): void {
  if (!distributions.isCompiled) return;
  const label = (runsOn ?? [RUNNERS.linuxX64])[0];
  const platform = RUNNER_PLATFORMS[label];
  if (!platform || distributions.hasWheelFor(platform, pythonVersion)) return;
  const here = distributions.expectedWheels().filter((id) => id.endsWith(`-${platform}`));
  throw new Error(`${who}: the install test runs on ${label} with Python ${pythonVersion}, but the release builds no wheel that installs there (${here.length ? `its ${platform} wheels: ${here.join(', ')}` : `no ${platform} wheel at all`}). Set pythonVersion to a Python the release builds for, or add ${pythonVersion} (and that platform) to the distributions.`);
}
