import { Construct } from 'constructs';
import { RulesetBypass } from './ruleset-bypass';
import { announceEnvironmentsOf } from '../workflow/environments-registry';

const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._*/()-]{0,99}$/;
/** The most approvals GitHub's pull_request rule accepts. */
const MAX_APPROVALS = 10;

/** Options of `RepositoryRuleset.releaseTags()`. */
export interface ReleaseTagsRulesetOptions {
  /**
   * The release identity, the only one that may create, move or delete release tags: the user
   * who owns the release token (`RulesetBypass.user('acme-release-bot')`) or the release App
   * (`RulesetBypass.githubApp('acme-release')`).
   */
  readonly releaseIdentity: RulesetBypass;
  /**
   * The release tag prefix: the ruleset covers `refs/tags/<tagPrefix>*`.
   * @default "v"
   */
  readonly tagPrefix?: string;
  /**
   * Others who may also create, move or delete release tags, e.g.
   * `RulesetBypass.repositoryRole('admin')` to repair a release by hand.
   * @default - nobody else
   */
  readonly alsoBypass?: RulesetBypass[];
  /**
   * The ruleset's name on GitHub (the apply task finds it by this name).
   * @default "release tags <tagPrefix>*"
   */
  readonly name?: string;
}

/** Options of `RepositoryRuleset.releaseBranch()`. */
export interface ReleaseBranchRulesetOptions {
  /**
   * The release identity, which pushes the release commit straight to the branch: the user who
   * owns the release token or the release App.
   */
  readonly releaseIdentity: RulesetBypass;
  /**
   * The release branch (a branch name, not `refs/heads/...`).
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Others who may also bypass the branch's rules.
   * @default - nobody else
   */
  readonly alsoBypass?: RulesetBypass[];
  /**
   * Everyone else reaches the branch through a pull request (GitHub's `pull_request` rule).
   * @default true
   */
  readonly requirePullRequest?: boolean;
  /**
   * Approving reviews a pull request needs (0 to 10). Needs `requirePullRequest`.
   * @default 0
   */
  readonly requiredApprovals?: number;
  /**
   * The ruleset's name on GitHub (the apply task finds it by this name).
   * @default "release branch <branch>"
   */
  readonly name?: string;
}

/**
 * A repository ruleset, as code, beside the deployment environments: written to
 * `.github/environments/environments.json` and created or updated (by name) by the
 * `github:environments` task. Rulesets are available on public repositories on every plan and on
 * private ones with GitHub Pro, Team or Enterprise.
 */
export class RepositoryRuleset extends Construct {
  /**
   * The release tags: only the release identity (and `alsoBypass`) may create, update or delete
   * tags `refs/tags/<tagPrefix>*`; for everyone else the tags are immutable.
   */
  public static releaseTags(scope: Construct, id: string, options: ReleaseTagsRulesetOptions): RepositoryRuleset {
    const prefix = options.tagPrefix ?? 'v';
    const where = `RepositoryRuleset.releaseTags (${scope.node.path || 'root'}/${id})`;
    if (typeof prefix !== 'string' || prefix.startsWith('refs/') || !TAG_PREFIX.test(prefix)) {
      throw new Error(`${where}: tagPrefix "${prefix}" must be the tag's prefix without "refs/tags/", made of letters, digits, ".", "_", "/" or "-" (e.g. "v" or "mypkg-v").`);
    }
    return new RepositoryRuleset(scope, id, where, {
      name: options.name ?? `release tags ${prefix}*`,
      target: 'tag',
      include: [`refs/tags/${prefix}*`],
      rules: ['creation', 'update', 'deletion'],
      bypass: [options.releaseIdentity, ...(options.alsoBypass ?? [])],
    });
  }

  /**
   * The release branch: nobody may delete it or force-push to it, everyone else reaches it through
   * pull requests, and the release identity (and `alsoBypass`) may push to it directly, so that
   * the release's atomic push of commit and tag passes without opening the branch to everyone.
   */
  public static releaseBranch(scope: Construct, id: string, options: ReleaseBranchRulesetOptions): RepositoryRuleset {
    const branch = options.branch ?? 'main';
    const where = `RepositoryRuleset.releaseBranch (${scope.node.path || 'root'}/${id})`;
    if (typeof branch !== 'string' || branch.startsWith('refs/') || !BRANCH.test(branch) || branch.includes('..') || branch.endsWith('/') || branch.endsWith('.lock')) {
      throw new Error(`${where}: branch "${branch}" must be a branch name without "refs/heads/" and without wildcards (e.g. "main").`);
    }
    const pullRequest = options.requirePullRequest ?? true;
    const approvals = options.requiredApprovals ?? 0;
    if (!Number.isInteger(approvals) || approvals < 0 || approvals > MAX_APPROVALS) {
      throw new Error(`${where}: requiredApprovals must be a whole number from 0 to ${MAX_APPROVALS}, got ${approvals}.`);
    }
    if (!pullRequest && options.requiredApprovals !== undefined) {
      throw new Error(`${where}: requiredApprovals needs requirePullRequest; drop one of them.`);
    }
    return new RepositoryRuleset(scope, id, where, {
      name: options.name ?? `release branch ${branch}`,
      target: 'branch',
      include: [`refs/heads/${branch}`],
      rules: ['deletion', 'non_fast_forward', ...(pullRequest ? ['pull_request'] : [])],
      requiredApprovals: pullRequest ? approvals : undefined,
      bypass: [options.releaseIdentity, ...(options.alsoBypass ?? [])],
    });
  }

  /** Returns whether `x` is a `RepositoryRuleset`. */
  public static isRepositoryRuleset(x: any): x is RepositoryRuleset {
    return x instanceof RepositoryRuleset;
  }

  /** The ruleset's name on GitHub. */
  public readonly rulesetName: string;
  /** `tag` or `branch`. */
  public readonly target: string;
  /** The refs it covers, e.g. `refs/tags/v*`. */
  public readonly include: string[];
  /** GitHub's rule types, e.g. `creation`, `update`, `deletion`. */
  public readonly rules: string[];
  /** Approving reviews a pull request needs, when the rules include `pull_request`. */
  public readonly requiredApprovals?: number;
  /** Who may bypass the rules (the release identity first). */
  public readonly bypass: RulesetBypass[];

  private constructor(scope: Construct, id: string, where: string, spec: RulesetSpec) {
    super(scope, id);
    if (!spec.bypass[0] || !(spec.bypass[0] instanceof RulesetBypass)) {
      throw new Error(`${where}: releaseIdentity is required: RulesetBypass.user('<login of the token's owner>') or RulesetBypass.githubApp('<app slug>').`);
    }
    if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
      throw new Error(`${where}: name "${spec.name}" must be 1-100 letters, digits, spaces or ". _ * / ( ) -", starting with a letter or digit.`);
    }
    const bypass: RulesetBypass[] = [];
    for (const b of spec.bypass) {
      if (!(b instanceof RulesetBypass)) throw new Error(`${where}: alsoBypass entries must come from RulesetBypass.user(), githubApp(), team(), repositoryRole() or organizationAdmins().`);
      if (!bypass.some((c) => c.toString() === b.toString())) bypass.push(b);
    }
    this.rulesetName = spec.name;
    this.target = spec.target;
    this.include = spec.include;
    this.rules = spec.rules;
    this.requiredApprovals = spec.requiredApprovals;
    this.bypass = bypass;
    announceEnvironmentsOf(this);
  }
}

/** What the factories pass to the constructor. */
interface RulesetSpec {
  readonly name: string;
  readonly target: string;
  readonly include: string[];
  readonly rules: string[];
  readonly requiredApprovals?: number;
  readonly bypass: RulesetBypass[];
}
