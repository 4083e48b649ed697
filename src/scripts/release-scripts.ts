/**
 * The shell that runs at release time, in one place. Every script is strict bash, reads its
 * inputs from environment variables only (never `${{ }}`), and is rendered as-is into the
 * workflow, where tests lint it with shellcheck and run it against real repositories and tools.
 */

import { script } from './strict-script';

/** Canonical PEP 440 public version (no leading zeros, no local part, `0!` epoch omitted). */
export const PEP440_CANONICAL = '^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\\.post(0|[1-9][0-9]*))?(\\.dev(0|[1-9][0-9]*))?$';

/** The semver shapes we accept: `X.Y.Z` and `X.Y.Z-{alpha,beta,rc}.N`. */
export const SEMVER_RELEASE = '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-(alpha|beta|rc)\\.(0|[1-9][0-9]*))?$';

/**
 * Validates the requested version and derives the package version, the tag and whether it is a
 * prerelease. Env: `VERSION_INPUT`, `VERSION_SCHEME` (pep440|semver), `ALLOW_V_PREFIX`,
 * `TAG_PREFIX`, `PRERELEASE_INPUT`. Writes `version`, `tag`, `prerelease` to `$GITHUB_OUTPUT`.
 */
export const VALIDATE_VERSION = script(
  'input="$VERSION_INPUT"',
  'fail() { printf \'::error title=Invalid version::%s (got %q)\\n\' "$1" "$input"; exit 1; }',
  'version="$input"',
  'if [[ "$version" == v* ]]; then',
  '  [[ "$ALLOW_V_PREFIX" == true ]] || fail "enter the version without a leading v: the tag prefix is added for you"',
  '  version="${version#v}"',
  'fi',
  'case "$VERSION_SCHEME" in',
  '  pep440)',
  `    pattern='${PEP440_CANONICAL}'`,
  '    [[ "$version" =~ $pattern ]] || fail "not a canonical PEP 440 version such as 1.2.0, 1.2.0rc1 or 1.2.0.post1"',
  '    package_version="$version"',
  '    ;;',
  '  semver)',
  `    pattern='${SEMVER_RELEASE}'`,
  '    [[ "$version" =~ $pattern ]] || fail "not a version such as 1.2.0 or 1.2.0-rc.1 (pre-releases: alpha.N, beta.N, rc.N)"',
  '    package_version="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"',
  '    case "${BASH_REMATCH[5]}" in',
  '      alpha) package_version+="a${BASH_REMATCH[6]}" ;;',
  '      beta) package_version+="b${BASH_REMATCH[6]}" ;;',
  '      rc) package_version+="rc${BASH_REMATCH[6]}" ;;',
  '    esac',
  '    ;;',
  '  *) echo "::error::unknown VERSION_SCHEME $VERSION_SCHEME"; exit 1 ;;',
  'esac',
  'prerelease="$PRERELEASE_INPUT"',
  'if [[ "$package_version" =~ (a|b|rc)[0-9]+|\\.dev[0-9]+ ]]; then prerelease=true; fi',
  'tag="${TAG_PREFIX}${version}"',
  '{',
  '  echo "version=$package_version"',
  '  echo "tag=$tag"',
  '  echo "prerelease=$prerelease"',
  '} >> "$GITHUB_OUTPUT"',
  'echo "Releasing $package_version as tag $tag (prerelease: $prerelease)"',
);

/** Refuses to release from any branch but the release branch. Env: `RELEASE_BRANCH`, `GITHUB_REF`. */
export const CHECK_BRANCH = script(
  'if [[ "$GITHUB_REF" != "refs/heads/$RELEASE_BRANCH" ]]; then',
  '  echo "::error title=Wrong branch::Releases are made from $RELEASE_BRANCH; this run is on $GITHUB_REF. Start the workflow from $RELEASE_BRANCH."',
  '  exit 1',
  'fi',
);

/**
 * Checks that the tag is free, or that `force_recreate` may remove it (not when its release is
 * immutable). Env: `GH_TOKEN`, `GITHUB_REPOSITORY`, `TAG`, `FORCE_RECREATE`.
 */
export const CHECK_TAG_AVAILABLE = script(
  '# lookup PATH JQ: 0 and the value in $found when it exists, 1 when GitHub says 404; any other',
  '# failure (token, network, rate limit) stops the release instead of passing for "free".',
  'lookup() {',
  '  local out',
  '  if out=$(gh api "$1" --jq "$2" 2>&1); then found="$out"; return 0; fi',
  '  if [[ "$out" == *"HTTP 404"* ]]; then return 1; fi',
  '  echo "::error title=GitHub API call failed::Could not check whether $TAG exists (gh api $1): $out"',
  '  exit 1',
  '}',
  'found=""',
  'tag_ref=""',
  'if lookup "repos/$GITHUB_REPOSITORY/git/ref/tags/$TAG" .ref; then tag_ref="$found"; fi',
  'immutable="no release"',
  'if lookup "repos/$GITHUB_REPOSITORY/releases/tags/$TAG" .immutable; then immutable="$found"; fi',
  'if [[ -z "$tag_ref" && "$immutable" == "no release" ]]; then',
  '  echo "Tag $TAG is free."',
  '  exit 0',
  'fi',
  'if [[ "$FORCE_RECREATE" != true ]]; then',
  '  echo "::error title=Version exists::Tag or release $TAG already exists. Release a new version, or run again with force_recreate to delete a release that never reached PyPI."',
  '  exit 1',
  'fi',
  'if [[ "$immutable" == true ]]; then',
  '  echo "::error title=Immutable release::The release $TAG is immutable: its tag and assets can never change or be reused. Release a new version instead."',
  '  exit 1',
  'fi',
  'echo "::warning::force_recreate: the existing release and tag $TAG will be deleted before the new release is made."',
);

/** Deletes an existing release and its tag (force_recreate). Env: `GH_TOKEN`, `GH_REPO`, `TAG`. */
export const DELETE_EXISTING_RELEASE = script(
  'if out=$(gh release view "$TAG" --json tagName 2>&1); then',
  '  gh release delete "$TAG" --cleanup-tag --yes',
  '  echo "Deleted release $TAG and its tag."',
  'elif [[ "$out" != *"release not found"* ]]; then',
  '  echo "::error title=GitHub API call failed::Could not look up the release $TAG: $out"',
  '  exit 1',
  'fi',
  'if out=$(gh api "repos/$GH_REPO/git/ref/tags/$TAG" --silent 2>&1); then',
  '  gh api --method DELETE "repos/$GH_REPO/git/refs/tags/$TAG" --silent',
  '  echo "Deleted tag $TAG."',
  'elif [[ "$out" != *"HTTP 404"* ]]; then',
  '  echo "::error title=GitHub API call failed::Could not look up the tag $TAG: $out"',
  '  exit 1',
  'fi',
  'git tag --delete "$TAG" 2> /dev/null || true',
);

/**
 * Sets `[project].version` in pyproject.toml, touching nothing else (comments, other tables and
 * quoting stay). Env: `VERSION`.
 */
export const SET_PYPROJECT_VERSION = script(
  'python3 - pyproject.toml <<\'PY\'',
  'import os, re, sys',
  'path, version = sys.argv[1], os.environ["VERSION"]',
  'lines = open(path, encoding="utf-8", newline="").read().splitlines(keepends=True)',
  'table, done = None, False',
  'for i, line in enumerate(lines):',
  '    header = re.match(r"\\s*\\[\\s*([^\\]]+?)\\s*\\]\\s*(#.*)?$", line)',
  '    if header:',
  '        table = header.group(1)',
  '        continue',
  '    if table == "project" and not done:',
  '        m = re.match(r"(\\s*version\\s*=\\s*)([\\"\'])[^\\"\']*\\2(.*)$", line, re.S)',
  '        if m:',
  '            lines[i] = f"{m.group(1)}{m.group(2)}{version}{m.group(2)}{m.group(3)}"',
  '            done = True',
  'if not done:',
  '    sys.exit(f"::error::{path} has no static [project].version to set. If the version comes from git tags, use VersionStrategy.fromTag().")',
  'open(path, "w", encoding="utf-8", newline="").write("".join(lines))',
  'print(f"{path}: [project].version = {version}")',
  'PY',
);

/**
 * Fails unless pyproject.toml's `[project].version` equals the requested version (verify-only
 * strategy). Env: `VERSION`.
 */
export const VERIFY_PYPROJECT_VERSION = script(
  'actual=$(python3 -c \'import sys, tomllib; print(tomllib.load(open("pyproject.toml", "rb")).get("project", {}).get("version", ""))\')',
  'if [[ "$actual" != "$VERSION" ]]; then',
  '  echo "::error title=Version mismatch::pyproject.toml says version ${actual:-(none)}, but the release is $VERSION. Commit the version bump first, or release $actual."',
  '  exit 1',
  'fi',
  'echo "pyproject.toml already carries $VERSION."',
);

/** Subject of the release commit (bash, expands `$TAG`). */
const RELEASE_COMMIT_SUBJECT = 'chore(release): $TAG';

/**
 * Prepends the release's section to the changelog with git-cliff and writes the release notes
 * (this version only). When HEAD is already this version's release commit (force_recreate after a
 * run that pushed), the changelog keeps the section it has instead of getting it twice.
 * Env: `TAG`, `CHANGELOG_FILE`, `CLIFF_CONFIG`, `NOTES_FILE`, `INCLUDE_PATH` (monorepos: only
 * commits touching these paths, e.g. `packages/mypkg/**`; empty for all).
 */
export const UPDATE_CHANGELOG = script(
  'cliff=(git-cliff --config "$CLIFF_CONFIG" --unreleased --tag "$TAG")',
  'if [[ -n "${INCLUDE_PATH:-}" ]]; then cliff+=(--include-path "$INCLUDE_PATH"); fi',
  `if [[ "$(git log -1 --format=%s)" == "${RELEASE_COMMIT_SUBJECT}" ]]; then`,
  '  echo "HEAD is the release commit of $TAG already (force_recreate after a pushed release): $CHANGELOG_FILE keeps its section."',
  'elif [[ -f "$CHANGELOG_FILE" ]]; then',
  '  "${cliff[@]}" --prepend "$CHANGELOG_FILE"',
  'else',
  '  "${cliff[@]}" --output "$CHANGELOG_FILE"',
  'fi',
  '"${cliff[@]}" --strip all --output "$NOTES_FILE"',
  'echo "Release notes:"',
  'cat "$NOTES_FILE"',
);

/**
 * Commits the version and changelog; when there is nothing to commit and HEAD is this version's
 * release commit already (force_recreate after a pushed release), that commit is released again.
 * Env: `TAG`, `GIT_USER_NAME`, `GIT_USER_EMAIL`, `CHANGELOG_FILE`.
 */
export const COMMIT_RELEASE = script(
  'git config user.name "$GIT_USER_NAME"',
  'git config user.email "$GIT_USER_EMAIL"',
  'git add --update',
  'git add -- "$CHANGELOG_FILE"',
  `if git diff --cached --quiet && [[ "$(git log -1 --format=%s)" == "${RELEASE_COMMIT_SUBJECT}" ]]; then`,
  '  echo "Nothing to commit: HEAD is the release commit of $TAG already, and is tagged again."',
  'else',
  `  git commit --message "${RELEASE_COMMIT_SUBJECT}"`,
  'fi',
  'git log -1 --stat',
);

/**
 * Checks the built distributions: at least one wheel and exactly one sdist, `twine check
 * --strict`, and that every file carries exactly `$VERSION` in its metadata. Env: `VERSION`,
 * `DIST_DIR`.
 */
export const VERIFY_DISTRIBUTIONS = script(
  'shopt -s nullglob',
  'wheels=("$DIST_DIR"/*.whl)',
  'sdists=("$DIST_DIR"/*.tar.gz)',
  'if (( ${#wheels[@]} == 0 )); then echo "::error::No wheel in $DIST_DIR."; exit 1; fi',
  'if (( ${#sdists[@]} != 1 )); then echo "::error::Expected exactly one sdist in $DIST_DIR, found ${#sdists[@]}."; exit 1; fi',
  'twine check --strict "${wheels[@]}" "${sdists[@]}"',
  'python3 - "${wheels[@]}" "${sdists[@]}" <<\'PY\'',
  'import email.parser, os, sys, tarfile, zipfile',
  'expected, bad = os.environ["VERSION"], []',
  'for path in sys.argv[1:]:',
  '    if path.endswith(".whl"):',
  '        with zipfile.ZipFile(path) as z:',
  '            name = next(n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))',
  '            text = z.read(name).decode()',
  '    else:',
  '        with tarfile.open(path) as t:',
  '            member = next(m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO"))',
  '            text = t.extractfile(member).read().decode()',
  '    found = email.parser.Parser().parsestr(text, headersonly=True)["Version"]',
  '    print(f"{os.path.basename(path)}: version {found}")',
  '    if found != expected:',
  '        bad.append(f"{os.path.basename(path)} carries version {found}")',
  'if bad:',
  '    sys.exit(f"::error title=Wrong version::expected {expected}, but " + "; ".join(bad))',
  'PY',
);

/** Writes `SHA256SUMS` for the distributions. Env: `DIST_DIR`. */
export const WRITE_CHECKSUMS = script(
  'cd "$DIST_DIR"',
  'sha256sum -- *.whl *.tar.gz > SHA256SUMS',
  'cat SHA256SUMS',
);

/**
 * Tags the release commit and pushes branch and tag atomically: if the branch moved meanwhile,
 * nothing is pushed. The token reaches git through `GIT_CONFIG_*`, never the command line or
 * `.git/config`. Env: `TAG`, `RELEASE_BRANCH`, `RELEASE_TOKEN`.
 */
export const TAG_AND_PUSH = script(
  'git tag --annotate "$TAG" --message "Release $TAG"',
  'auth=$(printf \'x-access-token:%s\' "$RELEASE_TOKEN" | base64 | tr -d \'\\n\')',
  'echo "::add-mask::$auth"',
  'export GIT_CONFIG_COUNT=1',
  'export GIT_CONFIG_KEY_0="http.https://github.com/.extraheader"',
  'export GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth"',
  'if ! git push --atomic origin "HEAD:refs/heads/$RELEASE_BRANCH" "refs/tags/$TAG"; then',
  '  echo "::error title=Push refused::Could not push the release commit and $TAG together (has $RELEASE_BRANCH moved since the run started?). Nothing was pushed; run the release again."',
  '  exit 1',
  'fi',
);

/**
 * Creates the GitHub release with the distributions and checksums attached (uploaded before it
 * is published). Env: `GH_TOKEN`, `GH_REPO`, `TAG`, `PRERELEASE`, `NOTES_FILE`, `DIST_DIR`.
 */
export const CREATE_RELEASE = script(
  'flags=(--verify-tag --title "$TAG" --notes-file "$NOTES_FILE")',
  'if [[ "$PRERELEASE" == true ]]; then flags+=(--prerelease); fi',
  'gh release create "$TAG" "$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz "$DIST_DIR/SHA256SUMS" "${flags[@]}"',
);

/** Installs pinned release tools with pipx. Env: `RELEASE_TOOLS` (space-separated `name==version`). */
export const INSTALL_RELEASE_TOOLS = script(
  'read -ra tools <<< "$RELEASE_TOOLS"',
  'for tool in "${tools[@]}"; do',
  '  pipx install "$tool"',
  'done',
);
