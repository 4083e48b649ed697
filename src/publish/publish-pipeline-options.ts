import { AttestationCheck } from './attestation-check';
import { PublishAuth } from './publish-auth';
import { PublishEnvironments } from './publish-environments';
import { TestPypiPolicy } from './testpypi-policy';
import { Distributions } from '../release/distributions';
import { VersionScheme } from '../release/version-scheme';

/** Options of `PypiPublishPipeline`. */
export interface PypiPublishPipelineOptions {
  /**
   * The distribution name on PyPI; give the same as to `PythonReleasePipeline`.
   * @default - the projen project's name
   */
  readonly distributionName?: string;
  /**
   * Directory of the Python package inside the repository (monorepos); as for `PythonReleasePipeline`.
   * @default "."
   */
  readonly packageDir?: string;
  /**
   * Prefix of the release tags this workflow publishes: tag = prefix + version.
   * @default "v", or "<distributionName>-v" when packageDir is set
   */
  readonly tagPrefix?: string;
  /**
   * How the version in the tag maps to the package version (as in `PythonReleasePipeline`).
   * @default VersionScheme.pep440()
   */
  readonly versionScheme?: VersionScheme;
  /**
   * How the publishing jobs authenticate: trusted publishing (OIDC, with PEP 740 attestations),
   * or API tokens from `TEST_PYPI_API_TOKEN` / `PYPI_API_TOKEN` as the fallback, which turns
   * attestations off.
   * @default PublishAuth.trustedPublishing()
   */
  readonly auth?: PublishAuth;
  /**
   * Whether releases go through TestPyPI first, and whether prereleases go further.
   * @default TestPypiPolicy.always()
   */
  readonly testPypi?: TestPypiPolicy;
  /**
   * The deployment environments of the publishing jobs.
   * @default PublishEnvironments.shared(): one `pypi` environment
   */
  readonly environments?: PublishEnvironments;
  /**
   * What the release holds (`PythonReleasePipeline`'s `distributions`): for compiled wheels the
   * verify job checks, before anything is uploaded, that exactly the expected wheels are attached
   * (one per platform and Python), and the install test installs the one for its runner.
   * @default Distributions.pure()
   */
  readonly distributions?: Distributions;
  /**
   * The module the smoke test imports.
   * @default - the distribution name in lower case with "-" and "." replaced by "_"
   */
  readonly importName?: string;
  /**
   * A bash command run after the import check, in the venv holding the package installed from
   * TestPyPI (activated), in an empty directory outside the checkout, e.g.
   * `mypkg --version` or `python -c "import mypkg; mypkg.selftest()"`.
   * @default - only the import and version check
   */
  readonly smokeCommand?: string;
  /**
   * Python version (actions/setup-python) for verifying the files and for the install test.
   * @default "3.12"
   */
  readonly pythonVersion?: string;
  /**
   * How long the install test waits for the version to appear on TestPyPI's index (which lags
   * the upload), in minutes; it retries with a doubling delay (15 s up to 2 min), then fails.
   * @default 15
   */
  readonly testPypiWaitMinutes?: number;
  /**
   * twine version for `twine check --strict` (>= 7.0 reads Metadata 2.5).
   * @default "7.0.0"
   */
  readonly twineVersion?: string;
  /**
   * The workflow's name.
   * @default "Publish", or "Publish <distributionName>" when packageDir is set
   */
  readonly workflowName?: string;
  /**
   * The workflow file under .github/workflows/ (trusted publishers are registered with it).
   * @default "publish.yml", or "publish-<distributionName>.yml" when packageDir is set
   */
  readonly fileName?: string;
  /**
   * Runner labels for every job (the PyPI publish action runs on Linux only).
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];
  /**
   * The release workflow file (under .github/workflows/) whose GitHub artifact attestations every
   * file must carry: `PythonReleasePipeline`'s `fileName`.
   * @default "release.yml", or "release-<distributionName>.yml" when packageDir is set
   */
  readonly releaseWorkflowFile?: string;
  /**
   * The branch releases are made from (`PythonReleasePipeline`'s `releaseBranch`): the
   * attestations must come from a release workflow run on it.
   * @default "main"
   */
  readonly releaseBranch?: string;
  /**
   * Whether the verify job checks, before anything is uploaded, that every file (wheels, sdist,
   * SHA256SUMS) carries a GitHub artifact attestation from the release workflow on the release
   * branch. Turn it off only for a private repository whose plan has no artifact attestations.
   * @default AttestationCheck.required()
   */
  readonly attestations?: AttestationCheck;
  /**
   * The projen task that publishes a release from the maintainer's machine
   * (`npx projen publish:manual --tag v1.2.0`).
   * @default "publish:manual", or "publish:manual:<distributionName>" when packageDir is set
   */
  readonly manualPublishTask?: string;
}
