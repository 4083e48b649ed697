/**
 * The shell that runs at publish time (publish.yml), in one place, in the style of
 * release-scripts.ts: strict bash, inputs from environment variables only (never `${{ }}`),
 * rendered as-is into the workflow, linted with shellcheck and executed in tests.
 *
 * publish.yml also reuses `VALIDATE_VERSION`, `VERIFY_DISTRIBUTIONS` and `INSTALL_RELEASE_TOOLS`
 * from release-scripts.ts, so that release and publish agree on versions and checks.
 */

import { script } from './strict-script';

/** The TestPyPI simple index the install test reads from. */
export const TESTPYPI_SIMPLE_INDEX = 'https://test.pypi.org/simple/';
/** The PyPI simple index dependencies come from. */
export const PYPI_SIMPLE_INDEX = 'https://pypi.org/simple/';

/**
 * Checks the tag that started the run: it must be non-empty and carry this package's prefix, and
 * a published (non-draft) GitHub release must exist for it. Writes `version_input` (the tag
 * without its prefix, for `VALIDATE_VERSION`) and `github_prerelease` (the release's prerelease
 * flag) to `$GITHUB_OUTPUT`. Warns when a dispatched run is not on the tag, which environments
 * that admit only tags refuse. Env: `RELEASE_TAG`, `TAG_PREFIX`, `GH_TOKEN`, `GH_REPO`,
 * `WORKFLOW_FILE`, `GITHUB_EVENT_NAME`, `GITHUB_REF`.
 */
export const RESOLVE_RELEASE_TAG = script(
  'tag="$RELEASE_TAG"',
  'if [[ -z "$tag" ]]; then',
  '  echo "::error title=No tag::No release tag: run this workflow from a published release, or by hand with the tag input."',
  '  exit 1',
  'fi',
  'if [[ "$tag" != "$TAG_PREFIX"* ]]; then',
  '  echo "::error title=Wrong tag::Tag $tag does not start with $TAG_PREFIX: this workflow publishes only the releases tagged $TAG_PREFIX<version>."',
  '  exit 1',
  'fi',
  'if ! state=$(gh release view "$tag" --json isDraft,isPrerelease --jq \'"\\(.isDraft) \\(.isPrerelease)"\' 2>&1); then',
  '  echo "::error title=No release::No published GitHub release for tag $tag (drafts do not count): $state"',
  '  exit 1',
  'fi',
  'read -r draft prerelease <<< "$state"',
  'if [[ "$draft" == true ]]; then',
  '  echo "::error title=Draft release::The release $tag is a draft. Publish it; that starts this workflow."',
  '  exit 1',
  'fi',
  'if [[ "$GITHUB_EVENT_NAME" == workflow_dispatch && "$GITHUB_REF" != "refs/tags/$tag" ]]; then',
  '  echo "::warning title=Not run from the tag::This run is on $GITHUB_REF, not on refs/tags/$tag. An environment that admits only tags will refuse the publishing jobs; run it from the tag: gh workflow run $WORKFLOW_FILE --ref $tag -f tag=$tag"',
  'fi',
  '{',
  '  echo "version_input=${tag#"$TAG_PREFIX"}"',
  '  echo "github_prerelease=$prerelease"',
  '} >> "$GITHUB_OUTPUT"',
  'echo "Publishing the release $tag (GitHub prerelease: $prerelease)."',
);

/**
 * Downloads the release's wheels, sdist and `SHA256SUMS` into `$DIST_DIR` and fails, naming what
 * is missing, unless there is at least one wheel, an sdist and `SHA256SUMS`.
 * Env: `TAG`, `DIST_DIR`, `GH_TOKEN`, `GH_REPO`.
 */
export const DOWNLOAD_RELEASE_ASSETS = script(
  'mkdir -p "$DIST_DIR"',
  'if ! gh release download "$TAG" --dir "$DIST_DIR" --pattern \'*.whl\' --pattern \'*.tar.gz\' --pattern SHA256SUMS; then',
  '  echo "::error title=Download failed::Could not download the distributions of release $TAG (are the wheel, sdist and SHA256SUMS attached?)."',
  '  exit 1',
  'fi',
  'shopt -s nullglob',
  'wheels=("$DIST_DIR"/*.whl)',
  'sdists=("$DIST_DIR"/*.tar.gz)',
  'missing=()',
  'if (( ${#wheels[@]} == 0 )); then missing+=("a wheel (*.whl)"); fi',
  'if (( ${#sdists[@]} == 0 )); then missing+=("an sdist (*.tar.gz)"); fi',
  'if [[ ! -f "$DIST_DIR/SHA256SUMS" ]]; then missing+=("SHA256SUMS"); fi',
  'if (( ${#missing[@]} > 0 )); then',
  '  printf -v what \'%s, \' "${missing[@]}"',
  '  echo "::error title=Missing assets::The release $TAG lacks ${what%, }. Attach them to the release (release.yml does), then run this workflow again."',
  '  exit 1',
  'fi',
  'ls -l "$DIST_DIR"',
);

/**
 * Checks the downloaded files against `SHA256SUMS`: every listed file must match, and every
 * wheel and sdist must be listed. Env: `DIST_DIR`.
 */
export const VERIFY_CHECKSUMS = script(
  'cd "$DIST_DIR"',
  'if ! sha256sum --check --strict SHA256SUMS; then',
  '  echo "::error title=Checksum mismatch::The release assets do not match their SHA256SUMS. Do not publish them: rebuild and release a new version."',
  '  exit 1',
  'fi',
  'shopt -s nullglob',
  'for file in *.whl *.tar.gz; do',
  '  if ! awk -v f="$file" \'{ n = $2; sub(/^\\*/, "", n) } n == f { found = 1 } END { exit !found }\' SHA256SUMS; then',
  '    echo "::error title=Unlisted file::$file is attached to the release but not listed in SHA256SUMS."',
  '    exit 1',
  '  fi',
  'done',
);

/**
 * Checks that every wheel and sdist is a distribution of `$DIST_NAME` (names compared after PEP
 * 503 normalization), so that the trusted publisher and the links are the right ones.
 * Env: `DIST_DIR`, `DIST_NAME`.
 */
export const CHECK_DISTRIBUTION_NAME = script(
  'python3 - "$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz <<\'PY\'',
  'import os, re, sys',
  'def norm(name):',
  '    return re.sub(r"[-_.]+", "-", name).lower()',
  'expected, bad = norm(os.environ["DIST_NAME"]), []',
  'for path in sys.argv[1:]:',
  '    base = os.path.basename(path)',
  '    name = base.split("-")[0] if base.endswith(".whl") else base[: -len(".tar.gz")].rsplit("-", 1)[0]',
  '    if norm(name) != expected:',
  '        bad.append(f"{base} ({name})")',
  'if bad:',
  '    sys.exit(f"::error title=Wrong distribution::expected distributions of {expected}, got " + ", ".join(bad) + ". Set distributionName to the name on PyPI.")',
  'PY',
);

/**
 * Installs the just-uploaded version from TestPyPI into a fresh venv, the safe way:
 * 1. creates `$VENV_DIR` with `${PYTHON:-python3}`; pip reads no config file and no `PIP_*` index
 *    variables, so the only indexes are the ones named here;
 * 2. reads `Requires-Dist` from the verified wheel in `$DIST_DIR` and installs those requirements
 *    from PyPI (`$PYPI_INDEX_URL`) only; pip evaluates their markers (extras are left out);
 * 3. installs `$DIST_NAME==$VERSION` itself with `--no-deps --index-url $TESTPYPI_INDEX_URL`
 *    (never `--extra-index-url`: a name squatted on TestPyPI could replace a dependency), polling
 *    with a doubling delay from `$POLL_INITIAL_DELAY_SECONDS` up to `$POLL_MAX_DELAY_SECONDS`
 *    while the index lags, and failing with a clear message once `$POLL_TIMEOUT_SECONDS` would be
 *    exceeded; then `pip check`.
 * Always `--no-cache-dir`. Env: `DIST_NAME`, `VERSION`, `DIST_DIR`, `VENV_DIR`, and optionally
 * `PYTHON`, `TESTPYPI_INDEX_URL`, `PYPI_INDEX_URL` (default TestPyPI's and PyPI's simple indexes),
 * `POLL_TIMEOUT_SECONDS` (900), `POLL_INITIAL_DELAY_SECONDS` (15), `POLL_MAX_DELAY_SECONDS` (120).
 */
export const INSTALL_FROM_TESTPYPI = script(
  `testpypi="\${TESTPYPI_INDEX_URL:-${TESTPYPI_SIMPLE_INDEX}}"`,
  `pypi="\${PYPI_INDEX_URL:-${PYPI_SIMPLE_INDEX}}"`,
  'timeout="${POLL_TIMEOUT_SECONDS:-900}"',
  'delay="${POLL_INITIAL_DELAY_SECONDS:-15}"',
  'max_delay="${POLL_MAX_DELAY_SECONDS:-120}"',
  'unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_NO_INDEX',
  'export PIP_CONFIG_FILE=/dev/null',
  'shopt -s nullglob',
  'wheels=("$DIST_DIR"/*.whl)',
  'if (( ${#wheels[@]} == 0 )); then echo "::error::No wheel in $DIST_DIR to read the dependencies from."; exit 1; fi',
  '"${PYTHON:-python3}" -m venv "$VENV_DIR"',
  'py="$VENV_DIR/bin/python"',
  'pip=("$py" -m pip --disable-pip-version-check --no-input install --no-cache-dir)',
  'requirements=$(mktemp)',
  '"$py" - "${wheels[0]}" > "$requirements" <<\'PY\'',
  'import email.parser, sys, zipfile',
  'with zipfile.ZipFile(sys.argv[1]) as z:',
  '    name = next(n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))',
  '    metadata = email.parser.Parser().parsestr(z.read(name).decode(), headersonly=True)',
  'for requirement in metadata.get_all("Requires-Dist") or []:',
  '    print(requirement)',
  'PY',
  'if [[ -s "$requirements" ]]; then',
  '  echo "Installing the dependencies from $pypi:"',
  '  cat "$requirements"',
  '  "${pip[@]}" --index-url "$pypi" --requirement "$requirements"',
  'fi',
  'start=$SECONDS',
  'attempt=1',
  'until out=$("${pip[@]}" --no-deps --index-url "$testpypi" "$DIST_NAME==$VERSION" 2>&1); do',
  '  elapsed=$(( SECONDS - start ))',
  '  if (( elapsed + delay > timeout )); then',
  '    echo "$out"',
  '    echo "::error title=Not installable from TestPyPI::Gave up after ${elapsed}s and $attempt attempts: $DIST_NAME $VERSION could not be installed from $testpypi (limit ${timeout}s). The upload succeeded, so the index may still lag: re-run the failed jobs later. If it keeps failing, read pip\'s output above."',
  '    exit 1',
  '  fi',
  '  echo "$DIST_NAME $VERSION is not installable from $testpypi yet (attempt $attempt, ${elapsed}s); next try in ${delay}s."',
  '  echo "$out" | tail -n 2',
  '  sleep "$delay"',
  '  attempt=$(( attempt + 1 ))',
  '  delay=$(( delay * 2 > max_delay ? max_delay : delay * 2 ))',
  'done',
  'echo "$out"',
  'echo "Installed $DIST_NAME $VERSION from $testpypi (attempt $attempt)."',
  '"$py" -m pip check',
);

/**
 * The smoke test: in an empty directory outside the checkout, with `python -I` (no current
 * directory, no `PYTHONPATH` on `sys.path`), imports `$IMPORT_NAME`, checks that it comes from
 * the venv and that `importlib.metadata.version($DIST_NAME)` is `$VERSION`.
 * Env: `VENV_DIR`, `IMPORT_NAME`, `DIST_NAME`, `VERSION`.
 */
export const SMOKE_TEST = script(
  'cd "$(mktemp -d)"',
  '"$VENV_DIR/bin/python" -I - <<\'PY\'',
  'import importlib, importlib.metadata, os, sys',
  'name, dist, expected = os.environ["IMPORT_NAME"], os.environ["DIST_NAME"], os.environ["VERSION"]',
  'venv = os.path.realpath(os.environ["VENV_DIR"])',
  'def fail(message):',
  '    sys.exit(f"::error title=Smoke test failed::{message}")',
  'try:',
  '    module = importlib.import_module(name)',
  'except Exception as e:',
  '    fail(f"import {name} failed: {e!r}")',
  'where = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", [])), "")',
  'where = os.path.realpath(where) if where else "(unknown)"',
  'try:',
  '    installed = importlib.metadata.version(dist)',
  'except importlib.metadata.PackageNotFoundError:',
  '    fail(f"{dist} is not installed in {venv}")',
  'print(f"import {name}: {where}")',
  'print(f"{dist} {installed}")',
  'if not where.startswith(venv + os.sep):',
  '    fail(f"{name} was imported from {where}, not from the venv {venv}")',
  'if installed != expected:',
  '    fail(f"{dist} reports version {installed}, expected {expected}")',
  'print(f"Smoke test passed: {name} imports and {dist} is {expected}.")',
  'PY',
);

/**
 * Runs a user's smoke command in the venv (activated), in an empty directory outside the
 * checkout. Env: `VENV_DIR`.
 */
export function smokeCommandScript(command: string): string {
  return script(
    'source "$VENV_DIR/bin/activate"',
    'cd "$(mktemp -d)"',
    command.trim(),
  );
}

/**
 * Writes the outcome to the job summary: one row per stage with its result and a link (the
 * GitHub release, the version on TestPyPI and on PyPI). Stages whose `*_RESULT` is unset are not
 * in the workflow and are left out. Always exits 0. Env: `DIST_NAME`, `VERSION` (empty when
 * verification failed), `TAG`, `VERIFY_RESULT`, `TESTPYPI_RESULT`, `INSTALL_RESULT`,
 * `PYPI_RESULT`, `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_STEP_SUMMARY`.
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
  'release_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/releases/tag/$TAG"',
  '{',
  '  echo "## Publication of $DIST_NAME ${VERSION:-(version not verified)}"',
  '  echo',
  '  echo "| Stage | Result | Link |"',
  '  echo "| --- | --- | --- |"',
  '  echo "| Verify the GitHub release | $(result "$VERIFY_RESULT") | [$TAG]($release_url) |"',
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
