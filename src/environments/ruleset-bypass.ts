const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const APP_SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,99}$/;
const TEAM = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[a-z0-9][a-z0-9_-]{0,254}$/;
const ROLES = ['admin', 'maintain', 'write'];

/**
 * Who may bypass a repository ruleset (GitHub's `bypass_actors`, `bypass_mode: always`). For the
 * release rulesets this is the release identity: the user who owns the release personal access
 * token, or the release GitHub App. The apply script turns logins and slugs into ids.
 */
export class RulesetBypass {
  /**
   * A user, by login: for `ReleaseCredentials.personalAccessToken()`, the account that owns the
   * token (a machine user such as `acme-release-bot` is best).
   */
  public static user(login: string): RulesetBypass {
    if (typeof login !== 'string' || !LOGIN.test(login)) {
      throw new Error(`RulesetBypass.user: "${login}" is not a valid GitHub login (letters, digits and single "-", at most 39, no "@").`);
    }
    return new RulesetBypass('User', login);
  }

  /**
   * A GitHub App, by its slug (the name in `https://github.com/apps/<slug>`): for
   * `ReleaseCredentials.githubApp()`. The App must be installed on the repository.
   */
  public static githubApp(slug: string): RulesetBypass {
    if (typeof slug !== 'string' || !APP_SLUG.test(slug)) {
      throw new Error(`RulesetBypass.githubApp: "${slug}" is not a GitHub App slug (lower case letters, digits and single "-", as in https://github.com/apps/<slug>).`);
    }
    return new RulesetBypass('Integration', slug);
  }

  /** A team of the repository's organization, written `org/team-slug`. */
  public static team(team: string): RulesetBypass {
    if (typeof team !== 'string' || !TEAM.test(team)) {
      throw new Error(`RulesetBypass.team: "${team}" is not a team; write "org/team-slug" (the team's slug as in its URL).`);
    }
    return new RulesetBypass('Team', team);
  }

  /** Everyone with a repository role: `admin`, `maintain` or `write`. */
  public static repositoryRole(role: string): RulesetBypass {
    if (!ROLES.includes(role)) {
      throw new Error(`RulesetBypass.repositoryRole: "${role}" is not one of ${ROLES.join(', ')}.`);
    }
    return new RulesetBypass('RepositoryRole', role);
  }

  /** The owners of the repository's organization (not for personal repositories). */
  public static organizationAdmins(): RulesetBypass {
    return new RulesetBypass('OrganizationAdmin', undefined);
  }

  /** GitHub's `actor_type`: `User`, `Integration`, `Team`, `RepositoryRole` or `OrganizationAdmin`. */
  public readonly actorType: string;
  /** The login, App slug, `org/team-slug` or role; none for organization admins. */
  public readonly actorName?: string;

  private constructor(actorType: string, actorName: string | undefined) {
    this.actorType = actorType;
    this.actorName = actorName;
  }

  /** How it is shown in messages, e.g. `User octocat`. */
  public toString(): string {
    return this.actorName === undefined ? this.actorType : `${this.actorType} ${this.actorName}`;
  }
}
