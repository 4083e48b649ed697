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

/**
 * Refuses a policy GitHub (or the apply script, which accepts printable ASCII patterns only)
 * would refuse. `where` names the environment.
 */
export function checkPolicy(where: string, policy: DeploymentPolicy): void {
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
    if (/[^\x21-\x7e]/.test(name)) {
      throw new Error(`${where}: deploymentPolicy ${rule.type} pattern ${JSON.stringify(name)} has a character that is not printable ASCII; use letters, digits and punctuation such as "v*".`);
    }
    if (name.startsWith('refs/')) {
      throw new Error(`${where}: deploymentPolicy ${rule.type} pattern "${name}" starts with "refs/"; GitHub matches the short name. Write "${name.replace(/^refs\/(tags|heads)\//, '')}".`);
    }
    const key = `${rule.type}:${name}`;
    if (seen.includes(key)) throw new Error(`${where}: deploymentPolicy lists ${rule.type} pattern "${name}" twice.`);
    seen.push(key);
  }
}
