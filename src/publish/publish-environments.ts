import { Environment } from '../workflow/environment';

/** Options of `PublishEnvironments.shared()`. */
export interface SharedPublishEnvironmentOptions {
  /**
   * Your own environment for both publishing jobs (to set reviewers, a wait timer...).
   * @default - a `pypi` environment the pipeline creates: URL `https://pypi.org/p/<dist>`, tags `<tagPrefix>*` only
   */
  readonly pypi?: Environment;
}

/** Options of `PublishEnvironments.separate()`. */
export interface SeparatePublishEnvironmentOptions {
  /**
   * Your own environment for the PyPI job.
   * @default - a `pypi` environment the pipeline creates: URL `https://pypi.org/p/<dist>`, tags `<tagPrefix>*` only
   */
  readonly pypi?: Environment;
  /**
   * Your own environment for the TestPyPI job.
   * @default - a `testpypi` environment the pipeline creates: URL `https://test.pypi.org/p/<dist>`, tags `<tagPrefix>*` only
   */
  readonly testPypi?: Environment;
}

/**
 * The GitHub deployment environments the publishing jobs run in. Trusted publishers are
 * registered with the environment name, and environment protection (reviewers, tag rules) guards
 * the upload. In a monorepo (packageDir set) the environments the pipeline creates are named
 * `pypi-<dist>` and `testpypi-<dist>`, one pair per package.
 */
export class PublishEnvironments {
  /** One `pypi` environment for the TestPyPI and the PyPI job, as in the original workflow (the default). */
  public static shared(options: SharedPublishEnvironmentOptions = {}): PublishEnvironments {
    return new PublishEnvironments('shared', options.pypi, undefined);
  }

  /** A `testpypi` environment for the TestPyPI job and a `pypi` environment for the PyPI job. */
  public static separate(options: SeparatePublishEnvironmentOptions = {}): PublishEnvironments {
    return new PublishEnvironments('separate', options.pypi, options.testPypi);
  }

  /** `shared` or `separate`. */
  public readonly kind: string;
  /** Your PyPI environment, if you gave one. */
  public readonly pypi?: Environment;
  /** Your TestPyPI environment, if you gave one. */
  public readonly testPypi?: Environment;

  private constructor(kind: string, pypi?: Environment, testPypi?: Environment) {
    this.kind = kind;
    this.pypi = pypi;
    this.testPypi = testPypi;
  }
}
