import { Construct } from 'constructs';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/([a-z0-9][a-z0-9_-]*)$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Which refs may deploy to an environment. */
export class DeploymentPolicy {
  /** Only tags matching these patterns (fnmatch, e.g. `v*`): a release-triggered run has the tag as its ref. */
  public static tags(...patterns: string[]): DeploymentPolicy {
    return new DeploymentPolicy('custom', patterns.map((name) => ({ name, type: 'tag' as const })));
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
   * @default - no reviewers
   */
  readonly reviewers?: string[];
  /**
   * Forbid whoever started the run from approving it.
   * @default - true when there are reviewers
   */
  readonly preventSelfReview?: boolean;
  /**
   * Minutes to wait before a job in this environment starts (0 to 43200).
   * @default 0
   */
  readonly waitTimerMinutes?: number;
  /**
   * Which refs may deploy.
   * @default DeploymentPolicy.anyRef()
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
 * Jobs refer to it with `JobOptions.environment`; `EnvironmentsConfig` writes every environment
 * of a project to a file and applies it to the repository.
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
  private readonly secretNames: string[];
  private readonly variableNames: string[];
  private readonly publishers: TrustedPublisher[] = [];

  public constructor(scope: Construct, id: string, options: EnvironmentOptions = {}) {
    super(scope, id);
    const name = options.name ?? id;
    const where = `Environment "${name}"`;
    if (!ENV_NAME.test(name)) {
      throw new Error(`${where}: name must be 1-255 letters, digits, spaces, ".", "-" or "_".`);
    }
    const reviewers = options.reviewers ?? [];
    if (reviewers.length > 6) {
      throw new Error(`${where}: reviewers lists ${reviewers.length} reviewers; GitHub allows at most 6. Use a team ("org/team-slug") to cover more people.`);
    }
    for (const r of reviewers) {
      if (!LOGIN.test(r) && !TEAM.test(r)) {
        throw new Error(`${where}: reviewer "${r}" is neither a GitHub login ("octocat") nor a team ("my-org/team-slug", slug in lower case).`);
      }
    }
    if (new Set(reviewers.map((r) => r.toLowerCase())).size !== reviewers.length) {
      throw new Error(`${where}: reviewers lists someone twice.`);
    }
    const wait = options.waitTimerMinutes ?? 0;
    if (!Number.isInteger(wait) || wait < 0 || wait > 43200) {
      throw new Error(`${where}: waitTimerMinutes must be a whole number from 0 to 43200, got ${wait}.`);
    }
    const policy = options.deploymentPolicy ?? DeploymentPolicy.anyRef();
    if (policy.kind === 'custom') {
      if (policy.rules.length === 0) {
        throw new Error(`${where}: deploymentPolicy names no tag or branch pattern; give at least one, or use DeploymentPolicy.anyRef().`);
      }
      for (const rule of policy.rules) {
        if (!rule.name.trim() || /\s/.test(rule.name)) {
          throw new Error(`${where}: deploymentPolicy ${rule.type} pattern "${rule.name}" is empty or has white space.`);
        }
      }
    }
    for (const [option, names] of [['secrets', options.secrets], ['variables', options.variables]] as const) {
      for (const n of names ?? []) {
        if (!SECRET_NAME.test(n) || n.toUpperCase().startsWith('GITHUB_')) {
          throw new Error(`${where}: ${option} entry "${n}" is not a valid name (letters, digits and "_", not starting with a digit or GITHUB_).`);
        }
      }
    }
    if (options.url !== undefined && !/^https:\/\/\S+$/.test(options.url)) {
      throw new Error(`${where}: url must be an https:// URL, got "${options.url}".`);
    }
    this.environmentName = name;
    this.url = options.url;
    this.reviewers = [...reviewers];
    this.preventSelfReview = options.preventSelfReview ?? reviewers.length > 0;
    this.waitTimerMinutes = wait;
    this.deploymentPolicy = policy;
    this.secretNames = [...(options.secrets ?? [])];
    this.variableNames = [...(options.variables ?? [])];
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
    if (!['pypi', 'testpypi'].includes(publisher.index)) {
      throw new Error(`Environment "${this.environmentName}": trusted publisher index must be "pypi" or "testpypi", got "${publisher.index}".`);
    }
    if (!this.publishers.some((p) => p.index === publisher.index && p.projectName === publisher.projectName && p.workflowFile === publisher.workflowFile)) {
      this.publishers.push({ ...publisher });
    }
  }

  /** Records that a job in this environment expects a secret. */
  public expectSecret(name: string): void {
    if (!SECRET_NAME.test(name)) throw new Error(`Environment "${this.environmentName}": secret name "${name}" is not valid.`);
    if (!this.secretNames.includes(name)) this.secretNames.push(name);
  }
}
