/**
 * The scopes a `GITHUB_TOKEN` can be granted in a job's `permissions:`.
 */
const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'security-events',
  'statuses',
];

/** Access level of a permission. */
export enum PermissionLevel {
  /** `read` */
  READ = 'read',
  /** `write` */
  WRITE = 'write',
}

/**
 * One `GITHUB_TOKEN` permission that a step or job needs.
 *
 * A job's `permissions:` is the union of what its steps need. A write permission always carries a
 * reason, and a read may; the reasons are written beside the permission as a YAML comment.
 */
export class Permission {
  /**
   * Read access to a scope, e.g. `Permission.read('contents')`.
   *
   * @param scope e.g. `contents` or `attestations`
   * @param reason why the job reads it, written as a comment in the workflow (zizmor's pedantic
   * `undocumented-permissions` audit asks for one on every scope but `contents: read`)
   * @default - no comment
   */
  public static read(scope: string, reason?: string): Permission {
    return new Permission(scope, PermissionLevel.READ, reason);
  }

  /**
   * Write access to a scope, with the reason it is needed.
   *
   * @param scope e.g. `contents` or `id-token`
   * @param reason why the job needs it; written as a comment in the workflow
   */
  public static write(scope: string, reason: string): Permission {
    return new Permission(scope, PermissionLevel.WRITE, reason);
  }

  /** `id-token: write`, for PyPI trusted publishing. */
  public static idTokenForTrustedPublishing(): Permission {
    return Permission.write('id-token', 'trusted publishing: exchange an OIDC token for a short-lived PyPI upload token');
  }

  /** The scope, e.g. `contents`. */
  public readonly scope: string;
  /** The access level. */
  public readonly level: PermissionLevel;
  /** Why the permission is needed (always given for a write). */
  public readonly reason?: string;

  private constructor(scope: string, level: PermissionLevel, reason?: string) {
    if (!SCOPES.includes(scope)) {
      throw new Error(`Permission scope "${scope}" is not a GITHUB_TOKEN scope. Use one of: ${SCOPES.join(', ')}.`);
    }
    if (level === PermissionLevel.WRITE && !reason?.trim()) {
      throw new Error(`Permission.write("${scope}") needs a reason: say why the job must write, it is written beside the permission.`);
    }
    if (reason && /[\r\n]/.test(reason)) {
      throw new Error(`Permission.${level}("${scope}"): the reason must be a single line.`);
    }
    this.scope = scope;
    this.level = level;
    this.reason = reason?.trim();
  }
}

/** What a job is granted on one scope: the strongest level asked for, and why it writes. */
export interface PermissionGrant {
  /** The scope. */
  readonly scope: string;
  /** The level. */
  readonly level: PermissionLevel;
  /** The reasons given for the scope (for writing, and for reading where given). */
  readonly reasons: string[];
}

/** Merges permissions by scope, sorted: the strongest level wins; reasons are kept. */
export function mergePermissions(permissions: Permission[]): PermissionGrant[] {
  const merged = new Map<string, { scope: string; level: PermissionLevel; reasons: string[] }>();
  for (const p of permissions) {
    const current = merged.get(p.scope) ?? { scope: p.scope, level: PermissionLevel.READ, reasons: [] };
    if (p.level === PermissionLevel.WRITE) current.level = PermissionLevel.WRITE;
    if (p.reason && !current.reasons.includes(p.reason)) current.reasons.push(p.reason);
    merged.set(p.scope, current);
  }
  // Scopes are lower-case names with hyphens: code-unit order is the alphabetical order.
  return [...merged.values()].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}
