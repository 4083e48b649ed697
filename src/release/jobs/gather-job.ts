import { RELEASE_COMMIT_ARTIFACT, RELEASE_COMMIT_DIR, RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR, ReleaseContext } from './release-context';
import { SDIST_ARTIFACT, WHEELS_ARTIFACT_PREFIX } from './wheels-job';
import { TOOLS } from '../../catalog/catalog';
import { INSTALL_RELEASE_TOOLS, VERIFY_DISTRIBUTIONS, WRITE_CHECKSUMS } from '../../scripts/distribution-scripts';
import { CHECK_WHEEL_SET, STAGE_GATHERED_FILES } from '../../scripts/wheel-scripts';
import { downloadArtifactsStep, downloadArtifactStep, uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';

/** Where the gather job collects the distributions (and the rehearsal's host build writes them). */
export const GATHERED_DIST_DIR = '${{ runner.temp }}/dist';

/**
 * The `gather` job of a compiled release: collects every wheel and the sdist, checks that exactly
 * the expected wheels are there (each missing or extra one named by its Python and platform),
 * `twine check --strict` and the version inside every file, writes SHA256SUMS over all of them,
 * and hands them on with the release commit as `release-files`, as the build job does for a pure
 * release. No checkout, no project code, no secret, no cache.
 */
export function addGatherJob(ctx: ReleaseContext, needs: { validate: Job; prepare: Job; wheels: Job; sdist: Job }): Job {
  const tools = ctx.options.releaseTools ?? {};
  const job = ctx.workflow.addJob('gather', {
    name: 'Gather and check the release files',
    needs: [needs.validate, needs.prepare, needs.wheels, needs.sdist],
    runsOn: ctx.options.runsOn,
    timeoutMinutes: 15,
    env: { VERSION: needs.validate.outputExpression('version') },
    outputs: { commit: { stepId: 'stage', outputName: 'commit' } },
  });
  job.addStep('download-release-commit', { ...downloadArtifactStep(RELEASE_COMMIT_ARTIFACT, RELEASE_COMMIT_DIR), name: 'Download the release commit' });
  job.addStep('download-wheels', downloadArtifactsStep(`${WHEELS_ARTIFACT_PREFIX}*`, GATHERED_DIST_DIR, 'Download every wheel'));
  job.addStep('download-sdist', { ...downloadArtifactStep(SDIST_ARTIFACT, GATHERED_DIST_DIR), name: 'Download the sdist' });
  job.addStep('install-release-tools', {
    name: 'Install twine',
    run: INSTALL_RELEASE_TOOLS,
    env: { RELEASE_TOOLS: `twine==${tools.twine ?? TOOLS.twine.version}` },
  });
  job.addStep('wheel-set', {
    name: 'Check that exactly the expected wheels are there',
    run: CHECK_WHEEL_SET,
    env: { DIST_DIR: GATHERED_DIST_DIR, EXPECTED_WHEELS: ctx.distributions.expectedWheels().join('\n') },
  });
  // (DIST_DIR per step: a job's env: cannot read the runner context)
  job.addStep('verify', { name: 'Verify the distributions', run: VERIFY_DISTRIBUTIONS, env: { DIST_DIR: GATHERED_DIST_DIR } });
  job.addStep('checksums', { name: 'Write SHA256SUMS', run: WRITE_CHECKSUMS, env: { DIST_DIR: GATHERED_DIST_DIR } });
  job.addStep('stage', {
    name: 'Stage the release files and the release commit',
    run: STAGE_GATHERED_FILES,
    env: { DIST_DIR: GATHERED_DIST_DIR, RELEASE_COMMIT_DIR, RELEASE_FILES: RELEASE_FILES_DIR, RELEASE_COMMIT: needs.prepare.outputExpression('commit') },
  });
  job.addStep('upload', uploadArtifactStep(RELEASE_FILES_ARTIFACT, [RELEASE_FILES_DIR], 'Hand the release files on'));
  for (const id of ['wheel-set', 'verify', 'checksums', 'stage', 'upload']) {
    job.protectStep(id, 'the release job and publish.yml rely on what it checks or hands on');
  }
  return job;
}
