import { ToolchainStep } from '../toolchains/toolchain-options';
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
   * Secret holding the App's client ID (`actions/create-github-app-token`'s `client-id`, which
   * replaces the deprecated `app-id` since v3.1.0).
   * @default "RELEASE_APP_CLIENT_ID"
   */
  readonly clientIdSecret?: string;
  /**
   * Secret holding the App's numeric id, for the deprecated `app-id` input: set it only to keep an
   * existing secret; `clientIdSecret` is then not used.
   * @default - the client ID is used
   */
  readonly appIdSecret?: string;
  /**
   * Secret holding the App's private key.
   * @default "RELEASE_APP_PRIVATE_KEY"
   */
  readonly privateKeySecret?: string;
}

/**
 * The token that pushes the release commit and tag and creates the GitHub release. It is read in
 * the release job only, which runs in the release environment and runs no project code.
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
    return new ReleaseCredentials(`\${{ secrets.${secretName} }}`, [secretName], []);
  }

  /**
   * A GitHub App installation token limited to `contents: write`, made by
   * `actions/create-github-app-token` at the start of the release job.
   */
  public static githubApp(options: GitHubAppReleaseCredentialsOptions = {}): ReleaseCredentials {
    const idInput = options.appIdSecret ? 'app-id' : 'client-id';
    const idSecret = options.appIdSecret ?? options.clientIdSecret ?? 'RELEASE_APP_CLIENT_ID';
    const privateKeySecret = options.privateKeySecret ?? 'RELEASE_APP_PRIVATE_KEY';
    checkSecret(options.appIdSecret ? 'appIdSecret' : 'clientIdSecret', idSecret);
    checkSecret('privateKeySecret', privateKeySecret);
    const step: ToolchainStep = {
      id: 'generate_token',
      step: {
        name: 'Generate the release token (GitHub App)',
        uses: ActionPins.CREATE_GITHUB_APP_TOKEN.ref,
        with: {
          [idInput]: `\${{ secrets.${idSecret} }}`,
          'private-key': `\${{ secrets.${privateKeySecret} }}`,
          'permission-contents': 'write',
        },
      },
    };
    return new ReleaseCredentials('${{ steps.generate_token.outputs.token }}', [idSecret, privateKeySecret], [step]);
  }

  /** The secrets these credentials read. */
  public readonly secrets: string[];
  /** The expression for the token, e.g. `${{ secrets.RELEASE_PAT }}`. */
  public readonly tokenExpression: string;
  private readonly steps: ToolchainStep[];

  private constructor(tokenExpression: string, secrets: string[], steps: ToolchainStep[]) {
    this.tokenExpression = tokenExpression;
    this.secrets = secrets;
    this.steps = steps;
  }

  /** Steps that obtain the token (none for a PAT), with actions pinned from our catalog. */
  public setupSteps(): ToolchainStep[] {
    return [...this.steps];
  }
}
