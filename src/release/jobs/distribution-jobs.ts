import { addBuildJob } from './build-job';
import { addCompiledJobs } from './compiled-jobs';
import { DistributionJobs, ReleaseContext } from './release-context';
import { Job } from '../../workflow/job';

/**
 * The build jobs of release.yml for its distributions: one `build` job for a pure package; the
 * compiled jobs (`compiled-jobs.ts`) otherwise.
 */
export function addDistributionJobs(ctx: ReleaseContext, validate: Job, checks: Job[]): DistributionJobs {
  if (!ctx.distributions.isCompiled) {
    const build = addBuildJob(ctx, [validate, ...checks]);
    return { filesJob: build, rehearsalBuild: build, rehearsalAfterBuild: [], rehearsalTools: [], rehearsalEnv: {} };
  }
  return addCompiledJobs(ctx, validate, checks);
}
