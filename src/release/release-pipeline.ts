import { Project } from 'projen';
import { ChangelogConfig } from './changelog-config';
import { TOOLS } from '../catalog/catalog';
import { ReleaseCredentials } from './release-credentials';
import { ReleaseSettings, releaseSettings } from './release-settings';
import { VersionScheme } from './version-scheme';
import { VersionStrategy } from './version-strategy';
import { ReleaseRehearsal, ReleaseRehearsalOptions } from '../rehearsal/release-rehearsal';
import * as scripts from '../scripts/release-scripts';
import { PythonToolchain, QualityCheck } from '../toolchains/python-toolchain';
import { cachesIn, checkoutStep, inPackage, uploadArtifactStep } from '../workflow/common-steps';
import { DeploymentPolicy, Environment } from '../workflow/environment';
import { Job } from '../workflow/job';
import { Permission } from '../workflow/permission';
import { PipelineWorkflow } from '../workflow/pipeline-workflow';

/** Versions of the tools the release job installs with pipx. */
export interface ReleaseToolVersions {
  /**
   * twine, for `twine check --strict` (>= 7.0 reads Metadata 2.5).
   * @default "7.0.0"
   */
  readonly twine?: string;
  /**
   * git-cliff, for the changelog.
   * @default "2.14.2"
   */
  readonly gitCliff?: string;
}

/** Changelog options. */
export interface ChangelogOptions {
  /**
   * The changelog file, relative to the package directory.
   * @default "CHANGELOG.md"
   */
  readonly file?: string;
  /**
   * A git-cliff config of your own, relative to the project root.
   * @default - `cliff.toml` in the package directory, generated for conventional commits unless you already have one there
   */
  readonly configFile?: string;
}

/** Options of `PythonReleasePipeline`. */
export interface PythonReleasePipelineOptions {
  /**
   * The local rehearsal task (`npx projen release:rehearse --version 1.2.0`) that runs this
   * workflow's release scripts in a throwaway clone: its task name and script path.
   * @default - task "release:rehearse" running ".projen/release-rehearsal.cjs" ("release:rehearse:<distributionName>" in a monorepo)
   */
  readonly rehearsal?: ReleaseRehearsalOptions;
  /**
   * How the project is set up, checked, tested and built.
   * @default PythonToolchain.pixi()
   */
  readonly toolchain?: PythonToolchain;
  /**
   * Which version strings are accepted.
   * @default VersionScheme.pep440()
   */
  readonly versionScheme?: VersionScheme;
  /**
   * Where the version lives.
   * @default VersionStrategy.pyproject()
   */
  readonly versionStrategy?: VersionStrategy;
  /**
   * The distribution name on PyPI (used by `VersionStrategy.fromTag()`, and in monorepos for the
   * tag prefix and the workflow's file name).
   * @default - `[project].name` of the package's pyproject.toml when it has one; otherwise the
   * projen project's name, or in a monorepo the last part of packageDir
   */
  readonly distributionName?: string;
  /**
   * Directory of the Python package inside the repository (monorepos): every command runs
   * there, the distributions are built there, and its CHANGELOG.md and cliff.toml live there.
   * @default "."
   */
  readonly packageDir?: string;
  /**
   * Prefix of the release tag: tag = prefix + version (`v1.2.0`, `mypkg-v1.2.0`). Two pipelines
   * of one project need distinct prefixes.
   * @default "v", or "<distributionName>-v" when packageDir is set
   */
  readonly tagPrefix?: string;
  /**
   * The branch releases are made from and pushed to.
   * @default "main"
   */
  readonly releaseBranch?: string;
  /**
   * The token that pushes and creates the release (not `GITHUB_TOKEN`, see `ReleaseCredentials`).
   * @default ReleaseCredentials.personalAccessToken("RELEASE_PAT")
   */
  readonly credentials?: ReleaseCredentials;
  /**
   * The deployment environment of the release job. Store the credentials' secrets there (not at
   * repository level): only runs the environment admits can read them.
   * @default - an environment "release" (in a monorepo "release-<distributionName>") that admits
   * the release branch only and expects the credentials' secrets
   */
  readonly environment?: Environment;
  /**
   * Changelog file and git-cliff config.
   * @default - CHANGELOG.md and a generated cliff.toml
   */
  readonly changelog?: ChangelogOptions;
  /**
   * The coverage report the test command writes, relative to the package directory; uploaded as
   * an artifact.
   * @default "coverage.xml"
   */
  readonly coverageReport?: string;
  /**
   * Python versions to run the tests on (a matrix, e.g. `["3.11", "3.12", "3.13"]`); the
   * coverage report is uploaded from the first. Not for pixi or custom toolchains.
   * @default - one test job, on the toolchain's Python
   */
  readonly pythonVersions?: string[];
  /**
   * The workflow's name.
   * @default "Release", or "Release <distributionName>" when packageDir is set
   */
  readonly workflowName?: string;
  /**
   * The workflow file under .github/workflows/.
   * @default "release.yml", or "release-<distributionName>.yml" when packageDir is set
   */
  readonly fileName?: string;
  /**
   * Runner labels for every job.
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];
  /**
   * Author of the release commit.
   * @default github-actions[bot]
   */
  readonly gitIdentity?: GitIdentity;
  /**
   * Versions of twine and git-cliff.
   * @default - twine 7.0.0, git-cliff 2.14.2
   */
  readonly releaseTools?: ReleaseToolVersions;
}

/** Name and email of a git author. */
export interface GitIdentity {
  /** Name. */
  readonly name: string;
  /** Email. */
  readonly email: string;
}

const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]+$/;
const PYTHON_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

const CHECK_NAMES: Record<string, [string, string]> = {
  [QualityCheck.LINT]: ['lint', 'Lint'],
  [QualityCheck.TYPE_CHECK]: ['type-check', 'Type check'],
  [QualityCheck.SECURITY_CHECK]: ['security-check', 'Security check'],
  [QualityCheck.TEST]: ['test', 'Test'],
};

/**
 * `.github/workflows/release.yml`: run by hand with a version. Validates it, runs the quality
 * checks and the tests in parallel, then one release job sets the version, updates the changelog,
 * commits, builds the wheel and sdist once, verifies them, writes SHA256SUMS, pushes commit and
 * tag atomically and creates the GitHub release with the files attached, which starts
 * `publish.yml`.
 *
 * Jobs: `validate`, one per quality check (`lint`, `type-check`, `security-check`, `test`),
 * `release`. Find them with `findJob()` and their steps with `findStep()` to extend them.
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
  /** The first job: validates the version and the tag. */
  public readonly validateJob: Job;
  /** The quality-check and test jobs. */
  public readonly checkJobs: Job[];
  /** The job that makes the release. */
  public readonly releaseJob: Job;
  /** The environment of the release job, which holds the release credentials. */
  public readonly releaseEnvironment: Environment;
  /** The local rehearsal of this release (`npx projen release:rehearse --version X`). */
  public readonly rehearsal: ReleaseRehearsal;

  /** The options, with the release branch resolved (for subclasses). */
  protected readonly options: PythonReleasePipelineOptions;
  /** Which version strings are accepted and how they map to the package version. */
  protected readonly versionScheme: VersionScheme;
  /** Where the version lives. */
  protected readonly versionStrategy: VersionStrategy;

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
    if (options.pythonVersions && options.pythonVersions.length === 0) {
      throw new Error(`${who}: pythonVersions is empty; list at least one version or leave it out.`);
    }
    for (const v of options.pythonVersions ?? []) {
      if (!PYTHON_VERSION.test(v)) {
        throw new Error(`${who}: pythonVersions entry "${v}" is not a Python version such as "3.12" or "pypy3.10".`);
      }
    }
    this.options = { ...options, releaseBranch: branch };
    this.settings = settings;
    this.toolchain = options.toolchain ?? PythonToolchain.pixi();
    if (options.pythonVersions && !this.toolchain.checks.includes(QualityCheck.TEST)) {
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
    this.versionScheme = options.versionScheme ?? VersionScheme.pep440();
    this.versionStrategy = options.versionStrategy ?? VersionStrategy.pyproject();
    this.credentials = options.credentials ?? ReleaseCredentials.personalAccessToken();
    this.changelogConfig = new ChangelogConfig(this, 'Changelog', {
      configPath: options.changelog?.configFile ?? inPackage(settings.packageDir, 'cliff.toml'),
      tagPrefix: settings.tagPrefix,
    });

    this.workflow.on({
      workflowDispatch: {
        inputs: {
          version: { description: 'Version to release, e.g. 1.2.0', required: true, type: 'string' },
          prerelease: { description: 'Mark the GitHub release as a prerelease', required: false, type: 'boolean', default: false as any },
          force_recreate: { description: 'Delete an existing release and tag of this version first (never an immutable release)', required: false, type: 'boolean', default: false as any },
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
    this.releaseJob = this.createReleaseJob();
    this.rehearsal = new ReleaseRehearsal(this, options.rehearsal);
  }

  /** `${{ needs.validate.outputs.<name> }}` */
  protected validated(name: 'version' | 'tag' | 'prerelease'): string {
    return this.validateJob.outputExpression(name);
  }

  /** The `validate` job: branch, version format and tag availability, before anything else. */
  protected createValidateJob(): Job {
    const job = this.addJob('validate', {
      name: 'Validate the version',
      runsOn: this.options.runsOn,
      timeoutMinutes: 5,
      outputs: {
        version: { stepId: 'version', outputName: 'version' },
        tag: { stepId: 'version', outputName: 'tag' },
        prerelease: { stepId: 'version', outputName: 'prerelease' },
      },
    });
    job.addStep('branch', {
      name: 'Check the branch',
      run: scripts.CHECK_BRANCH,
      env: { RELEASE_BRANCH: this.options.releaseBranch! },
    });
    job.addStep('version', {
      name: 'Check the version',
      run: scripts.VALIDATE_VERSION,
      env: {
        VERSION_INPUT: '${{ inputs.version }}',
        PRERELEASE_INPUT: '${{ inputs.prerelease }}',
        VERSION_SCHEME: this.versionScheme.kind,
        ALLOW_V_PREFIX: String(this.versionScheme.allowVPrefix),
        TAG_PREFIX: this.settings.tagPrefix,
      },
    });
    job.addStep('tag-available', {
      name: 'Check that the tag is free',
      run: scripts.CHECK_TAG_AVAILABLE,
      env: {
        GH_TOKEN: '${{ github.token }}',
        TAG: '${{ steps.version.outputs.tag }}',
        FORCE_RECREATE: '${{ inputs.force_recreate }}',
      },
      permissions: [Permission.read('contents')],
    });
    const committed = this.versionStrategy.validateStep();
    if (committed) {
      job.addStep('checkout', checkoutStep());
      job.addStep('committed-version', {
        ...committed,
        workingDirectory: this.packageWorkingDirectory,
        env: { ...committed.env, VERSION: '${{ steps.version.outputs.version }}' },
      });
    }
    return job;
  }

  /** One job per quality check, in parallel, read-only; setup may cache here. */
  protected createCheckJobs(): Job[] {
    return this.toolchain.checks.map((check) => {
      const [id, name] = CHECK_NAMES[check];
      const matrix = check === QualityCheck.TEST && this.options.pythonVersions;
      const job = this.addJob(id, {
        name: matrix ? `${name} (Python \${{ matrix.python }})` : name,
        needs: [this.validateJob],
        runsOn: this.options.runsOn,
        workingDirectory: this.packageWorkingDirectory,
        strategy: matrix ? { failFast: false, matrix: { domain: { python: matrix } } } : undefined,
      });
      job.addStep('checkout', checkoutStep());
      this.addToolchainSetup(job, true, matrix ? '${{ matrix.python }}' : undefined);
      job.addStep(id, { name, run: this.toolchain.command(check)! });
      if (check === QualityCheck.TEST) {
        job.addStep('upload-coverage', {
          ...uploadArtifactStep(
            'coverage-report',
            [inPackage(this.settings.packageDir, this.options.coverageReport ?? 'coverage.xml')],
            'Upload the coverage report',
          ),
          if: matrix ? `always() && matrix.python == '${matrix[0]}'` : 'always()',
        });
      }
      return job;
    });
  }

  /** The `release` job: version, changelog, commit, build once, verify, tag, push, release. */
  protected createReleaseJob(): Job {
    const dir = this.settings.packageDir;
    const changelogFile = inPackage(dir, this.options.changelog?.file ?? 'CHANGELOG.md');
    const identity = this.options.gitIdentity ?? { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
    const tools = this.options.releaseTools ?? {};
    const job = this.addJob('release', {
      name: 'Release',
      environment: this.releaseEnvironment,
      needs: [this.validateJob, ...this.checkJobs],
      runsOn: this.options.runsOn,
      timeoutMinutes: 30,
      workingDirectory: this.packageWorkingDirectory,
      env: {
        VERSION: this.validated('version'),
        TAG: this.validated('tag'),
        GH_REPO: '${{ github.repository }}',
        DIST_DIR: 'dist',
      },
    });
    for (const { id, step } of this.credentials.setupSteps()) job.addStep(id, step);
    job.addStep('checkout', checkoutStep({ fetchDepth: 0 }));
    this.addToolchainSetup(job, false);
    job.addStep('install-release-tools', {
      name: 'Install twine and git-cliff',
      run: scripts.INSTALL_RELEASE_TOOLS,
      env: { RELEASE_TOOLS: `twine==${tools.twine ?? TOOLS.twine.version} git-cliff==${tools.gitCliff ?? TOOLS.gitCliff.version}` },
    });
    job.addStep('delete-existing-release', {
      name: 'Delete the existing release (force_recreate)',
      if: '${{ inputs.force_recreate }}',
      run: scripts.DELETE_EXISTING_RELEASE,
      env: { GH_TOKEN: this.credentials.tokenExpression },
    });
    const versionStep = this.versionStrategy.versionStep(this.toolchain);
    if (versionStep) job.addStep('set-version', versionStep);
    job.addStep('changelog', {
      name: 'Update the changelog',
      run: scripts.UPDATE_CHANGELOG,
      workingDirectory: this.repositoryRoot,
      env: {
        CHANGELOG_FILE: changelogFile,
        CLIFF_CONFIG: this.changelogConfig.configPath,
        INCLUDE_PATH: this.settings.monorepo ? `${dir}/**` : '',
        NOTES_FILE: '${{ runner.temp }}/release-notes.md',
      },
    });
    job.addStep('commit', {
      name: 'Commit the release',
      run: scripts.COMMIT_RELEASE,
      workingDirectory: this.repositoryRoot,
      env: { CHANGELOG_FILE: changelogFile, GIT_USER_NAME: identity.name, GIT_USER_EMAIL: identity.email },
    });
    job.addStep('build', {
      name: 'Build the wheel and sdist',
      run: this.toolchain.command('buildDistributions')!,
      env: this.versionStrategy.buildEnv(this.settings.distributionName, '${{ env.VERSION }}'),
    });
    job.addStep('verify', { name: 'Verify the distributions', run: scripts.VERIFY_DISTRIBUTIONS });
    job.addStep('checksums', { name: 'Write SHA256SUMS', run: scripts.WRITE_CHECKSUMS });
    job.addStep('push', {
      name: 'Tag and push (atomic)',
      run: scripts.TAG_AND_PUSH,
      env: { RELEASE_BRANCH: this.options.releaseBranch!, RELEASE_TOKEN: this.credentials.tokenExpression },
    });
    job.addStep('github-release', {
      name: 'Create the GitHub release',
      run: scripts.CREATE_RELEASE,
      env: {
        GH_TOKEN: this.credentials.tokenExpression,
        PRERELEASE: this.validated('prerelease'),
        NOTES_FILE: '${{ runner.temp }}/release-notes.md',
      },
    });
    return job;
  }

  /**
   * Adds the toolchain's setup steps to a job, and in the check jobs (`cache` true) its install
   * step: the release job only builds, and never installs the project's development dependencies.
   */
  protected addToolchainSetup(job: Job, cache: boolean, pythonVersion?: string): void {
    for (const { id, step } of this.toolchain.setupSteps(cache, pythonVersion, this.settings.packageDir)) {
      job.addStep(id, step);
    }
    const install = this.toolchain.command('install');
    if (install && cache) job.addStep('install', { name: 'Install the project', run: install });
  }

  public preSynthesize(): void {
    for (const step of this.releaseJob.steps) {
      if (cachesIn(step.options)) {
        throw new Error(`${this.fileName}: step "${step.stepId}" of the release job uses a cache; the job that builds and publishes the release must never restore one (cache poisoning). Turn its cache off, or move the step to a check job.`);
      }
    }
    super.preSynthesize();
  }

  /** Where repository-wide steps run when the jobs start in the package directory. */
  private get repositoryRoot(): string | undefined {
    return this.settings.monorepo ? '${{ github.workspace }}' : undefined;
  }

  private get packageWorkingDirectory(): string | undefined {
    return this.settings.monorepo ? this.settings.packageDir : undefined;
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
