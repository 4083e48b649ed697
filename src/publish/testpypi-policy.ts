/**
 * Whether releases go through TestPyPI before PyPI, and whether prereleases go further.
 */
export class TestPypiPolicy {
  /** Every release: TestPyPI, an install test from TestPyPI, then PyPI (the default). */
  public static always(): TestPypiPolicy {
    return new TestPypiPolicy('always', true, true);
  }

  /**
   * Every release goes to TestPyPI and is install-tested; prereleases (a PEP 440 pre or dev
   * version, or a GitHub release marked prerelease) stop there, only final releases reach PyPI.
   */
  public static keepPrereleasesOnTestPypi(): TestPypiPolicy {
    return new TestPypiPolicy('keep-prereleases-on-testpypi', true, false);
  }

  /** No TestPyPI: verify, then publish to PyPI directly. */
  public static skip(): TestPypiPolicy {
    return new TestPypiPolicy('skip', false, true);
  }

  /** `always`, `keep-prereleases-on-testpypi` or `skip`. */
  public readonly kind: string;
  /** Whether releases are published to TestPyPI and install-tested from there. */
  public readonly usesTestPypi: boolean;
  /** Whether prereleases are published to PyPI. */
  public readonly prereleasesReachPypi: boolean;

  private constructor(kind: string, usesTestPypi: boolean, prereleasesReachPypi: boolean) {
    this.kind = kind;
    this.usesTestPypi = usesTestPypi;
    this.prereleasesReachPypi = prereleasesReachPypi;
  }
}
