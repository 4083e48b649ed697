import { addReleaseCommitJob } from './build-job';
import { NOTES_FILE, RELEASE_COMMIT_ARTIFACT, RELEASE_COMMIT_DIR, ReleaseContext } from './release-context';
import { TOOLS } from '../../catalog/catalog';
import { STAGE_RELEASE_COMMIT } from '../../scripts/wheel-scripts';
import { uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';

/**
 * The `prepare` job of a compiled release: the version is set once, here, before the wheel
 * matrix. Unprivileged like the build job (no environment, no secret, contents: read): it sets the
 * version (and the lock file), updates the changelog and commits locally, then hands the release
 * commit on as a `git bundle` (with the release notes) in the `release-commit` artifact, which
 * every wheel job and the sdist job check out. It builds nothing and never pushes.
 */
export function addPrepareJob(ctx: ReleaseContext, needs: Job[]): Job {
  const tools = ctx.options.releaseTools ?? {};
  const job = addReleaseCommitJob(ctx, 'prepare', { name: 'Prepare the release commit', timeoutMinutes: 15 }, needs,
    `git-cliff==${tools.gitCliff ?? TOOLS.gitCliff.version}`);
  job.addStep('stage', {
    name: 'Stage the release commit (git bundle) and the notes',
    run: STAGE_RELEASE_COMMIT,
    workingDirectory: ctx.repositoryRoot,
    env: { NOTES_FILE, RELEASE_COMMIT_DIR },
  });
  job.addStep('upload', uploadArtifactStep(RELEASE_COMMIT_ARTIFACT, [RELEASE_COMMIT_DIR], 'Hand the release commit on'));
  for (const id of ['stage', 'upload']) job.protectStep(id, 'the wheel, sdist and gather jobs build and hand on exactly this commit');
  return job;
}
