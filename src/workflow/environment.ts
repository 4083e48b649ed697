import { Construct } from 'constructs';
import { checkPolicy, DeploymentPolicy } from './deployment-policy';
import { announceEnvironmentsOf } from './environments-registry';

export * from './deployment-policy';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[a-z0-9][a-z0-9_-]{0,254}$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const DIST_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]{0,253}[A-Za-z0-9])$/;
const WORKFLOW_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/** The most reviewers GitHub accepts on one environment. */
const MAX_REVIEWERS = 6;
/** The longest wait timer GitHub accepts, in minutes (30 days). */
const MAX_WAIT_MINUTES = 43200;

/** A PyPI trusted publisher that publishes through an environment (what to register on PyPI). */
export interface TrustedPublisher {
  /** `pypi` or `testpypi`. */
  readonly index: string;
  /** The project (distribution) name on the index. */
  readonly projectName: string;
  /** The workflow file name, e.g. `publish.yml`. */
  readonly workflowFile: string;
}

/** Options of an `Environment`. */
export interface EnvironmentOptions {
  /**
   * The environment's name on GitHub.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * A URL shown on deployments to this environment.
   * @default - none
   */
  readonly url?: string;
  /**
   * Required reviewers: GitHub logins (`octocat`) or teams (`my-org/release-managers`), at most six.
   * Any one of them can approve a deployment; they need read access to the repository.
   * @default - no reviewers
   */
  readonly reviewers?: string[];
  /**
   * Forbid whoever started the run from approving it. Needs reviewers.
   * @default - true when there are reviewers
   */
  readonly preventSelfReview?: boolean;
  /**
   * Minutes to wait before a job in this environment starts (0 to 43200).
   * @default 0
   */
  readonly waitTimerMinutes?: number;
  /**
   * Which refs may deploy. A release-triggered run has the tag as its ref, so the default admits
   * the release tags (`v*`); use `DeploymentPolicy.releaseTags('mypkg-v')` for another tag prefix.
   * @default DeploymentPolicy.releaseTags('v')
   */
  readonly deploymentPolicy?: DeploymentPolicy;
  /**
   * Names of the secrets jobs in this environment expect (never their values).
   * @default - none
   */
  readonly secrets?: string[];
  /**
   * Names of the variables jobs in this environment expect.
   * @default - none
   */
  readonly variables?: string[];
}

/**
 * A GitHub deployment environment: its name, URL and protection rules, as code.
 *
 * Jobs refer to it with `JobOptions.environment`. Creating one in a project also creates the
 * project's `EnvironmentsConfig`, which writes every environment of the project to
 * `.github/environments/` and adds the task that applies them to the repository.
 *
 * Reviewers and the wait timer can be added after creation, e.g. to the environments a pipeline
 * creates: `pipeline.pypiEnvironment.addReviewers('octocat', 'my-org/release-managers')`.
 */
export class Environment extends Construct {
  /** Returns whether `x` is an `Environment`. */
  public static isEnvironment(x: any): x is Environment {
    return x instanceof Environment;
  }

  /** The environment's name on GitHub. */
  public readonly environmentName: string;
  /** The deployment URL, if any. */
  public readonly url?: string;
  /** Which refs may deploy. */
  public readonly deploymentPolicy: DeploymentPolicy;
  private readonly reviewerNames: string[];
  private readonly selfReview?: boolean;
  private waitMinutes: number;
  private readonly secretNames: string[] = [];
  private readonly variableNames: string[] = [];
  private readonly publishers: TrustedPublisher[] = [];

  public constructor(scope: Construct, id: string, options: EnvironmentOptions = {}) {
    super(scope, id);
    const name = options.name ?? id;
    const where = `Environment "${name}"`;
    if (!ENV_NAME.test(name)) {
      throw new Error(`${where}: name must be 1-255 letters, digits, spaces, ".", "-" or "_", starting with a letter or digit.`);
    }
    const reviewers = options.reviewers ?? [];
    checkReviewers(where, 'reviewers', reviewers);
    const wait = options.waitTimerMinutes ?? 0;
    checkWait(`${where}: waitTimerMinutes`, wait);
    if (options.preventSelfReview && reviewers.length === 0) {
      throw new Error(`${where}: preventSelfReview is set but there are no reviewers, so nobody reviews at all. Add reviewers, or drop preventSelfReview.`);
    }
    const policy = options.deploymentPolicy ?? DeploymentPolicy.releaseTags();
    checkPolicy(where, policy);
    if (options.url !== undefined && !/^https:\/\/[\x21-\x7e]+$/.test(options.url)) {
      throw new Error(`${where}: url must be an https:// URL, got "${options.url}".`);
    }
    this.environmentName = name;
    this.url = options.url;
    this.reviewerNames = [...reviewers];
    this.selfReview = options.preventSelfReview;
    this.waitMinutes = wait;
    this.deploymentPolicy = policy;
    for (const n of options.secrets ?? []) this.addName(this.secretNames, 'secrets', n, true);
    for (const n of options.variables ?? []) this.addName(this.variableNames, 'variables', n, true);
    announceEnvironmentsOf(this);
  }

  /** Required reviewers, logins and `org/team` slugs. */
  public get reviewers(): string[] {
    return [...this.reviewerNames];
  }

  /** Whether self-review is forbidden: as set, or else true when there are reviewers. */
  public get preventSelfReview(): boolean {
    return this.selfReview ?? this.reviewerNames.length > 0;
  }

  /** Wait timer, in minutes. */
  public get waitTimerMinutes(): number {
    return this.waitMinutes;
  }

  /**
   * Adds required reviewers: GitHub logins (`octocat`) or teams (`my-org/release-managers`), at
   * most six in all. Unless `preventSelfReview` was set to false, whoever started a run cannot
   * approve it.
   */
  public addReviewers(...reviewers: string[]): void {
    checkReviewers(`Environment "${this.environmentName}"`, 'addReviewers', [...this.reviewerNames, ...reviewers], this.reviewerNames.length);
    this.reviewerNames.push(...reviewers);
  }

  /**
   * Gives the environment a wait timer: the minutes to wait before a job in it starts (0 to
   * 43200), replacing the one it had. (Not `setWaitTimer`: jsii reserves `set...` for Java.)
   */
  public addWaitTimer(minutes: number): void {
    checkWait(`Environment "${this.environmentName}": addWaitTimer`, minutes);
    this.waitMinutes = minutes;
  }

  /** Names of the secrets jobs in this environment expect. */
  public get secrets(): string[] {
    return [...this.secretNames];
  }

  /** Names of the variables jobs in this environment expect. */
  public get variables(): string[] {
    return [...this.variableNames];
  }

  /** The trusted publishers that publish through this environment. */
  public get trustedPublishers(): TrustedPublisher[] {
    return [...this.publishers];
  }

  /** Records that a workflow publishes to PyPI or TestPyPI through this environment. */
  public addTrustedPublisher(publisher: TrustedPublisher): void {
    const where = `Environment "${this.environmentName}": addTrustedPublisher`;
    if (!['pypi', 'testpypi'].includes(publisher.index)) {
      throw new Error(`${where}: index must be "pypi" or "testpypi", got "${publisher.index}".`);
    }
    if (!DIST_NAME.test(publisher.projectName ?? '')) {
      throw new Error(`${where}: projectName "${publisher.projectName}" is not a valid Python distribution name (letters, digits, ".", "_", "-").`);
    }
    if (!WORKFLOW_FILE.test(publisher.workflowFile ?? '')) {
      throw new Error(`${where}: workflowFile "${publisher.workflowFile}" must be the workflow's file name (e.g. "publish.yml"), without a directory: PyPI checks the file name only.`);
    }
    const same = (p: TrustedPublisher) =>
      p.index === publisher.index && p.projectName === publisher.projectName && p.workflowFile === publisher.workflowFile;
    if (!this.publishers.some(same)) {
      this.publishers.push({ index: publisher.index, projectName: publisher.projectName, workflowFile: publisher.workflowFile });
    }
  }

  /** Records that a job in this environment expects a secret (its name only). */
  public expectSecret(name: string): void {
    this.addName(this.secretNames, 'expectSecret', name, false);
  }

  /** Records that a job in this environment expects a variable (its name only). */
  public expectVariable(name: string): void {
    this.addName(this.variableNames, 'expectVariable', name, false);
  }

  private addName(list: string[], option: string, name: string, strict: boolean): void {
    if (typeof name !== 'string' || !VAR_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
      throw new Error(`Environment "${this.environmentName}": ${option} entry "${name}" is not a valid name. Use letters, digits and "_", not starting with a digit or with GITHUB_.`);
    }
    // GitHub treats secret and variable names case-insensitively.
    if (list.some((n) => n.toUpperCase() === name.toUpperCase())) {
      if (strict) throw new Error(`Environment "${this.environmentName}": ${option} lists "${name}" twice (names are not case-sensitive).`);
      return;
    }
    list.push(name);
  }
}

function checkWait(where: string, wait: number): void {
  if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_MINUTES) {
    throw new Error(`${where} must be a whole number from 0 to ${MAX_WAIT_MINUTES} (30 days), got ${wait}.`);
  }
}

/**
 * `option` is `reviewers` (the constructor's) or `addReviewers`; the entries before `from` were
 * checked already.
 */
function checkReviewers(where: string, option: string, reviewers: string[], from: number = 0): void {
  if (reviewers.length > MAX_REVIEWERS) {
    const what = from === 0 ? `${option} lists ${reviewers.length} reviewers` : `${option} would make ${reviewers.length} reviewers (${from} already)`;
    throw new Error(`${where}: ${what}; GitHub allows at most ${MAX_REVIEWERS}. Use a team ("my-org/team-slug") to cover more people.`);
  }
  const seen: string[] = [];
  reviewers.forEach((r, i) => {
    if (i >= from) checkReviewer(`${where}: ${option}`, r);
    if (seen.includes(r.toLowerCase())) {
      throw new Error(`${where}: ${option} lists "${r}" twice${i >= from && from > 0 ? ' (it is a reviewer already)' : ''}.`);
    }
    seen.push(r.toLowerCase());
  });
}

function checkReviewer(where: string, r: string): void {
  if (typeof r !== 'string') throw new Error(`${where} entries must be strings.`);
  if (r.startsWith('@')) {
    throw new Error(`${where} entry "${r}": write it without the "@" ("${r.slice(1)}").`);
  }
  if (r.includes('/')) {
    const [org, slug, ...rest] = r.split('/');
    if (rest.length || !LOGIN.test(org) || !TEAM_SLUG.test(slug)) {
      throw new Error(`${where} entry "${r}" is not a valid team. Write a team as "org/team-slug": the organization's login, "/", and the team's slug as in its URL (lower case letters, digits, "-", "_").`);
    }
  } else if (!LOGIN.test(r)) {
    throw new Error(`${where} entry "${r}" is not a valid GitHub login (letters, digits and single "-", at most 39). Teams are written "org/team-slug".`);
  }
}
