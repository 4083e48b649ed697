/** Test files and source files the mutants name. */
export const E2E_RELEASE = 'test/e2e-release.test.ts';
export const GUARDS = 'test/e2e-release-guards.test.ts';
export const PUBLISH_VERIFY = 'test/e2e-publish-verify.test.ts';
export const ATTEST = 'test/publish-attestations.test.ts';
export const INSTALL = 'test/publish-install.test.ts';
export const DIGESTS = 'test/publish-testpypi-digests.test.ts';
export const DISTS = 'test/distribution-scripts.test.ts';
export const SCHEME = 'test/version-scheme.test.ts';
export const STRATEGY = 'test/version-strategy.test.ts';

export const RELEASE_SCRIPTS = 'src/scripts/release-scripts.ts';
export const BUILD_SCRIPTS = 'src/scripts/build-scripts.ts';
export const DIST_SCRIPTS = 'src/scripts/distribution-scripts.ts';
export const VERSION_SCRIPTS = 'src/scripts/version-scripts.ts';
export const VERIFY_SCRIPTS = 'src/scripts/publish-verify-scripts.ts';
export const INSTALL_SCRIPTS = 'src/scripts/publish-install-scripts.ts';
