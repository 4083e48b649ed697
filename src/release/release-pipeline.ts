import { Project } from 'projen';
import { ChangelogConfig } from './changelog-config';
import { Distributions } from './distributions';
import { addAttestJob } from './jobs/attest-job';
import { addCheckJobs } from './jobs/check-jobs';
import { addDistributionJobs } from './jobs/distribution-jobs';
import { ReleaseContext } from './jobs/release-context';
import { addReleaseJob } from './jobs/release-job';
import { actionUpdatesStep, addValidateJob } from './jobs/validate-job';
import { projenPythonDefaults, projenVersionStrategy, removeTokenPublishTasks } from './projen-python';
import { advise, checkOptions, checkPackage } from './release-checks';
import { ReleaseCredentials } from './release-credentials';
import { PythonReleasePipelineOptions } from './release-options';
import { checkReleaseBranch, ReleaseSettings, releaseSettings } from './release-settings';
import { VersionScheme } from './version-scheme';
import { VersionStrategy } from './version-strategy';
import { RepositoryRuleset } from '../environments/repository-ruleset';
import { ReleaseRehearsal } from '../rehearsal/release-rehearsal';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { ActionPinUpdates } from '../workflow/action-pin-updates';
import { cachesIn, inPackage } from '../workflow/common-steps';
import { DeploymentPolicy, Environment } from '../workflow/environment';
import { Job } from '../workflow/job';
import { PipelineWorkflow } from '../workflow/pipeline-workflow';
import { projectCodeIn } from '../workflow/project-code';

export type * from './release-options';
export * from './distributions';

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
 * `build`, `attest`, `release`; with compiled `distributions`, `prepare`, `wheels` (a matrix),
 * `sdist` and `gather` in place of `build` (see `Distributions`). Find them with `findJob()` and their steps with `findStep()` to
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
  /** What the release builds: a pure wheel and sdist, or a matrix of compiled wheels. */
  public readonly distributions: Distributions;
  /**
   * The unprivileged job that hands the release files on: `build` (version, changelog, commit,
   * distributions), or with compiled distributions `gather` (the checked set of every file).
   */
  public readonly buildJob: Job;
  /** Compiled distributions: the job that sets the version once and makes the release commit. */
  public readonly prepareJob?: Job;
  /** Compiled distributions: the wheel matrix. */
  public readonly wheelsJob?: Job;
  /** Compiled distributions: the sdist job. */
  public readonly sdistJob?: Job;
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
    if (project.node.tryFindChild(`PythonReleasePipeline${suffix}`)) {
      throw new Error(`PythonReleasePipeline (${fileName}): the project already has a release pipeline for ${settings.monorepo ? `package ${settings.distributionName}` : 'the package at the repository root'}. For several packages in one repository, give each its own packageDir (and distributionName): fileName, tagPrefix and the environments follow from it.`);
    }
    super(project, `PythonReleasePipeline${suffix}`, {
      workflowName: options.workflowName ?? (settings.monorepo ? `Release ${settings.distributionName}` : 'Release'),
      fileName,
      concurrencyGroup: fileName.replace(/\.ya?ml$/, ''),
    });
    const who = `PythonReleasePipeline (${fileName})`;
    ActionPinUpdates.of(project);
    checkTagPrefixIsOwn(this, who, settings.tagPrefix);
    const branch = checkReleaseBranch(who, options.releaseBranch);
    this.options = options;
    this.settings = settings;
    this.releaseBranch = branch;
    const projenPython = projenPythonDefaults(project);
    this.toolchain = options.toolchain ?? projenPython?.toolchain ?? PythonToolchain.pixi();
    checkOptions(who, options, this.toolchain);
    if (projenPython) {
      if (options.versionStrategy?.kind === 'pyproject') {
        throw new Error(`${who}: versionStrategy is VersionStrategy.pyproject(), but projen owns ${projenPython.versionFile} and the next "npx projen" would put the release commit's version back to "${(project as any).version}". Leave versionStrategy out (VersionStrategy.buildOnly(): the build gets the version, the repository keeps the one in .projenrc), or use VersionStrategy.verifyOnly() (bump version in .projenrc, run npx projen and commit before releasing).`);
      }
      removeTokenPublishTasks(project);
    }
    advise(who, project, settings, options, fileName);
    checkPackage(who, project, settings, options);
    this.versionScheme = options.versionScheme ?? VersionScheme.pep440();
    this.versionStrategy = options.versionStrategy ?? (projenPython ? projenVersionStrategy() : VersionStrategy.pyproject());
    this.distributions = options.distributions ?? Distributions.pure();
    if (this.distributions.kind === 'maturin' && this.versionStrategy.kind === 'tag') {
      throw new Error(`${who}: versionStrategy VersionStrategy.fromTag() does not reach maturin, which reads the version from pyproject.toml or Cargo.toml. Use VersionStrategy.pyproject() (a static [project].version) with Distributions.maturin().`);
    }
    if (this.distributions.isCompiled && !this.versionStrategy.commitsVersion && this.versionStrategy.kind !== 'tag' && this.versionStrategy.kind !== 'verify') {
      throw new Error(`${who}: distributions is compiled (${this.distributions.kind}), whose wheel jobs build the release commit, but versionStrategy is VersionStrategy.buildOnly(), which keeps the version out of that commit. Use VersionStrategy.verifyOnly() (bump the version and commit before releasing) or, for cibuildwheel, VersionStrategy.fromTag().`);
    }
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
      distributions: this.distributions,
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
    const built = addDistributionJobs(this.context, this.validateJob, this.checkJobs);
    this.buildJob = built.filesJob;
    this.prepareJob = built.prepareJob;
    this.wheelsJob = built.wheelsJob;
    this.sdistJob = built.sdistJob;
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
      buildJob: built.rehearsalBuild,
      afterBuildJobs: built.rehearsalAfterBuild,
      stepEnvOverrides: built.rehearsalEnv,
      extraTools: built.rehearsalTools,
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
    for (const job of [this.prepareJob, this.wheelsJob, this.sdistJob, this.buildJob, this.attestJob, this.releaseJob]) {
      for (const step of job?.steps ?? []) {
        if (cachesIn(step.options)) {
          throw new Error(`${this.fileName}: step "${step.stepId}" of the ${job!.jobId} job uses a cache (${cacheInput(step.options)}); the jobs that build and release must never restore one (cache poisoning). Turn its cache off, or move the step to a check job.`);
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
      const pinned = new Map<string, string>();
      for (const job of this.jobs) {
        for (const step of job.steps) {
          if (!step.options.uses) continue;
          const { ref, version } = PipelineWorkflow.resolvePin(this.project, step.options.uses);
          if (version && !ref.startsWith('./')) pinned.set(ref.split('@')[0], version);
        }
      }
      this.validateJob.replaceStep('action-updates', actionUpdatesStep([...pinned].map(([n, v]) => `${n} ${v}`).sort()));
    }
    super.preSynthesize();
  }
}

/** Which input turns a step's cache on, for the error. */
function cacheInput(step: { uses?: string; with?: { [key: string]: unknown } }): string {
  const key = Object.keys(step.with ?? {}).find((k) => ['cache', 'enable-cache', 'sccache'].includes(k));
  return key ? `${key}: ${String(step.with![key])}` : (step.uses ?? '').split('@')[0];
}

/** Refuses a tag prefix that another release pipeline of the project uses, or could match. */
function checkTagPrefixIsOwn(self: PythonReleasePipeline, who: string, tagPrefix: string): void {
  // the pipelines are children of their project: no walk of the whole construct tree
  for (const other of self.project.node.children) {
    if (!(other instanceof PythonReleasePipeline) || other === self) continue;
    const theirs = other.settings.tagPrefix;
    const [shorter, longer] = theirs.length <= tagPrefix.length ? [theirs, tagPrefix] : [tagPrefix, theirs];
    if (longer.startsWith(shorter) && (longer === shorter || /^[0-9]/.test(longer.slice(shorter.length)))) {
      throw new Error(`${who}: tagPrefix "${tagPrefix}" clashes with "${theirs}" of ${other.fileName}: the two packages' tags could not be told apart. Give each package its own tagPrefix (with packageDir it defaults to "<distributionName>-v").`);
    }
  }
}
