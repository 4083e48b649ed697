import { Construct } from 'constructs';
import { RELEASE_COMMIT_ARTIFACT, RELEASE_COMMIT_DIR, ReleaseContext } from './release-context';
import { CHECK_HOST_WHEELS, CHECKOUT_RELEASE_COMMIT } from '../../scripts/wheel-scripts';
import { checkoutStep, downloadArtifactStep, inPackage, uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';
import { StrategyContext } from '../wheel-strategy';

/** The artifact of the sdist job. */
export const SDIST_ARTIFACT = 'sdist';
/** The artifacts of the wheel jobs: `wheels-<matrix name>`. */
export const WHEELS_ARTIFACT_PREFIX = 'wheels-';

/** What the wheel and sdist jobs share: the version for the build steps. */
function strategyContext(ctx: ReleaseContext): StrategyContext {
  return { packageDir: ctx.settings.packageDir, versionEnv: ctx.versionStrategy.buildEnv(ctx.settings.distributionName, '${{ env.VERSION }}') };
}

/** Download the release commit, check out the run's commit, and move to the release commit. */
function addReleaseCommitCheckout(job: Job, prepare: Job): void {
  job.addStep('download-release-commit', { ...downloadArtifactStep(RELEASE_COMMIT_ARTIFACT, RELEASE_COMMIT_DIR), name: 'Download the release commit' });
  job.addStep('checkout', checkoutStep());
  job.addStep('checkout-release-commit', {
    name: 'Check out the release commit',
    run: CHECKOUT_RELEASE_COMMIT,
    env: { RELEASE_COMMIT_DIR, RELEASE_COMMIT: prepare.outputExpression('commit') },
  });
  job.protectStep('checkout-release-commit', 'every file must carry exactly the release commit\'s version');
}

/**
 * The `wheels` job: a matrix with one entry per platform and architecture (cibuildwheel) or Rust
 * target (maturin), each on a runner of that architecture. Unprivileged (no environment, no
 * secret, contents: read, no cache): it checks out the release commit from the prepare job's
 * bundle, builds its wheels with the pinned action and hands them on as `wheels-<name>`.
 */
export function addWheelsJob(ctx: ReleaseContext, validate: Job, prepare: Job): Job {
  const strategy = ctx.distributions._strategy;
  const job = ctx.workflow.addJob('wheels', {
    name: 'Build wheels (${{ matrix.name }})',
    needs: [validate, prepare],
    runsOn: ['${{ matrix.runner }}'],
    timeoutMinutes: strategy.timeoutMinutes,
    workingDirectory: ctx.packageWorkingDirectory,
    env: { VERSION: validate.outputExpression('version') },
    strategy: {
      failFast: false,
      matrix: { include: strategy.builds.map((b) => ({ name: b.name, runner: b.runner, ...b.settings })) },
    },
  });
  addReleaseCommitCheckout(job, prepare);
  for (const { id, step } of strategy.buildSteps(strategyContext(ctx))) job.addStep(id, step);
  job.addStep('upload', uploadArtifactStep(`${WHEELS_ARTIFACT_PREFIX}\${{ matrix.name }}`, [`${strategy.wheelDir(ctx.settings.packageDir)}/*.whl`], 'Hand the wheels on'));
  return job;
}

/** The `sdist` job: the source distribution, once, from the release commit; handed on as `sdist`. */
export function addSdistJob(ctx: ReleaseContext, validate: Job, prepare: Job): Job {
  const job = ctx.workflow.addJob('sdist', {
    name: 'Build the sdist',
    needs: [validate, prepare],
    runsOn: ctx.options.runsOn,
    timeoutMinutes: 15,
    workingDirectory: ctx.packageWorkingDirectory,
    env: { VERSION: validate.outputExpression('version'), DIST_DIR: 'dist' },
  });
  addReleaseCommitCheckout(job, prepare);
  for (const { id, step } of ctx.distributions._strategy.sdistSteps(strategyContext(ctx))) job.addStep(id, step);
  job.addStep('upload', uploadArtifactStep(SDIST_ARTIFACT, [inPackage(ctx.settings.packageDir, 'dist/*.tar.gz')], 'Hand the sdist on'));
  return job;
}

/**
 * The rehearsal's stand-in for the wheel and sdist jobs (never in the workflow): the wheel jobs'
 * own checkout of the release commit, then the strategy's local build of the host's wheel and
 * the sdist into `$DIST_DIR`, and the check that the host's wheels are among the release's
 * (its `expected` output replaces the full list in the gather job's check).
 */
export function hostBuildJob(ctx: ReleaseContext, scope: Construct, prepare: Job, distDir: string): Job {
  const job = new Job(scope, 'host-wheels', {
    name: 'Build the host\'s wheel and the sdist',
    workingDirectory: ctx.packageWorkingDirectory,
    env: { VERSION: '${{ needs.validate.outputs.version }}', DIST_DIR: distDir },
    outputs: { expected: { stepId: 'host-wheels', outputName: 'expected' } },
  });
  addReleaseCommitCheckout(job, prepare);
  for (const { id, step } of ctx.distributions._strategy.hostSteps(strategyContext(ctx))) job.addStep(id, step);
  job.addStep('host-wheels', {
    name: 'Check that the host\'s wheel is one of the release\'s',
    run: CHECK_HOST_WHEELS,
    env: { EXPECTED_WHEELS: ctx.distributions.expectedWheels().join(' ') },
  });
  return job;
}
