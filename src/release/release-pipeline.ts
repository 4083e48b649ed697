import { Project } from 'projen';
import { ChangelogConfig } from './changelog-config';
import { addAttestJob } from './jobs/attest-job';
import { addBuildJob } from './jobs/build-job';
import { addCheckJobs } from './jobs/check-jobs';
import { ReleaseContext } from './jobs/release-context';
import { addReleaseJob } from './jobs/release-job';
import { actionUpdatesStep, addValidateJob } from './jobs/validate-job';
import { ReleaseCredentials } from './release-credentials';
import { PythonReleasePipelineOptions } from './release-options';
import { ReleaseSettings, releaseSettings } from './release-settings';
import { VersionScheme } from './version-scheme';
import { VersionStrategy } from './version-strategy';
import { RepositoryRuleset } from '../environments/repository-ruleset';
import { ReleaseRehearsal } from '../rehearsal/release-rehearsal';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { QualityCheck } from '../toolchains/toolchain-options';
import { ActionPins } from '../workflow/action-pin';
import { cachesIn, inPackage } from '../workflow/common-steps';
import { DeploymentPolicy, Environment } from '../workflow/environment';
import { Job } from '../workflow/job';
import { PipelineWorkflow } from '../workflow/pipeline-workflow';
import { projectCodeIn } from '../workflow/project-code';

export * from './release-options';

const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]+$/;
const PYTHON_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const PLAIN_PATH = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/;
const DEFAULT_IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/**
 * `.github/workflows/release.yml`: run by hand with a version. The quality checks and the tests
 * start at once, beside the validation of the version; then an unprivileged build job (no
 * environment, no secret: it runs the project's code) sets the version, updates the changelog,
 * commits locally, builds the wheel and sdist once, verifies them and writes SHA256SUMS; an attest
 * job signs their provenance; and the release job, which alone holds the release token and runs
 * no project code, checks what the build handed on, pushes commit and tag atomically and creates
 * the GitHub release with the files attached, which starts `publish.yml`.
 *
 * Jobs: `validate`, one per quality check (`lint`, `type-check`, `security-check`, `test`),
 * `build`, `attest`, `release`. Find them with `findJob()` and their steps with `findStep()` to
 * extend them; the steps the release relies on cannot be removed silently.
 */
export class PythonReleasePipeline extends PipelineWorkflow {
  /** The toolchain. */
  public readonly toolchain: PythonToolchain;
  /** Distribution name, package directory and tag prefix. */
  public readonly settings: ReleaseSettings;
  /** The credentials that push and release. */
  public readonly credentials: ReleaseCredentials;
  /** The git-cliff config in use. */
  public readonly changelogConfig: ChangelogConfig;
  /** The branch releases are made from and pushed to. */
  public readonly releaseBranch: string;
  /** The job that validates the version and the tag. */
  public readonly validateJob: Job;
  /** The quality-check and test jobs. */
  public readonly checkJobs: Job[];
  /** The unprivileged job that builds the release (version, changelog, commit, distributions). */
  public readonly buildJob: Job;
  /** The job that attests the release files (undefined when attestations are off). */
  public readonly attestJob?: Job;
  /** The job that makes the release: the only one with the release token. */
  public readonly releaseJob: Job;
  /** The environment of the release job, which holds the release credentials. */
  public readonly releaseEnvironment: Environment;
  /** The local rehearsal of this release (`npx projen release:rehearse --version X`). */
  public readonly rehearsal: ReleaseRehearsal;

  /** The options (for subclasses). */
  protected readonly options: PythonReleasePipelineOptions;
  /** Which version strings are accepted and how they map to the package version. */
  protected readonly versionScheme: VersionScheme;
  /** Where the version lives. */
  protected readonly versionStrategy: VersionStrategy;
  private readonly context: ReleaseContext;

  public constructor(project: Project, options: PythonReleasePipelineOptions = {}) {
    const settings = releaseSettings('PythonReleasePipeline', project, options);
    const suffix = settings.monorepo ? `-${settings.distributionName}` : '';
    const fileName = options.fileName ?? `release${suffix}.yml`;
    super(project, `PythonReleasePipeline${suffix}`, {
      workflowName: options.workflowName ?? (settings.monorepo ? `Release ${settings.distributionName}` : 'Release'),
      fileName,
      concurrencyGroup: fileName.replace(/\.ya?ml$/, ''),
    });
    const who = `PythonReleasePipeline (${fileName})`;
    checkTagPrefixIsOwn(this, who, settings.tagPrefix);
    const branch = options.releaseBranch ?? 'main';
    if (!BRANCH.test(branch)) {
      throw new Error(`${who}: releaseBranch "${branch}" is not a valid branch name.`);
    }
    this.options = options;
    this.settings = settings;
    this.releaseBranch = branch;
    this.toolchain = options.toolchain ?? PythonToolchain.pixi();
    checkOptions(who, options, this.toolchain);
    this.versionScheme = options.versionScheme ?? VersionScheme.pep440();
    this.versionStrategy = options.versionStrategy ?? VersionStrategy.pyproject();
    this.credentials = options.credentials ?? ReleaseCredentials.personalAccessToken();
    this.changelogConfig = new ChangelogConfig(this, 'Changelog', {
      configPath: options.changelog?.configFile ?? inPackage(settings.packageDir, 'cliff.toml'),
      tagPrefix: settings.tagPrefix,
    });
    this.context = {
      workflow: this,
      options,
      settings,
      releaseBranch: branch,
      toolchain: this.toolchain,
      versionScheme: this.versionScheme,
      versionStrategy: this.versionStrategy,
      credentials: this.credentials,
      changelogConfig: this.changelogConfig,
      changelogFile: inPackage(settings.packageDir, options.changelog?.file ?? 'CHANGELOG.md'),
      gitIdentity: options.gitIdentity ?? DEFAULT_IDENTITY,
      packageWorkingDirectory: settings.monorepo ? settings.packageDir : undefined,
      repositoryRoot: settings.monorepo ? '${{ github.workspace }}' : undefined,
    };

    const flag = (description: string) => ({ description, required: false, type: 'boolean' as const, default: false as any });
    this.workflow.on({
      workflowDispatch: {
        inputs: {
          version: { description: 'Version to release, e.g. 1.2.0', required: true, type: 'string' },
          prerelease: flag('Mark the GitHub release as a prerelease'),
          draft: flag('Create the release as a draft: nothing is published until you publish the draft'),
          force_recreate: flag('Delete an existing release and tag of this version first (never an immutable release)'),
        },
      },
    });

    this.validateJob = this.createValidateJob();
    this.checkJobs = this.createCheckJobs();
    this.releaseEnvironment = options.environment ?? new Environment(this, 'ReleaseEnvironment', {
      name: settings.monorepo ? `release-${settings.distributionName}` : 'release',
      deploymentPolicy: DeploymentPolicy.branches(branch),
    });
    for (const secret of this.credentials.secrets) this.releaseEnvironment.expectSecret(secret);
    this.buildJob = addBuildJob(this.context, [this.validateJob, ...this.checkJobs]);
    this.attestJob = options.attestations === false ? undefined : addAttestJob(this.context, this.buildJob);
    this.releaseJob = this.createReleaseJob();
    this.validateJob.addStep('action-updates', actionUpdatesStep([]));
    if (options.releaseIdentity) {
      RepositoryRuleset.releaseTags(this, 'ReleaseTagsRuleset', { releaseIdentity: options.releaseIdentity, tagPrefix: settings.tagPrefix });
      if (options.protectReleaseBranch) RepositoryRuleset.releaseBranch(this, 'ReleaseBranchRuleset', { releaseIdentity: options.releaseIdentity, branch });
    } else if (options.protectReleaseBranch) {
      throw new Error(`${who}: protectReleaseBranch needs releaseIdentity: say who releases (RulesetBypass.user(login) for a token's owner, RulesetBypass.githubApp(slug) for an App), the only one the branch ruleset lets push.`);
    }
    this.rehearsal = new ReleaseRehearsal(this, {
      fileName,
      distributionName: settings.distributionName,
      monorepo: settings.monorepo,
      releaseBranch: branch,
      validateJob: this.validateJob,
      buildJob: this.buildJob,
      releaseJob: this.releaseJob,
    }, options.rehearsal);
  }

  /** The `validate` job: branch, version format and tag availability, before anything is built. */
  protected createValidateJob(): Job {
    return addValidateJob(this.context);
  }

  /** One job per quality check, in parallel with validate, read-only; their setup may cache. */
  protected createCheckJobs(): Job[] {
    return addCheckJobs(this.context);
  }

  /** The `release` job: checks what the build handed on, tags, pushes, creates the release. */
  protected createReleaseJob(): Job {
    return addReleaseJob(this.context, this.releaseEnvironment, { validate: this.validateJob, build: this.buildJob, attest: this.attestJob });
  }

  public preSynthesize(): void {
    for (const job of [this.buildJob, this.attestJob, this.releaseJob]) {
      for (const step of job?.steps ?? []) {
        if (cachesIn(step.options)) {
          throw new Error(`${this.fileName}: step "${step.stepId}" of the ${job!.jobId} job uses a cache; the jobs that build and release must never restore one (cache poisoning). Turn its cache off, or move the step to a check job.`);
        }
      }
    }
    for (const step of this.releaseJob.steps) {
      const code = projectCodeIn(step.options);
      if (code) {
        throw new Error(`${this.fileName}: step "${step.stepId}" of the release job would run the project's code (${code}), in the one job that holds the release token. Add it to the build job (pipeline.buildJob), which has no secrets, and hand on what it makes in the release files.`);
      }
    }
    const updates = this.validateJob.tryFindStep('action-updates');
    if (updates) {
      const catalog = new Map(ActionPins.all().map((p) => [p.ref, p.version]));
      const pinned = new Map<string, string>();
      for (const job of this.jobs) {
        for (const step of job.steps) {
          const uses = step.options.uses ?? '';
          const version = catalog.get(uses);
          if (version) pinned.set(uses.split('@')[0], version);
        }
      }
      this.validateJob.replaceStep('action-updates', actionUpdatesStep([...pinned].map(([n, v]) => `${n} ${v}`).sort()));
    }
    super.preSynthesize();
  }
}

function checkOptions(who: string, options: PythonReleasePipelineOptions, toolchain: PythonToolchain): void {
  const versions = options.pythonVersions;
  if (versions !== undefined && !Array.isArray(versions)) {
    throw new Error(`${who}: pythonVersions must be a list of versions such as ["3.12", "3.13"], got ${JSON.stringify(versions)}.`);
  }
  if (versions && versions.length === 0) {
    throw new Error(`${who}: pythonVersions is empty; list at least one version or leave it out.`);
  }
  for (const v of versions ?? []) {
    if (typeof v !== 'string' || !PYTHON_VERSION.test(v)) {
      throw new Error(`${who}: pythonVersions entry ${JSON.stringify(v)} is not a Python version such as "3.12" or "pypy3.10".`);
    }
  }
  if (versions && !toolchain.checks.includes(QualityCheck.TEST)) {
    throw new Error(`${who}: pythonVersions is set, but the toolchain runs no tests (no test command, or "test" in skip), so the matrix would be dropped. Remove pythonVersions or give the toolchain a test command.`);
  }
  for (const [option, value] of [['releaseTools.twine', options.releaseTools?.twine], ['releaseTools.gitCliff', options.releaseTools?.gitCliff]]) {
    if (value !== undefined && !/^\d+(\.\d+)*$/.test(value)) {
      throw new Error(`${who}: ${option} "${value}" must be an exact version such as "7.0.0".`);
    }
  }
  const identity = options.gitIdentity;
  if (identity && (!identity.name?.trim() || /[\r\n]/.test(identity.name) || !/^[^\s@]+@[^\s@]+$/.test(identity.email ?? ''))) {
    throw new Error(`${who}: gitIdentity needs a non-empty single-line name and an email such as "bot@example.com", got ${JSON.stringify(identity)}.`);
  }
  for (const [option, file] of [['changelog.file', options.changelog?.file], ...(options.versionFiles ?? []).map((f) => ['versionFiles', f])]) {
    if (file !== undefined && !PLAIN_PATH.test(file)) {
      throw new Error(`${who}: ${option} "${file}" must be a relative path inside the package (letters, digits, ".", "_", "-", "/"; no spaces, no "..").`);
    }
  }
}

/** Refuses a tag prefix that another release pipeline of the project uses, or could match. */
function checkTagPrefixIsOwn(self: PythonReleasePipeline, who: string, tagPrefix: string): void {
  for (const other of self.project.components) {
    if (!(other instanceof PythonReleasePipeline) || other === self) continue;
    const theirs = other.settings.tagPrefix;
    const [shorter, longer] = theirs.length <= tagPrefix.length ? [theirs, tagPrefix] : [tagPrefix, theirs];
    if (longer.startsWith(shorter) && (longer === shorter || /^[0-9]/.test(longer.slice(shorter.length)))) {
      throw new Error(`${who}: tagPrefix "${tagPrefix}" clashes with "${theirs}" of ${other.fileName}: the two packages' tags could not be told apart. Give each package its own tagPrefix (with packageDir it defaults to "<distributionName>-v").`);
    }
  }
}
