/**
 * Scripts that check distributions, shared by release.yml's build job and publish.yml's verify
 * job: `twine check --strict` and the version inside every file, checksums, the pinned tools.
 */

import { script } from './strict-script';

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

/** Installs pinned release tools with pipx. Env: `RELEASE_TOOLS` (space-separated `name==version`). */
export const INSTALL_RELEASE_TOOLS = script(
  'read -ra tools <<< "$RELEASE_TOOLS"',
  'for tool in "${tools[@]}"; do',
  '  pipx install "$tool"',
  'done',
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
