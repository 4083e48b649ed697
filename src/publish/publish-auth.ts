const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options of `PublishAuth.apiTokens()`. */
export interface ApiTokenOptions {
  /**
   * The secret (on the TestPyPI job's environment) holding a TestPyPI API token.
   * @default "TEST_PYPI_API_TOKEN"
   */
  readonly testPypiSecret?: string;
  /**
   * The secret (on the `pypi` environment) holding a PyPI API token.
   * @default "PYPI_API_TOKEN"
   */
  readonly pypiSecret?: string;
}

/**
 * How the publishing jobs authenticate to PyPI and TestPyPI.
 *
 * Trusted publishing (the default) needs no secret: the job exchanges a short-lived OIDC token
 * (`id-token: write`, on the two publishing jobs only) for an upload token, and the action
 * attaches PEP 740 attestations. API tokens are the fallback the original workflow used; a token
 * turns attestations off, and the publishing jobs then get no `id-token` permission at all.
 */
export class PublishAuth {
  /**
   * PyPI trusted publishing (OIDC). Register the publisher (owner, repository, workflow file,
   * environment) on PyPI and, separately, on TestPyPI; a new project needs a "pending" publisher.
   */
  public static trustedPublishing(): PublishAuth {
    return new PublishAuth('trusted-publishing');
  }

  /**
   * API tokens from environment secrets (the fallback). A token disables the PEP 740 attestations
   * that trusted publishing uploads, and a leaked token stays valid until revoked: prefer
   * `trustedPublishing()`. Set the secrets on the publishing jobs' environments
   * (`gh secret set PYPI_API_TOKEN --env pypi`).
   */
  public static apiTokens(options: ApiTokenOptions = {}): PublishAuth {
    const testPypiSecret = options.testPypiSecret ?? 'TEST_PYPI_API_TOKEN';
    const pypiSecret = options.pypiSecret ?? 'PYPI_API_TOKEN';
    for (const [option, name] of [['testPypiSecret', testPypiSecret], ['pypiSecret', pypiSecret]]) {
      if (!SECRET_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
        throw new Error(`PublishAuth.apiTokens: ${option} "${name}" is not a valid secret name. Use letters, digits and "_", not starting with a digit or GITHUB_ (e.g. "PYPI_API_TOKEN").`);
      }
    }
    return new PublishAuth('api-tokens', testPypiSecret, pypiSecret);
  }

  /** `trusted-publishing` or `api-tokens`. */
  public readonly kind: string;
  /** The TestPyPI token secret (API tokens only). */
  public readonly testPypiSecret?: string;
  /** The PyPI token secret (API tokens only). */
  public readonly pypiSecret?: string;

  private constructor(kind: string, testPypiSecret?: string, pypiSecret?: string) {
    this.kind = kind;
    this.testPypiSecret = testPypiSecret;
    this.pypiSecret = pypiSecret;
  }

  /** Whether this is trusted publishing (OIDC). */
  public get isTrustedPublishing(): boolean {
    return this.kind === 'trusted-publishing';
  }
}
