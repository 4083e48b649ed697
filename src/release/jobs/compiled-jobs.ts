import { Construct } from 'constructs';
import { addGatherJob, GATHERED_DIST_DIR } from './gather-job';
import { addPrepareJob } from './prepare-job';
import { DistributionJobs, ReleaseContext } from './release-context';
import { addSdistJob, addWheelsJob, hostBuildJob } from './wheels-job';
import { Job } from '../../workflow/job';

/**
 * The build jobs of a compiled release: `prepare` (the version, once), the `wheels` matrix and
 * `sdist` (from the release commit) and `gather` (the exact set, checksums, the hand-over).
 */
export function addCompiledJobs(ctx: ReleaseContext, validate: Job, checks: Job[]): DistributionJobs {
  const prepare = addPrepareJob(ctx, [validate, ...checks]);
  const wheels = addWheelsJob(ctx, validate, prepare);
  const sdist = addSdistJob(ctx, validate, prepare);
  const gather = addGatherJob(ctx, { validate, prepare, wheels, sdist });
  // The rehearsal's stand-in lives outside the workflow's jobs, so it is never rendered.
  const host = hostBuildJob(ctx, new Construct(ctx.workflow, 'RehearsalStandIns'), prepare, GATHERED_DIST_DIR);
  return {
    filesJob: gather,
    prepareJob: prepare,
    wheelsJob: wheels,
    sdistJob: sdist,
    rehearsalBuild: prepare,
    rehearsalAfterBuild: [host, gather],
    rehearsalTools: ctx.distributions._strategy.hostTools,
    rehearsalEnv: { 'gather/wheel-set': { EXPECTED_WHEELS: host.outputExpression('expected') } },
  };
}
