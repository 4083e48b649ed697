import { ReleaseContext } from './release-context';
import * as scripts from '../../scripts/release-scripts';
import { VALIDATE_VERSION } from '../../scripts/version-scripts';
import { checkoutStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';
import { Permission } from '../../workflow/permission';

/**
 * The `validate` job: the branch, the version's format, the tag's availability, and what the
 * toolchain and version strategy check before anything is built (a committed version, a
 * `pixi.lock` the pinned pixi can read). Warns when a pinned action has a newer release.
 */
export function addValidateJob(ctx: ReleaseContext): Job {
  const job = ctx.workflow.addJob('validate', {
    name: 'Validate the version',
    runsOn: ctx.options.runsOn,
    timeoutMinutes: 5,
    outputs: {
      version: { stepId: 'version', outputName: 'version' },
      tag: { stepId: 'version', outputName: 'tag' },
      prerelease: { stepId: 'version', outputName: 'prerelease' },
    },
  });
  job.addStep('branch', {
    name: 'Check the branch',
    run: scripts.CHECK_BRANCH,
    env: { RELEASE_BRANCH: ctx.releaseBranch },
  });
  job.addStep('version', {
    name: 'Check the version',
    run: VALIDATE_VERSION,
    env: {
      VERSION_INPUT: '${{ inputs.version }}',
      PRERELEASE_INPUT: '${{ inputs.prerelease }}',
      VERSION_SCHEME: ctx.versionScheme.kind,
      ALLOW_V_PREFIX: String(ctx.versionScheme.allowVPrefix),
      TAG_PREFIX: ctx.settings.tagPrefix,
    },
  });
  job.addStep('tag-available', {
    name: 'Check that the tag is free',
    run: scripts.CHECK_TAG_AVAILABLE,
    env: {
      GH_TOKEN: '${{ github.token }}',
      TAG: '${{ steps.version.outputs.tag }}',
      FORCE_RECREATE: '${{ inputs.force_recreate }}',
    },
    permissions: [Permission.read('contents')],
  });
  const committed = ctx.versionStrategy.validateStep();
  const toolchainChecks = ctx.toolchain.validateSteps(ctx.settings.packageDir);
  if (committed || toolchainChecks.length) job.addStep('checkout', checkoutStep());
  for (const { id, step } of toolchainChecks) job.addStep(id, step);
  if (committed) {
    job.addStep('committed-version', {
      ...committed,
      workingDirectory: ctx.packageWorkingDirectory,
      env: { ...committed.env, VERSION: '${{ steps.version.outputs.version }}' },
    });
  }
  return job;
}

/** The step that warns about pinned actions with a newer release (`pinned`: `owner/repo vX.Y.Z` lines). */
export function actionUpdatesStep(pinned: string[]) {
  return {
    name: 'Look for newer releases of the pinned actions',
    run: scripts.CHECK_ACTION_UPDATES,
    env: { GH_TOKEN: '${{ github.token }}', PINNED_ACTIONS: pinned.join('\n') },
    continueOnError: true,
  };
}
