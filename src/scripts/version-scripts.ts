/**
 * Version scripts, shared by release.yml and publish.yml: validating the requested version, and
 * writing or checking `[project].version`. Strict bash, inputs from environment variables only.
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

/**
 * Sets the version the build will use without committing it (`VersionStrategy.buildOnly()`):
 * `[project].version` of pyproject.toml when it has a static one, otherwise the `"version"` of a
 * setup.py that projen generated (a JSON block of keyword arguments). Env: `VERSION`.
 */
export const SET_BUILD_VERSION = script(
  'python3 - <<\'PY\'',
  'import os, re, sys',
  'version = os.environ["VERSION"]',
  'for path, pattern in (("pyproject.toml", r"(?m)^(\\s*version\\s*=\\s*[\\"\'])[^\\"\']*([\\"\'])"), ("setup.py", r"(\\"version\\"\\s*:\\s*\\")[^\\"]*(\\")")):',
  '    if not os.path.exists(path):',
  '        continue',
  '    text = open(path, encoding="utf-8", newline="").read()',
  '    new, count = re.subn(pattern, lambda m: m.group(1) + version + m.group(2), text, count=1)',
  '    if count:',
  '        open(path, "w", encoding="utf-8", newline="").write(new)',
  '        print(f"{path}: version = {version} (for this build only; not committed)")',
  '        sys.exit(0)',
  'sys.exit("::error::Neither pyproject.toml nor setup.py has a static version to set for the build.")',
  'PY',
);
