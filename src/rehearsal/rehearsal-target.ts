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
  /** The unprivileged job that builds the release. */
  readonly buildJob: Job;
  /** The job that checks what the build handed on and releases. */
  readonly releaseJob: Job;
}
