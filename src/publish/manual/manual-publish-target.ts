import { ReleaseSettings } from '../../release/release-settings';
import { Job } from '../../workflow/job';

/** What a manual publication runs: publish.yml's jobs and names. */
export interface ManualPublishTarget {
  /** The workflow file, e.g. `publish.yml`. */
  readonly fileName: string;
  /** Distribution name, package directory and tag prefix. */
  readonly settings: ReleaseSettings;
  /** The job that verifies the release files. */
  readonly verifyJob: Job;
  /**
   * The install test.
   * @default - none (TestPyPI is skipped)
   */
  readonly testInstallJob?: Job;
  /**
   * The TestPyPI upload.
   * @default - none (TestPyPI is skipped)
   */
  readonly publishTestPypiJob?: Job;
  /** The PyPI upload. */
  readonly publishPypiJob: Job;
}
