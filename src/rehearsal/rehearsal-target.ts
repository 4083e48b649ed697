import { Job } from '../workflow/job';

/** What a rehearsal rehearses: the release workflow's jobs and names. */
export interface RehearsalTarget {
  /** The workflow file, e.g. `release.yml`. */
  readonly fileName: string;
  /** The distribution's name. */
  readonly distributionName: string;
  /** Whether the package lives in a subdirectory of a monorepo. */
  readonly monorepo: boolean;
  /** The branch the real release runs on and pushes to. */
  readonly releaseBranch: string;
  /** The job that validates the version. */
  readonly validateJob: Job;
  /** The unprivileged job that builds the release (compiled distributions: the prepare job). */
  readonly buildJob: Job;
  /**
   * Jobs the rehearsal runs after the build job, in order (compiled distributions: a stand-in that
   * builds the host's wheel and the sdist, then the gather job).
   * @default - none
   */
  readonly afterBuildJobs?: Job[];
  /**
   * Commands the rehearsal needs besides the release tools and the toolchain's (compiled
   * distributions: what builds the host's wheel, e.g. maturin and cargo).
   * @default - none
   */
  readonly extraTools?: string[];
  /**
   * Environment of plan steps to replace, keyed `<job>/<step>` (compiled distributions: the gather
   * job's wheel check reads the wheels the host built).
   * @default - none
   */
  readonly stepEnvOverrides?: { [jobStep: string]: { [key: string]: string } };
  /** The job that checks what the build handed on and releases. */
  readonly releaseJob: Job;
}
