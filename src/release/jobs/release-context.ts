import { PythonToolchain } from '../../toolchains/python-toolchain';
import { Job } from '../../workflow/job';
import { PipelineWorkflow } from '../../workflow/pipeline-workflow';
import { ChangelogConfig } from '../changelog-config';
import { Distributions } from '../distributions';
import { ReleaseCredentials } from '../release-credentials';
import { GitIdentity, PythonReleasePipelineOptions } from '../release-options';
import { ReleaseSettings } from '../release-settings';
import { VersionScheme } from '../version-scheme';
import { VersionStrategy } from '../version-strategy';

/** What the job builders of release.yml read: the pipeline's resolved settings. */
export interface ReleaseContext {
  /** The workflow the jobs are added to. */
  readonly workflow: PipelineWorkflow;
  /** The pipeline's options as given. */
  readonly options: PythonReleasePipelineOptions;
  readonly settings: ReleaseSettings;
  readonly releaseBranch: string;
  readonly toolchain: PythonToolchain;
  /** What the release builds: a pure wheel, or a matrix of compiled wheels. */
  readonly distributions: Distributions;
  readonly versionScheme: VersionScheme;
  readonly versionStrategy: VersionStrategy;
  readonly credentials: ReleaseCredentials;
  readonly changelogConfig: ChangelogConfig;
  /** The changelog, relative to the repository root. */
  readonly changelogFile: string;
  /** Author of the release commit and tagger of the tag. */
  readonly gitIdentity: GitIdentity;
  /** Where package steps run (monorepos), undefined for the repository root. */
  readonly packageWorkingDirectory?: string;
  /** Where repository-wide steps run when jobs start in the package directory. */
  readonly repositoryRoot?: string;
}

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

/** The artifact that carries the release files from the build job to the attest and release jobs. */
export const RELEASE_FILES_ARTIFACT = 'release-files';
/** Where the build job stages the release files and the other jobs download them. */
export const RELEASE_FILES_DIR = '${{ runner.temp }}/release-files';
/** Where the changelog step writes the release notes. */
export const NOTES_FILE = '${{ runner.temp }}/release-notes.md';
/** The artifact that carries the release commit (a bundle) and notes from the prepare job to the wheel, sdist and gather jobs. */
export const RELEASE_COMMIT_ARTIFACT = 'release-commit';
/** Where the prepare job stages the release commit and the other jobs download it. */
export const RELEASE_COMMIT_DIR = '${{ runner.temp }}/release-commit';
