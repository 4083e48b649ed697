import { Construct } from 'constructs';
import { Project } from 'projen';
import { EnvironmentsConfig } from '../environments/environments-config';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[a-z0-9][a-z0-9_-]*$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DIST_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
const WORKFLOW_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/** The most reviewers GitHub accepts on one environment. */
const MAX_REVIEWERS = 6;
/** The longest wait timer GitHub accepts, in minutes (30 days). */
const MAX_WAIT_MINUTES = 43200;

/** Which refs may deploy to an environment. */
export class DeploymentPolicy {
  /**
   * Only tags matching these patterns (Ruby `File.fnmatch`, e.g. `v*`; `*` does not match `/`).
   * A release-triggered run has the tag as its ref, so this is what a publishing environment needs.
   */
  public static tags(...patterns: string[]): DeploymentPolicy {
    return new DeploymentPolicy('custom', patterns.map((name) => ({ name, type: 'tag' as const })));
  }

  /**
   * Only release tags: tags starting with `tagPrefix`, i.e. `DeploymentPolicy.tags(tagPrefix + '*')`.
   * @param tagPrefix the release tag prefix, e.g. `v` or `mypkg-v`; default `v`
   */
  public static releaseTags(tagPrefix: string = 'v'): DeploymentPolicy {
    return DeploymentPolicy.tags(`${tagPrefix}*`);
  }

  /** Only branches matching these patterns. */
  public static branches(...patterns: string[]): DeploymentPolicy {
    return new DeploymentPolicy('custom', patterns.map((name) => ({ name, type: 'branch' as const })));
  }

  /** Only protected branches. */
  public static protectedBranches(): DeploymentPolicy {
    return new DeploymentPolicy('protected', []);
  }

  /** Any ref (no deployment branch policy). */
  public static anyRef(): DeploymentPolicy {
    return new DeploymentPolicy('any', []);
  }

  /** `any`, `protected` or `custom`. */
  public readonly kind: string;
  /** The custom rules, `{name, type}`. */
  public readonly rules: DeploymentRule[];

  private constructor(kind: string, rules: DeploymentRule[]) {
    this.kind = kind;
    this.rules = rules;
  }

  /** Combines the rules of two custom policies. */
  public and(other: DeploymentPolicy): DeploymentPolicy {
    if (this.kind !== 'custom' || other.kind !== 'custom') {
      throw new Error('DeploymentPolicy.and() combines tag and branch patterns only.');
    }
    return new DeploymentPolicy('custom', [...this.rules, ...other.rules]);
  }
}

/** One deployment branch or tag policy. */
export interface DeploymentRule {
  /** The fnmatch pattern, e.g. `v*`. */
  readonly name: string;
  /** `tag` or `branch`. */
  readonly type: string;
}

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
  /** Required reviewers, logins and `org/team` slugs. */
  public readonly reviewers: string[];
  /** Whether self-review is forbidden. */
  public readonly preventSelfReview: boolean;
  /** Wait timer, in minutes. */
  public readonly waitTimerMinutes: number;
  /** Which refs may deploy. */
  public readonly deploymentPolicy: DeploymentPolicy;
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
    checkReviewers(where, reviewers);
    const wait = options.waitTimerMinutes ?? 0;
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_MINUTES) {
      throw new Error(`${where}: waitTimerMinutes must be a whole number from 0 to ${MAX_WAIT_MINUTES} (30 days), got ${wait}.`);
    }
    if (options.preventSelfReview && reviewers.length === 0) {
      throw new Error(`${where}: preventSelfReview is set but there are no reviewers, so nobody reviews at all. Add reviewers, or drop preventSelfReview.`);
    }
    const policy = options.deploymentPolicy ?? DeploymentPolicy.releaseTags();
    checkPolicy(where, policy);
    if (options.url !== undefined && !/^https:\/\/\S+$/.test(options.url)) {
      throw new Error(`${where}: url must be an https:// URL, got "${options.url}".`);
    }
    this.environmentName = name;
    this.url = options.url;
    this.reviewers = [...reviewers];
    this.preventSelfReview = options.preventSelfReview ?? reviewers.length > 0;
    this.waitTimerMinutes = wait;
    this.deploymentPolicy = policy;
    for (const n of options.secrets ?? []) this.addName(this.secretNames, 'secrets', n, true);
    for (const n of options.variables ?? []) this.addName(this.variableNames, 'variables', n, true);

    const project = this.node.scopes.find(Project.isProject) as Project | undefined;
    if (project) EnvironmentsConfig.of(project);
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

function checkReviewers(where: string, reviewers: string[]): void {
  if (reviewers.length > MAX_REVIEWERS) {
    throw new Error(`${where}: reviewers lists ${reviewers.length} reviewers; GitHub allows at most ${MAX_REVIEWERS}. Use a team ("my-org/team-slug") to cover more people.`);
  }
  const seen: string[] = [];
  for (const r of reviewers) {
    if (typeof r !== 'string') throw new Error(`${where}: reviewers entries must be strings.`);
    if (r.startsWith('@')) {
      throw new Error(`${where}: reviewers entry "${r}": write it without the "@" ("${r.slice(1)}").`);
    }
    if (r.includes('/')) {
      const [org, slug, ...rest] = r.split('/');
      if (rest.length || !LOGIN.test(org) || !TEAM_SLUG.test(slug)) {
        throw new Error(`${where}: reviewers entry "${r}" is not a valid team. Write a team as "org/team-slug": the organization's login, "/", and the team's slug as in its URL (lower case letters, digits, "-", "_").`);
      }
    } else if (!LOGIN.test(r)) {
      throw new Error(`${where}: reviewers entry "${r}" is not a valid GitHub login (letters, digits and single "-", at most 39). Teams are written "org/team-slug".`);
    }
    if (seen.includes(r.toLowerCase())) throw new Error(`${where}: reviewers lists "${r}" twice.`);
    seen.push(r.toLowerCase());
  }
}

function checkPolicy(where: string, policy: DeploymentPolicy): void {
  if (!['any', 'protected', 'custom'].includes(policy.kind)) {
    throw new Error(`${where}: deploymentPolicy must come from DeploymentPolicy.tags(), branches(), protectedBranches() or anyRef().`);
  }
  if (policy.kind !== 'custom') return;
  if (policy.rules.length === 0) {
    throw new Error(`${where}: deploymentPolicy names no tag or branch pattern; give at least one (e.g. DeploymentPolicy.tags("v*")), or use DeploymentPolicy.anyRef().`);
  }
  const seen: string[] = [];
  for (const rule of policy.rules) {
    const name = rule.name;
    if (typeof name !== 'string' || !name.trim() || /\s/.test(name) || name.length > 255) {
      throw new Error(`${where}: deploymentPolicy ${rule.type} pattern "${name}" is empty, has white space or is longer than 255 characters. Give a pattern such as "v*".`);
    }
    if (name.startsWith('refs/')) {
      throw new Error(`${where}: deploymentPolicy ${rule.type} pattern "${name}" starts with "refs/"; GitHub matches the short name. Write "${name.replace(/^refs\/(tags|heads)\//, '')}".`);
    }
    const key = `${rule.type}:${name}`;
    if (seen.includes(key)) throw new Error(`${where}: deploymentPolicy lists ${rule.type} pattern "${name}" twice.`);
    seen.push(key);
  }
}
