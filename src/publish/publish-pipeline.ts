import { Project } from 'projen';
import { PublishAuth } from './publish-auth';
import { TOOLS } from '../catalog/catalog';
import { PublishEnvironments } from './publish-environments';
import { TestPypiPolicy } from './testpypi-policy';
import { ReleaseSettings, releaseSettings } from '../release/release-settings';
import { VersionScheme } from '../release/version-scheme';
import * as publish from '../scripts/publish-scripts';
import * as release from '../scripts/release-scripts';
import { ActionPins } from '../workflow/action-pin';
import { cachesIn, downloadArtifactStep, uploadArtifactStep } from '../workflow/common-steps';
import { DeploymentPolicy, Environment } from '../workflow/environment';
import { Job } from '../workflow/job';
import { Permission } from '../workflow/permission';
import { PipelineWorkflow } from '../workflow/pipeline-workflow';

export * from './publish-auth';
export * from './publish-environments';
export * from './testpypi-policy';

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
}

const IMPORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PYTHON_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;
const TOOL_VERSION = /^\d+(\.\d+)*$/;

const PYPI_UPLOAD = 'https://upload.pypi.org/legacy/';
const TESTPYPI_UPLOAD = 'https://test.pypi.org/legacy/';
const DIST_DIR = 'dist';
const ARTIFACT = 'verified-distributions';
/** The tag this run publishes: the dispatch input, or the published release's tag. */
const TAG_EXPRESSION = '${{ inputs.tag || github.event.release.tag_name }}';

/**
 * `.github/workflows/publish.yml`: publishes the files of a GitHub release to TestPyPI and PyPI.
 * Started when a release is published (release.yml creates it), or by hand with the `tag` input
 * to retry a failed publication without touching the release.
 *
 * Jobs, each with only the permissions it needs (`permissions: {}` at the top):
 * 1. `verify` (`contents: read`): checks the tag (this package's prefix, a published release)
 *    and derives the package version from it with release.yml's own version check; downloads the
 *    wheel, sdist and `SHA256SUMS` from the release, checks the checksums, the distribution name,
 *    `twine check --strict` and the version inside the files, and hands the files on as an artifact;
 * 2. `publish-testpypi`: downloads that artifact and uploads it to TestPyPI (`skip-existing`);
 * 3. `test-install`: installs the version from TestPyPI into a fresh venv (dependencies from PyPI
 *    only, the package with `--no-deps`), polling while TestPyPI's index lags, and smoke tests it;
 * 4. `publish-pypi`: downloads the artifact and uploads it to PyPI. No `skip-existing` there:
 *    PyPI accepts a re-upload of byte-identical files as a no-op, so a re-run after a partial
 *    failure succeeds, while a different file under a published name fails loudly;
 * 5. `summary`: links to the GitHub release and the versions on TestPyPI and PyPI.
 *
 * To retry a failed publication, run the workflow from the tag:
 * `gh workflow run publish.yml --ref v1.2.0 -f tag=v1.2.0` (the environments the pipeline creates
 * admit only this package's tags). What already succeeded passes again: TestPyPI skips existing
 * files, PyPI accepts identical ones.
 *
 * The publishing jobs hold nothing but the artifact download and one `pypa/gh-action-pypi-publish`
 * step; with trusted publishing (the default) only they get `id-token: write`. Find jobs with
 * `findJob()` and steps with `findStep()` to extend them, or override the `createXxxJob()` methods.
 */
export class PypiPublishPipeline extends PipelineWorkflow {
  /** Distribution name, package directory and tag prefix (shared with release.yml). */
  public readonly settings: ReleaseSettings;
  /** How the publishing jobs authenticate. */
  public readonly auth: PublishAuth;
  /** Whether and how TestPyPI is used. */
  public readonly testPypiPolicy: TestPypiPolicy;
  /** The module the smoke test imports. */
  public readonly importName: string;
  /** The environment of the PyPI job. */
  public readonly pypiEnvironment: Environment;
  /** The environment of the TestPyPI job (undefined when TestPyPI is skipped). */
  public readonly testPypiEnvironment?: Environment;
  /** `verify`. */
  public readonly verifyJob: Job;
  /** `publish-testpypi` (undefined when TestPyPI is skipped). */
  public readonly publishTestPypiJob?: Job;
  /** `test-install` (undefined when TestPyPI is skipped). */
  public readonly testInstallJob?: Job;
  /** `publish-pypi`. */
  public readonly publishPypiJob: Job;
  /** `summary`. */
  public readonly summaryJob: Job;

  /** The options (for subclasses). */
  protected readonly options: PypiPublishPipelineOptions;
  /** Which version strings are accepted and how they map to the package version. */
  protected readonly versionScheme: VersionScheme;

  public constructor(project: Project, options: PypiPublishPipelineOptions = {}) {
    const settings = releaseSettings('PypiPublishPipeline', project, options);
    const suffix = settings.monorepo ? `-${settings.distributionName}` : '';
    const fileName = options.fileName ?? `publish${suffix}.yml`;
    super(project, `PypiPublishPipeline${suffix}`, {
      workflowName: options.workflowName ?? (settings.monorepo ? `Publish ${settings.distributionName}` : 'Publish'),
      fileName,
      concurrencyGroup: `${fileName.replace(/\.ya?ml$/, '')}-${TAG_EXPRESSION}`,
    });
    const who = `PypiPublishPipeline (${fileName})`;
    const importName = options.importName ?? settings.distributionName.toLowerCase().replace(/[-.]+/g, '_');
    if (!IMPORT_NAME.test(importName)) {
      throw new Error(options.importName === undefined
        ? `${who}: the distribution name "${settings.distributionName}" does not give a Python module name; set importName to the module the smoke test should import.`
        : `${who}: importName "${options.importName}" is not a Python module name (dotted identifiers, e.g. "my_pkg" or "my_pkg.cli").`);
    }
    if (options.smokeCommand !== undefined) {
      if (!options.smokeCommand.trim()) {
        throw new Error(`${who}: smokeCommand is empty; give a command, or leave the option out for the import check alone.`);
      }
      if (options.smokeCommand.includes('${{')) {
        throw new Error(`${who}: smokeCommand contains a \${{ }} expression, which GitHub would paste into the script; use a plain command.`);
      }
    }
    if (options.pythonVersion !== undefined && !PYTHON_VERSION.test(options.pythonVersion)) {
      throw new Error(`${who}: pythonVersion "${options.pythonVersion}" is not a version actions/setup-python accepts, such as "3.12".`);
    }
    const wait = options.testPypiWaitMinutes ?? 15;
    if (!Number.isInteger(wait) || wait < 1 || wait > 120) {
      throw new Error(`${who}: testPypiWaitMinutes must be a whole number of minutes from 1 to 120, got ${wait}.`);
    }
    if (options.twineVersion !== undefined && !TOOL_VERSION.test(options.twineVersion)) {
      throw new Error(`${who}: twineVersion "${options.twineVersion}" must be an exact version such as "7.0.0".`);
    }
    const policy = options.testPypi ?? TestPypiPolicy.always();
    const environments = options.environments ?? PublishEnvironments.shared();
    if (environments.testPypi && !policy.usesTestPypi) {
      throw new Error(`${who}: environments names a TestPyPI environment, but testPypi is TestPypiPolicy.skip(); drop one of them.`);
    }

    this.options = { ...options, testPypiWaitMinutes: wait };
    this.settings = settings;
    this.versionScheme = options.versionScheme ?? VersionScheme.pep440();
    this.auth = options.auth ?? PublishAuth.trustedPublishing();
    this.testPypiPolicy = policy;
    this.importName = importName;

    const envSuffix = settings.monorepo ? `-${settings.distributionName}` : '';
    const tagsOnly = DeploymentPolicy.releaseTags(settings.tagPrefix);
    this.pypiEnvironment = environments.pypi ?? new Environment(this, 'PypiEnvironment', {
      name: `pypi${envSuffix}`,
      url: `https://pypi.org/p/${settings.distributionName}`,
      deploymentPolicy: tagsOnly,
    });
    if (policy.usesTestPypi) {
      this.testPypiEnvironment = environments.kind === 'shared'
        ? this.pypiEnvironment
        : environments.testPypi ?? new Environment(this, 'TestPypiEnvironment', {
          name: `testpypi${envSuffix}`,
          url: `https://test.pypi.org/p/${settings.distributionName}`,
          deploymentPolicy: tagsOnly,
        });
    }

    this.workflow.on({
      release: { types: ['published'] },
      workflowDispatch: {
        inputs: {
          tag: {
            description: 'Tag of a published release to publish again, e.g. v1.2.0 (run the workflow from that tag)',
            required: true,
            type: 'string',
          },
        },
      },
    });

    this.verifyJob = this.createVerifyJob();
    if (policy.usesTestPypi) {
      this.publishTestPypiJob = this.createPublishTestPypiJob();
      this.testInstallJob = this.createTestInstallJob();
    }
    this.publishPypiJob = this.createPublishPypiJob();
    this.summaryJob = this.createSummaryJob();
  }

  /** `${{ needs.verify.outputs.<name> }}` */
  protected verified(name: string): string {
    return this.verifyJob.outputExpression(name);
  }

  /**
   * The `verify` job. It runs only for tags with this package's prefix (other packages' releases
   * skip the whole workflow); a dispatched run with a wrong tag fails in its first step.
   */
  protected createVerifyJob(): Job {
    const s = this.settings;
    const job = this.addJob('verify', {
      name: 'Verify the release files',
      runsOn: this.options.runsOn,
      timeoutMinutes: 10,
      if: `github.event_name == 'workflow_dispatch' || startsWith(github.event.release.tag_name, '${s.tagPrefix}')`,
      env: { GH_REPO: '${{ github.repository }}', DIST_DIR },
      outputs: {
        version: { stepId: 'version', outputName: 'version' },
        tag: { stepId: 'version', outputName: 'tag' },
        prerelease: { stepId: 'version', outputName: 'prerelease' },
      },
    });
    job.addStep('tag', {
      name: 'Check the tag and the release',
      run: publish.RESOLVE_RELEASE_TAG,
      env: {
        RELEASE_TAG: TAG_EXPRESSION,
        TAG_PREFIX: s.tagPrefix,
        WORKFLOW_FILE: this.fileName,
        GH_TOKEN: '${{ github.token }}',
      },
      permissions: [Permission.read('contents')],
    });
    job.addStep('version', {
      name: 'Derive the package version from the tag',
      run: release.VALIDATE_VERSION,
      env: {
        // The tag is prefix + version exactly (release.yml drops a typed "v"), so no "v" here.
        VERSION_INPUT: '${{ steps.tag.outputs.version_input }}',
        PRERELEASE_INPUT: '${{ steps.tag.outputs.github_prerelease }}',
        VERSION_SCHEME: this.versionScheme.kind,
        ALLOW_V_PREFIX: 'false',
        TAG_PREFIX: s.tagPrefix,
      },
    });
    job.addStep('setup-python', {
      name: 'Set up Python',
      uses: ActionPins.SETUP_PYTHON.ref,
      with: { 'python-version': this.pythonVersion },
    });
    job.addStep('install-tools', {
      name: 'Install twine',
      run: release.INSTALL_RELEASE_TOOLS,
      env: { RELEASE_TOOLS: `twine==${this.options.twineVersion ?? TOOLS.twine.version}` },
    });
    job.addStep('download', {
      name: 'Download the release files',
      run: publish.DOWNLOAD_RELEASE_ASSETS,
      env: { TAG: '${{ steps.version.outputs.tag }}', GH_TOKEN: '${{ github.token }}' },
      permissions: [Permission.read('contents')],
    });
    job.addStep('checksums', { name: 'Check SHA256SUMS', run: publish.VERIFY_CHECKSUMS });
    job.addStep('distribution-name', {
      name: 'Check the distribution name',
      run: publish.CHECK_DISTRIBUTION_NAME,
      env: { DIST_NAME: s.distributionName },
    });
    job.addStep('verify', {
      name: 'twine check and the version in the files',
      run: release.VERIFY_DISTRIBUTIONS,
      env: { VERSION: '${{ steps.version.outputs.version }}' },
    });
    // Only the distributions: the publish action uploads everything in its packages dir.
    job.addStep('upload', uploadArtifactStep(ARTIFACT, [`${DIST_DIR}/*.whl`, `${DIST_DIR}/*.tar.gz`], 'Hand the verified files on'));
    return job;
  }

  /** The `publish-testpypi` job: download the artifact, upload to TestPyPI with `skip-existing`. */
  protected createPublishTestPypiJob(): Job {
    return this.addPublishJob('publish-testpypi', 'testpypi', {
      name: 'Publish to TestPyPI',
      environment: this.testPypiEnvironment!,
      environmentUrl: `https://test.pypi.org/p/${this.settings.distributionName}`,
      needs: [this.verifyJob],
    });
  }

  /**
   * The `test-install` job: installs the version from TestPyPI into a fresh venv outside the
   * checkout (dependencies from PyPI, the package itself with `--no-deps` from TestPyPI), waiting
   * with a bounded back-off while the index lags, then imports it and compares the version.
   */
  protected createTestInstallJob(): Job {
    const s = this.settings;
    const venv = '${{ runner.temp }}/testpypi-venv';
    const job = this.addJob('test-install', {
      name: 'Install from TestPyPI and smoke test',
      runsOn: this.options.runsOn,
      needs: [this.verifyJob, this.publishTestPypiJob!],
      timeoutMinutes: this.options.testPypiWaitMinutes! + 10,
      env: { DIST_NAME: s.distributionName, VERSION: this.verified('version'), DIST_DIR },
    });
    job.addStep('setup-python', {
      name: 'Set up Python',
      uses: ActionPins.SETUP_PYTHON.ref,
      with: { 'python-version': this.pythonVersion },
    });
    job.addStep('download', downloadArtifactStep(ARTIFACT, DIST_DIR));
    job.addStep('install', {
      name: 'Install from TestPyPI (waits for the index)',
      run: publish.INSTALL_FROM_TESTPYPI,
      env: {
        VENV_DIR: venv,
        TESTPYPI_INDEX_URL: publish.TESTPYPI_SIMPLE_INDEX,
        PYPI_INDEX_URL: publish.PYPI_SIMPLE_INDEX,
        POLL_TIMEOUT_SECONDS: String(this.options.testPypiWaitMinutes! * 60),
        POLL_INITIAL_DELAY_SECONDS: '15',
        POLL_MAX_DELAY_SECONDS: '120',
      },
    });
    job.addStep('smoke-test', {
      name: `Import ${this.importName} and check the version`,
      run: publish.SMOKE_TEST,
      env: { VENV_DIR: venv, IMPORT_NAME: this.importName },
    });
    if (this.options.smokeCommand !== undefined) {
      job.addStep('smoke-command', {
        name: 'Run the smoke command',
        run: publish.smokeCommandScript(this.options.smokeCommand),
        env: { VENV_DIR: venv },
      });
    }
    return job;
  }

  /**
   * The `publish-pypi` job: download the artifact, upload to PyPI. No `skip-existing`: PyPI
   * accepts byte-identical files again (a re-run succeeds) and refuses different ones.
   */
  protected createPublishPypiJob(): Job {
    return this.addPublishJob('publish-pypi', 'pypi', {
      name: 'Publish to PyPI',
      environment: this.pypiEnvironment,
      needs: [this.verifyJob, ...(this.testInstallJob ? [this.testInstallJob] : [])],
      if: this.testPypiPolicy.prereleasesReachPypi ? undefined : 'needs.verify.outputs.prerelease != \'true\'',
    });
  }

  /** The `summary` job: results and links in the job summary, whatever happened (unless cancelled). */
  protected createSummaryJob(): Job {
    const needs = [this.verifyJob, this.publishTestPypiJob, this.testInstallJob, this.publishPypiJob].filter((j): j is Job => j !== undefined);
    const results: { [key: string]: string } = {};
    const stages: Array<[string, Job | undefined]> = [
      ['VERIFY_RESULT', this.verifyJob],
      ['TESTPYPI_RESULT', this.publishTestPypiJob],
      ['INSTALL_RESULT', this.testInstallJob],
      ['PYPI_RESULT', this.publishPypiJob],
    ];
    for (const [key, j] of stages) {
      if (j) results[key] = `\${{ needs.${j.jobId}.result }}`;
    }
    const job = this.addJob('summary', {
      name: 'Summary',
      runsOn: this.options.runsOn,
      needs,
      timeoutMinutes: 5,
      if: '${{ !cancelled() && needs.verify.result != \'skipped\' }}',
    });
    job.addStep('summary', {
      name: 'Write the summary',
      run: publish.PUBLISH_SUMMARY,
      env: {
        DIST_NAME: this.settings.distributionName,
        VERSION: this.verified('version'),
        TAG: TAG_EXPRESSION,
        ...results,
      },
    });
    return job;
  }

  public preSynthesize(): void {
    for (const job of this.jobs) {
      for (const step of job.steps) {
        if (cachesIn(step.options)) {
          throw new Error(`${this.fileName}: step "${step.stepId}" of job "${job.jobId}" uses a cache; a workflow that runs on a release must never restore one (cache poisoning). Turn its cache off.`);
        }
      }
    }
    const action = (uses: string | undefined, name: string) => uses?.startsWith(`${name}@`) ?? false;
    for (const job of [this.publishTestPypiJob, this.publishPypiJob]) {
      if (!job) continue;
      const uploads = job.steps.filter((s) => action(s.options.uses, ActionPins.PYPI_PUBLISH.name));
      const extra = job.steps.filter((s) => !uploads.includes(s) && !action(s.options.uses, ActionPins.DOWNLOAD_ARTIFACT.name));
      if (uploads.length !== 1 || extra.length) {
        throw new Error(`${this.fileName}: job "${job.jobId}" publishes to PyPI and must hold only the artifact download and one upload (any other step there could mint upload tokens or change the files); ${extra.length ? `move step(s) ${extra.map((s) => `"${s.stepId}"`).join(', ')} to another job` : 'keep exactly one upload step'}.`);
      }
    }
    super.preSynthesize();
  }

  /**
   * A publishing job: the artifact download and exactly one `pypa/gh-action-pypi-publish` step,
   * nothing else. Records the trusted publisher (or the expected token secret) on its environment.
   */
  private addPublishJob(id: string, index: 'pypi' | 'testpypi', job: {
    name: string; environment: Environment; environmentUrl?: string; needs: Job[]; if?: string;
  }): Job {
    const testPypi = index === 'testpypi';
    const secret = testPypi ? this.auth.testPypiSecret : this.auth.pypiSecret;
    const trusted = this.auth.isTrustedPublishing;
    const publishJob = this.addJob(id, {
      ...job,
      runsOn: this.options.runsOn,
      timeoutMinutes: 15,
    });
    publishJob.addStep('download', downloadArtifactStep(ARTIFACT, DIST_DIR));
    publishJob.addStep('publish', {
      name: testPypi ? 'Upload to TestPyPI' : 'Upload to PyPI',
      uses: ActionPins.PYPI_PUBLISH.ref,
      with: {
        'repository-url': testPypi ? TESTPYPI_UPLOAD : PYPI_UPLOAD,
        'packages-dir': `${DIST_DIR}/`,
        'print-hash': true,
        // TestPyPI only: a re-run skips what the first run uploaded. PyPI itself accepts
        // byte-identical files again, and must refuse different files under a published name.
        ...(testPypi ? { 'skip-existing': true } : {}),
        ...(trusted ? {} : { password: `\${{ secrets.${secret} }}` }),
      },
      permissions: trusted ? [Permission.idTokenForTrustedPublishing()] : [],
    });
    if (trusted) {
      job.environment.addTrustedPublisher({ index, projectName: this.settings.distributionName, workflowFile: this.fileName });
    } else {
      job.environment.expectSecret(secret!);
    }
    return publishJob;
  }

  private get pythonVersion(): string {
    return this.options.pythonVersion ?? '3.12';
  }
}
