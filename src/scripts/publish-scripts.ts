/**
 * The shell that runs at publish time (publish.yml, and the `publish:manual` task, which runs the
 * same steps), in the style of release-scripts.ts: strict bash, inputs from environment variables
 * only (never `${{ }}`), rendered as-is into the workflow, linted with shellcheck and executed in
 * tests. One file per job:
 * - publish-verify-scripts.ts: the tag, the release's files, attestations, checksums, the name;
 * - publish-install-scripts.ts: TestPyPI's digests, the install test and the smoke test;
 * - publish-summary-script.ts: the job summary.
 *
 * publish.yml also runs `VALIDATE_VERSION` (version-scripts.ts), `VERIFY_DISTRIBUTIONS`,
 * `VERIFY_CHECKSUMS` and `INSTALL_RELEASE_TOOLS` (distribution-scripts.ts), so that release and
 * publish agree on versions and checks.
 */

export * from './publish-verify-scripts';
export * from './publish-install-scripts';
export * from './publish-summary-script';
