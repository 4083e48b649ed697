import { addBuildJob } from './build-job';
import { DistributionJobs, ReleaseContext } from './release-context';
import { Job } from '../../workflow/job';

/**
 * The build jobs of release.yml for its distributions: one `build` job for a pure package; the
 * compiled jobs (`compiled-jobs.ts`) otherwise, loaded only then, so that a pure release never
 * loads the wheel matrix's modules.
 */
export function addDistributionJobs(ctx: ReleaseContext, validate: Job, checks: Job[]): DistributionJobs {
  if (!ctx.distributions.isCompiled) {
    const build = addBuildJob(ctx, [validate, ...checks]);
    return { filesJob: build, rehearsalBuild: build, rehearsalAfterBuild: [], rehearsalTools: [], rehearsalEnv: {} };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled: typeof import('./compiled-jobs') = require('./compiled-jobs');
  return compiled.addCompiledJobs(ctx, validate, checks);
}
