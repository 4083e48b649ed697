import { addToolchainSetup } from './check-jobs';
import { NOTES_FILE, RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR, ReleaseContext } from './release-context';
import { TOOLS } from '../../catalog/catalog';
import * as build from '../../scripts/build-scripts';
import { INSTALL_RELEASE_TOOLS, VERIFY_DISTRIBUTIONS, WRITE_CHECKSUMS } from '../../scripts/distribution-scripts';
import { checkoutStep, uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';

/**
 * The `build` job. It runs the project's code (toolchain, build backend, the git-cliff config), so
 * it has no environment and no secret, and only reads the repository: sets the version (and the
 * lock file), updates the changelog, commits locally, builds the wheel and sdist once, verifies
 * them, writes SHA256SUMS, and hands the files and a `git bundle` of the release commit on as the
 * `release-files` artifact. It never pushes.
 */
export function addBuildJob(ctx: ReleaseContext, needs: Job[]): Job {
  const tools = ctx.options.releaseTools ?? {};
  const job = addReleaseCommitJob(ctx, 'build', { name: 'Build the release', timeoutMinutes: 30, env: { DIST_DIR: 'dist' } }, needs,
    `twine==${tools.twine ?? TOOLS.twine.version} git-cliff==${tools.gitCliff ?? TOOLS.gitCliff.version}`);
  // buildOnly(): after the commit, so the version reaches the build but not the repository
  const versionStep = ctx.versionStrategy.versionStep(ctx.toolchain);
  if (versionStep && !ctx.versionStrategy.commitsVersion) job.addStep('set-version', versionStep);
  job.addStep('build', {
    name: 'Build the wheel and sdist',
    run: ctx.toolchain.command('buildDistributions')!,
    env: ctx.versionStrategy.buildEnv(ctx.settings.distributionName, '${{ env.VERSION }}'),
  });
  job.addStep('verify', { name: 'Verify the distributions', run: VERIFY_DISTRIBUTIONS });
  job.addStep('checksums', { name: 'Write SHA256SUMS', run: WRITE_CHECKSUMS });
  job.addStep('stage', {
    name: 'Stage the release files and the release commit',
    run: build.STAGE_RELEASE_FILES,
    env: { NOTES_FILE, RELEASE_FILES: RELEASE_FILES_DIR },
  });
  job.addStep('upload', uploadArtifactStep(RELEASE_FILES_ARTIFACT, [RELEASE_FILES_DIR], 'Hand the release files on'));
  for (const id of ['verify', 'checksums', 'stage', 'upload']) {
    job.protectStep(id, 'the release job and publish.yml rely on what it checks or hands on');
  }
  return job;
}

/** What differs between the jobs that make the release commit. */
interface ReleaseCommitJobOptions {
  readonly name: string;
  readonly timeoutMinutes: number;
  /** Besides VERSION and TAG (the validated ones). */
  readonly env?: { [name: string]: string };
}

/**
 * A job that makes the release commit: the build job, or (compiled distributions) the prepare job.
 * Unprivileged, in the package's directory, with the validated VERSION and TAG, its `commit`
 * output taken from its `stage` step (which the caller adds). Its steps so far: a full checkout,
 * the toolchain's setup (no cache), the release tools, the version (and lock file), the changelog
 * and the local commit. `releaseTools`: `name==version` pairs for pipx.
 */
export function addReleaseCommitJob(ctx: ReleaseContext, id: string, options: ReleaseCommitJobOptions, needs: Job[], releaseTools: string): Job {
  const job = ctx.workflow.addJob(id, {
    name: options.name,
    needs,
    runsOn: ctx.options.runsOn,
    timeoutMinutes: options.timeoutMinutes,
    workingDirectory: ctx.packageWorkingDirectory,
    env: {
      VERSION: needs[0].outputExpression('version'),
      TAG: needs[0].outputExpression('tag'),
      ...options.env,
    },
    outputs: { commit: { stepId: 'stage', outputName: 'commit' } },
  });
  job.addStep('checkout', checkoutStep({ fetchDepth: 0 }));
  addToolchainSetup(ctx, job, false);
  job.addStep('install-release-tools', {
    name: releaseTools.includes('twine') ? 'Install twine and git-cliff' : 'Install git-cliff',
    run: INSTALL_RELEASE_TOOLS,
    env: { RELEASE_TOOLS: releaseTools },
  });
  const versionStep = ctx.versionStrategy.versionStep(ctx.toolchain);
  if (versionStep && ctx.versionStrategy.commitsVersion) job.addStep('set-version', versionStep);
  job.addStep('changelog', {
    name: 'Update the changelog',
    run: build.UPDATE_CHANGELOG,
    workingDirectory: ctx.repositoryRoot,
    env: {
      CHANGELOG_FILE: ctx.changelogFile,
      CLIFF_CONFIG: ctx.changelogConfig.configPath,
      INCLUDE_PATH: ctx.settings.monorepo ? `${ctx.settings.packageDir}/**` : '',
      NOTES_FILE,
    },
  });
  job.addStep('commit', {
    name: 'Commit the release (locally)',
    run: build.COMMIT_RELEASE,
    workingDirectory: ctx.repositoryRoot,
    env: { CHANGELOG_FILE: ctx.changelogFile, GIT_USER_NAME: ctx.gitIdentity.name, GIT_USER_EMAIL: ctx.gitIdentity.email },
  });
  return job;
}
