import type { ReleaseSettings } from '../../release/release-settings';
import type { VersionScheme } from '../../release/version-scheme';
import type { Job, JobOptions } from '../../workflow/job';
import type { PublishAuth } from '../publish-auth';

/** What the job builders of publish.yml need from the pipeline: its settings, resolved once. */
export interface PublishJobContext {
  /** The workflow file (publish.yml). */
  readonly fileName: string;
  /** Adds a job to the workflow. */
  readonly addJob: (id: string, options: JobOptions) => Job;
  readonly settings: ReleaseSettings;
  readonly versionScheme: VersionScheme;
  readonly auth: PublishAuth;
  readonly runsOn?: string[];
  readonly pythonVersion: string;
  /** `twine==X` for the verify job. */
  readonly twineVersion: string;
  readonly importName: string;
  /** Compiled releases: the identifiers of the wheels the release must hold; empty for a pure one. */
  readonly expectedWheels: string[];
  readonly smokeCommand?: string;
  readonly testPypiWaitMinutes: number;
  /** Whether TestPyPI (and so the install test) is in the workflow. */
  readonly usesTestPypi: boolean;
  /** The release workflow and branch the attestations must come from; undefined when not checked. */
  readonly attestations?: { readonly workflowFile: string; readonly branch: string };
}
