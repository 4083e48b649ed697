import { github } from 'projen';
import { ToolchainStep } from '../toolchains/python-toolchain';
import { ActionPins } from '../workflow/action-pin';

const SECRET = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkSecret(option: string, name: string): void {
  if (!SECRET.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
    throw new Error(`ReleaseCredentials: ${option} "${name}" is not a valid secret name (letters, digits and "_", not starting with a digit or GITHUB_).`);
  }
}

/** Options of `ReleaseCredentials.githubApp()`. */
export interface GitHubAppReleaseCredentialsOptions {
  /**
   * Secret holding the App id.
   * @default "RELEASE_APP_ID"
   */
  readonly appIdSecret?: string;
  /**
   * Secret holding the App's private key.
   * @default "RELEASE_APP_PRIVATE_KEY"
   */
  readonly privateKeySecret?: string;
}

/**
 * The token that pushes the release commit and tag and creates the GitHub release.
 *
 * It cannot be the workflow's `GITHUB_TOKEN`: a release created with it starts no other workflow,
 * so `publish.yml` would never run. Use a personal access token or a GitHub App whose owner may
 * push to the protected release branch.
 */
export class ReleaseCredentials {
  /**
   * A personal access token (fine-grained: Contents read/write on the repository) in a secret.
   * @param secretName @default "RELEASE_PAT"
   */
  public static personalAccessToken(secretName: string = 'RELEASE_PAT'): ReleaseCredentials {
    checkSecret('secretName', secretName);
    const creds = github.GithubCredentials.fromPersonalAccessToken({ secret: secretName });
    return new ReleaseCredentials(creds, [secretName]);
  }

  /** A GitHub App installation token limited to `contents: write`, made at the start of the job. */
  public static githubApp(options: GitHubAppReleaseCredentialsOptions = {}): ReleaseCredentials {
    const appIdSecret = options.appIdSecret ?? 'RELEASE_APP_ID';
    const privateKeySecret = options.privateKeySecret ?? 'RELEASE_APP_PRIVATE_KEY';
    checkSecret('appIdSecret', appIdSecret);
    checkSecret('privateKeySecret', privateKeySecret);
    const creds = github.GithubCredentials.fromApp({
      appIdSecret,
      privateKeySecret,
      permissions: { contents: github.workflows.AppPermission.WRITE },
    });
    return new ReleaseCredentials(creds, [appIdSecret, privateKeySecret]);
  }

  /** The secrets these credentials read. */
  public readonly secrets: string[];
  private readonly credentials: github.GithubCredentials;

  private constructor(credentials: github.GithubCredentials, secrets: string[]) {
    this.credentials = credentials;
    this.secrets = secrets;
  }

  /** The expression for the token, e.g. `${{ secrets.RELEASE_PAT }}`. */
  public get tokenExpression(): string {
    return this.credentials.tokenRef;
  }

  /** Steps that obtain the token (none for a PAT), with actions pinned from our catalog. */
  public setupSteps(): ToolchainStep[] {
    return this.credentials.setupSteps.map((s) => ({
      id: s.id!,
      step: {
        name: s.name ?? 'Generate token',
        uses: s.uses?.startsWith(`${ActionPins.CREATE_GITHUB_APP_TOKEN.name}@`) ? ActionPins.CREATE_GITHUB_APP_TOKEN.ref : s.uses,
        with: s.with,
      },
    }));
  }
}
