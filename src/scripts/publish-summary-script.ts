/** The script of publish.yml's `summary` job. */

import { script } from './strict-script';

/**
 * Writes the outcome to the job summary: one row per stage with its result and a link (the
 * GitHub release, the version on TestPyPI and on PyPI). Stages whose `*_RESULT` is unset are not
 * in the workflow and are left out. `TAG` and `VERSION` are the verify job's outputs, empty when
 * verification failed: the tag input itself is never shown (it could hold a line break that
 * forges a workflow command). Always exits 0. Env: `DIST_NAME`, `VERSION`, `TAG`,
 * `VERIFY_RESULT`, `TESTPYPI_RESULT`, `INSTALL_RESULT`, `PYPI_RESULT`, `GITHUB_SERVER_URL`,
 * `GITHUB_REPOSITORY`, `GITHUB_STEP_SUMMARY`.
 */
export const PUBLISH_SUMMARY = script(
  'result() {',
  '  case "$1" in',
  '    success) echo "✅ success" ;;',
  '    failure) echo "❌ failure" ;;',
  '    cancelled) echo "🚫 cancelled" ;;',
  '    skipped) echo "⏭️ skipped" ;;',
  '    *) echo "$1" ;;',
  '  esac',
  '}',
  'page() { if [[ -n "$VERSION" ]]; then echo "$1/project/$DIST_NAME/$VERSION/"; else echo "$1/project/$DIST_NAME/"; fi; }',
  'if [[ -n "$TAG" ]]; then',
  '  release="[$TAG]($GITHUB_SERVER_URL/$GITHUB_REPOSITORY/releases/tag/$TAG)"',
  'else',
  '  release="(tag not verified)"',
  'fi',
  '{',
  '  echo "## Publication of $DIST_NAME ${VERSION:-(version not verified)}"',
  '  echo',
  '  echo "| Stage | Result | Link |"',
  '  echo "| --- | --- | --- |"',
  '  echo "| Verify the GitHub release | $(result "$VERIFY_RESULT") | $release |"',
  '  if [[ -n "${TESTPYPI_RESULT:-}" ]]; then',
  '    echo "| Publish to TestPyPI | $(result "$TESTPYPI_RESULT") | $(page https://test.pypi.org) |"',
  '  fi',
  '  if [[ -n "${INSTALL_RESULT:-}" ]]; then',
  '    echo "| Install from TestPyPI and smoke test | $(result "$INSTALL_RESULT") | |"',
  '  fi',
  '  echo "| Publish to PyPI | $(result "$PYPI_RESULT") | $(page https://pypi.org) |"',
  '} >> "$GITHUB_STEP_SUMMARY"',
  'cat "$GITHUB_STEP_SUMMARY"',
);
