import { RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR, ReleaseContext } from './release-context';
import { VERIFY_CHECKSUMS } from '../../scripts/distribution-scripts';
import * as release from '../../scripts/release-scripts';
import { checkoutStep, downloadArtifactStep, inPackage } from '../../workflow/common-steps';
import { Environment } from '../../workflow/environment';
import { Job } from '../../workflow/job';

/** Lock files a release commit may update (each only in its version lines). */
const LOCK_FILES = ['uv.lock', 'pixi.lock', 'poetry.lock', 'pylock.toml'];

/**
 * The `release` job, in the release environment that holds the release credentials. It runs none
 * of the project's code, no toolchain, and installs nothing: it checks out the run's commit,
 * re-checks the files and the release commit the build job handed on (one commit on top of the
 * run's commit, changing only what a release changes), then tags it, pushes commit and tag
 * atomically and creates the GitHub release (a draft when asked), which starts publish.yml.
 */
export function addReleaseJob(ctx: ReleaseContext, environment: Environment, needs: { validate: Job; build: Job; attest?: Job }): Job {
  const validated = (name: string) => needs.validate.outputExpression(name);
  const job = ctx.workflow.addJob('release', {
    name: 'Release',
    environment,
    needs: [needs.validate, needs.build, ...(needs.attest ? [needs.attest] : [])],
    runsOn: ctx.options.runsOn,
    timeoutMinutes: 15,
    env: {
      TAG: validated('tag'),
      GH_REPO: '${{ github.repository }}',
    },
  });
  for (const { id, step } of ctx.credentials.setupSteps()) job.addStep(id, step);
  job.addStep('checkout', checkoutStep({ fetchDepth: 1 }));
  job.addStep('download', { ...downloadArtifactStep(RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR), name: 'Download the release files' });
  job.addStep('checksums', { name: 'Check SHA256SUMS', run: VERIFY_CHECKSUMS, env: { DIST_DIR: RELEASE_FILES_DIR } });
  job.addStep('release-commit', {
    name: 'Check the release commit',
    run: release.CHECK_RELEASE_COMMIT,
    env: { RELEASE_FILES: RELEASE_FILES_DIR, BUILT_COMMIT: needs.build.outputExpression('commit'), ALLOWED_FILES: allowedFiles(ctx).join('\n') },
  });
  job.addStep('delete-existing-release', {
    name: 'Delete the existing release (force_recreate)',
    if: '${{ inputs.force_recreate }}',
    run: release.DELETE_EXISTING_RELEASE,
    env: { GH_TOKEN: ctx.credentials.tokenExpression },
  });
  job.addStep('push', {
    name: 'Tag and push (atomic)',
    run: release.TAG_AND_PUSH,
    env: {
      COMMIT: '${{ steps.release-commit.outputs.commit }}',
      RELEASE_BRANCH: ctx.releaseBranch,
      RELEASE_TOKEN: ctx.credentials.tokenExpression,
      GIT_USER_NAME: ctx.gitIdentity.name,
      GIT_USER_EMAIL: ctx.gitIdentity.email,
    },
  });
  job.addStep('github-release', {
    name: 'Create the GitHub release',
    run: release.CREATE_RELEASE,
    env: {
      GH_TOKEN: ctx.credentials.tokenExpression,
      PRERELEASE: validated('prerelease'),
      DRAFT: '${{ inputs.draft }}',
      RELEASE_FILES: RELEASE_FILES_DIR,
    },
  });
  for (const id of ['checksums', 'release-commit', 'push', 'github-release']) {
    job.protectStep(id, 'it is what makes the release safe and complete');
  }
  return job;
}

/** `<rule> <path>` lines: what the release commit may change (see CHECK_RELEASE_COMMIT). */
function allowedFiles(ctx: ReleaseContext): string[] {
  const dir = ctx.settings.packageDir;
  const version = [
    inPackage(dir, 'pyproject.toml'),
    ...LOCK_FILES.map((f) => inPackage(dir, f)),
    ...(ctx.settings.monorepo ? LOCK_FILES : []), // a workspace lock at the root
    ...(ctx.options.versionFiles ?? []).map((f) => inPackage(dir, f)),
  ];
  return [`any ${ctx.changelogFile}`, ...[...new Set(version)].map((f) => `version ${f}`)];
}

