import { Project } from 'projen';
import { AttestationCheck } from './attestation-check';
import { checkInstallTestHasWheel } from './install-wheel-check';
import { ActionPinUpdates } from '../workflow/action-pin-updates';
import { PublishJobContext } from './jobs/job-context';
import { buildPublishJob } from './jobs/publish-job';
import { buildSummaryJob } from './jobs/summary-job';
import { buildTestInstallJob } from './jobs/test-install-job';
import { buildVerifyJob } from './jobs/verify-job';
import { ManualPublish } from './manual/manual-publish';
import { PublishAuth } from './publish-auth';
import { TAG_EXPRESSION } from './publish-constants';
import { PublishEnvironments } from './publish-environments';
import { checkPublishOptions } from './publish-options-check';
import { PypiPublishPipelineOptions } from './publish-pipeline-options';
import { checkPublishAgainstRelease } from './release-link';
import { TestPypiPolicy } from './testpypi-policy';
import { TOOLS } from '../catalog/catalog';
import { Distributions } from '../release/distributions';
import { projenPythonDefaults, removeTokenPublishTasks } from '../release/projen-python';
import { ReleaseSettings, releaseSettings } from '../release/release-settings';
import { VersionScheme } from '../release/version-scheme';
import { ActionPins } from '../workflow/action-pin';
import { cachesIn } from '../workflow/common-steps';
import { DeploymentPolicy, Environment } from '../workflow/environment';
import { Job } from '../workflow/job';
import { PipelineWorkflow } from '../workflow/pipeline-workflow';

export * from './attestation-check';
export * from './manual/manual-publish';
export type * from './manual/manual-publish-target';
export * from './publish-auth';
export * from './publish-environments';
export type * from './publish-pipeline-options';
export * from './testpypi-policy';


/**
 * `.github/workflows/publish.yml`: publishes the files of a GitHub release to TestPyPI and PyPI.
 * Started when a release is published (release.yml creates it), or by hand with the `tag` input
 * to retry a failed publication without touching the release.
 *
 * Jobs, each with only the permissions it needs (`permissions: {}` at the top), each built in
 * its own file under `jobs/`:
 * 1. `verify` (`contents: read`, `attestations: read`): checks the tag's shape (before anything
 *    echoes it), its prefix and its published release, and derives the package version with
 *    release.yml's own version check; downloads the wheel, sdist and `SHA256SUMS`, checks that
 *    release.yml attested each of them on the release branch, the checksums, the distribution
 *    name, `twine check --strict` and the version inside the files, and hands them on as artifacts;
 * 2. `publish-testpypi`: downloads the distributions and uploads them to TestPyPI (`skip-existing`);
 * 3. `test-install`: checks that TestPyPI serves exactly the files of SHA256SUMS, installs the
 *    version from TestPyPI into a fresh venv (the package alone with `--no-deps`, then its
 *    validated dependencies from PyPI only), polling while TestPyPI lags, and smoke tests it;
 * 4. `publish-pypi`: downloads the distributions and uploads them to PyPI. No `skip-existing`:
 *    PyPI accepts a re-upload of byte-identical files as a no-op, so a re-run after a partial
 *    failure succeeds, while a different file under a published name fails loudly;
 * 5. `summary`: links to the GitHub release and the versions on TestPyPI and PyPI.
 *
 * It also adds the `publish:manual` task (`ManualPublish`): the same verify steps and uploads with
 * twine, from the maintainer's machine, for when the workflow cannot do it.
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
  /** Whether the release files' artifact attestations are checked. */
  public readonly attestationCheck: AttestationCheck;
  /** The release workflow file the attestations must come from. */
  public readonly releaseWorkflowFile: string;
  /** The branch the attestations must come from. */
  public readonly releaseBranch: string;
  /** The module the smoke test imports. */
  public readonly importName: string;
  /** What the release holds: the verify job checks its exact set of wheels. */
  public readonly distributions: Distributions;
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
  /** The `publish:manual` task and its script. */
  public readonly manualPublish: ManualPublish;

  /** The options (for subclasses). */
  protected readonly options: PypiPublishPipelineOptions;
  /** Which version strings are accepted and how they map to the package version. */
  protected readonly versionScheme: VersionScheme;

  public constructor(project: Project, options: PypiPublishPipelineOptions = {}) {
    const settings = releaseSettings('PypiPublishPipeline', project, options);
    const suffix = settings.monorepo ? `-${settings.distributionName}` : '';
    const fileName = options.fileName ?? `publish${suffix}.yml`;
    if (project.node.tryFindChild(`PypiPublishPipeline${suffix}`)) {
      throw new Error(`PypiPublishPipeline (${fileName}): the project already has a publish pipeline for ${settings.monorepo ? `package ${settings.distributionName}` : 'the package at the repository root'}. For several packages in one repository, give each its own packageDir (and distributionName): fileName, tagPrefix and the environments follow from it.`);
    }
    super(project, `PypiPublishPipeline${suffix}`, {
      workflowName: options.workflowName ?? (settings.monorepo ? `Publish ${settings.distributionName}` : 'Publish'),
      fileName,
      concurrencyGroup: `${fileName.replace(/\.ya?ml$/, '')}-${TAG_EXPRESSION}`,
    });
    const who = `PypiPublishPipeline (${fileName})`;
    ActionPinUpdates.of(project);
    if (projenPythonDefaults(project)) removeTokenPublishTasks(project);
    const { importName, wait, releaseWorkflowFile, releaseBranch } = checkPublishOptions(who, settings, suffix, options);
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
    this.attestationCheck = options.attestations ?? AttestationCheck.required();
    this.releaseWorkflowFile = releaseWorkflowFile;
    this.releaseBranch = releaseBranch;
    this.importName = importName;
    this.distributions = options.distributions ?? Distributions.pure();
    if (policy.usesTestPypi) checkInstallTestHasWheel(who, this.distributions, options.runsOn, options.pythonVersion ?? '3.12');

    const tagsOnly = DeploymentPolicy.releaseTags(settings.tagPrefix);
    this.pypiEnvironment = environments.pypi ?? new Environment(this, 'PypiEnvironment', {
      name: `pypi${suffix}`,
      url: `https://pypi.org/p/${settings.distributionName}`,
      deploymentPolicy: tagsOnly,
    });
    if (policy.usesTestPypi) {
      this.testPypiEnvironment = environments.kind === 'shared'
        ? this.pypiEnvironment
        : environments.testPypi ?? new Environment(this, 'TestPypiEnvironment', {
          name: `testpypi${suffix}`,
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
    this.manualPublish = new ManualPublish(this, this, { taskName: options.manualPublishTask });
  }

  /** `${{ needs.verify.outputs.<name> }}` */
  protected verified(name: string): string {
    return this.verifyJob.outputExpression(name);
  }

  /** The `verify` job (jobs/verify-job.ts). */
  protected createVerifyJob(): Job {
    return buildVerifyJob(this.jobContext());
  }

  /** The `publish-testpypi` job: download the artifact, upload to TestPyPI with `skip-existing`. */
  protected createPublishTestPypiJob(): Job {
    return buildPublishJob(this.jobContext(), {
      id: 'publish-testpypi',
      index: 'testpypi',
      name: 'Publish to TestPyPI',
      environment: this.testPypiEnvironment!,
      environmentUrl: `https://test.pypi.org/p/${this.settings.distributionName}`,
      needs: [this.verifyJob],
    });
  }

  /** The `test-install` job (jobs/test-install-job.ts). */
  protected createTestInstallJob(): Job {
    return buildTestInstallJob(this.jobContext(), this.verifyJob, this.publishTestPypiJob!);
  }

  /**
   * The `publish-pypi` job: download the artifact, upload to PyPI. No `skip-existing`: PyPI
   * accepts byte-identical files again (a re-run succeeds) and refuses different ones.
   */
  protected createPublishPypiJob(): Job {
    return buildPublishJob(this.jobContext(), {
      id: 'publish-pypi',
      index: 'pypi',
      name: 'Publish to PyPI',
      environment: this.pypiEnvironment,
      needs: [this.verifyJob, ...(this.testInstallJob ? [this.testInstallJob] : [])],
      if: this.testPypiPolicy.prereleasesReachPypi ? undefined : 'needs.verify.outputs.prerelease != \'true\'',
    });
  }

  /** The `summary` job: results and links in the job summary, whatever happened (unless cancelled). */
  protected createSummaryJob(): Job {
    return buildSummaryJob(this.jobContext(), {
      verify: this.verifyJob,
      publishTestPypi: this.publishTestPypiJob,
      testInstall: this.testInstallJob,
      publishPypi: this.publishPypiJob,
    });
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
    checkPublishAgainstRelease({
      project: this.project,
      fileName: this.fileName,
      tagPrefix: this.settings.tagPrefix,
      packageDir: this.settings.packageDir,
      releaseWorkflowFile: this.releaseWorkflowFile,
      releaseBranch: this.releaseBranch,
      attestationsRequired: this.attestationCheck.isRequired,
      pypiEnvironment: this.pypiEnvironment,
      testPypiEnvironment: this.testPypiEnvironment,
    });
    super.preSynthesize();
  }

  /** What the job builders read, resolved from the options. */
  private jobContext(): PublishJobContext {
    return {
      fileName: this.fileName,
      addJob: (id, options) => this.addJob(id, options),
      settings: this.settings,
      versionScheme: this.versionScheme,
      auth: this.auth,
      runsOn: this.options.runsOn,
      pythonVersion: this.options.pythonVersion ?? '3.12',
      twineVersion: this.options.twineVersion ?? TOOLS.twine.version,
      importName: this.importName,
      expectedWheels: this.distributions.expectedWheels(),
      smokeCommand: this.options.smokeCommand,
      testPypiWaitMinutes: this.options.testPypiWaitMinutes!,
      usesTestPypi: this.testPypiPolicy.usesTestPypi,
      attestations: this.attestationCheck.isRequired ? { workflowFile: this.releaseWorkflowFile, branch: this.releaseBranch } : undefined,
    };
  }
}
