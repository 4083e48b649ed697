import { Construct } from 'constructs';
import { addBuildJob } from './build-job';
import { addGatherJob, GATHERED_DIST_DIR } from './gather-job';
import { addPrepareJob } from './prepare-job';
import { ReleaseContext } from './release-context';
import { addSdistJob, addWheelsJob, hostBuildJob } from './wheels-job';
import { Job } from '../../workflow/job';

/** The jobs that build the release files, and what the rehearsal runs of them. */
export interface DistributionJobs {
  /** The job that hands `release-files` on: `build` (pure) or `gather` (compiled). */
  readonly filesJob: Job;
  readonly prepareJob?: Job;
  readonly wheelsJob?: Job;
  readonly sdistJob?: Job;
  /** The job the rehearsal runs first after validate: `build`, or `prepare`. */
  readonly rehearsalBuild: Job;
  /** Compiled: the host's build (a stand-in, not in the workflow), then `gather`. */
  readonly rehearsalAfterBuild: Job[];
  /** Compiled: what builds the host's wheel (maturin, cargo; pyproject-build). */
  readonly rehearsalTools: string[];
  /** Compiled: the gather job's check reads the host's wheels in the rehearsal. */
  readonly rehearsalEnv: { [jobStep: string]: { [key: string]: string } };
}

/**
 * The build jobs of release.yml for its distributions: one `build` job for a pure package; for a
 * compiled one `prepare` (the version, once), the `wheels` matrix and `sdist` (from the release
 * commit) and `gather` (the exact set, checksums, the hand-over).
 */
export function addDistributionJobs(ctx: ReleaseContext, validate: Job, checks: Job[]): DistributionJobs {
  if (!ctx.distributions.isCompiled) {
    const build = addBuildJob(ctx, [validate, ...checks]);
    return { filesJob: build, rehearsalBuild: build, rehearsalAfterBuild: [], rehearsalTools: [], rehearsalEnv: {} };
  }
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
