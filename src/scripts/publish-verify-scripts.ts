/**
 * The scripts of publish.yml's `verify` job (and of the `publish:manual` task, which runs the
 * same steps): the tag, the release's files, their attestations, checksums and name.
 */

import { script } from './strict-script';

/** The characters a release tag may hold: the prefix's (letters, digits, `._/-`) and a version's (`.!+-`). */
const TAG_CHARS = 'A-Za-z0-9._/+!-';

/**
 * Checks the tag that started the run, before anything echoes it: non-empty, at most 128
 * characters of `A-Za-z0-9._/+!-` (no blank, no control character, so no line break that could
 * forge a workflow command), this package's prefix, then a version of letters, digits and
 * `.!+-`, starting with a letter or digit. A refused tag is shown with every other character replaced by `?`. Then a published
 * (non-draft) GitHub release must exist for it. Writes `version_input` (the tag without its
 * prefix, for `VALIDATE_VERSION`) and `github_prerelease` (the release's prerelease flag) to
 * `$GITHUB_OUTPUT`. Warns when a dispatched run is not on the tag, which environments that admit
 * only tags refuse. Env: `RELEASE_TAG`, `TAG_PREFIX`, `GH_TOKEN`, `GH_REPO`, `WORKFLOW_FILE`,
 * `GITHUB_EVENT_NAME`, `GITHUB_REF`.
 */
export const RESOLVE_RELEASE_TAG = script(
  'tag="$RELEASE_TAG"',
  'if [[ -z "$tag" ]]; then',
  '  echo "::error title=No tag::No release tag: run this workflow from a published release, or by hand with the tag input."',
  '  exit 1',
  'fi',
  `pattern='^[${TAG_CHARS}]{1,128}$'`,
  'version="${tag#"$TAG_PREFIX"}"',
  'if [[ ! "$tag" =~ $pattern || ( "$tag" == "$TAG_PREFIX"* && ! "$version" =~ ^[A-Za-z0-9][A-Za-z0-9.!+-]*$ ) ]]; then',
  '  shown="${tag:0:80}"',
  `  shown="\${shown//[^${TAG_CHARS.replace('/', '\\/')}]/?}"`,
  '  echo "::error title=Invalid tag::The tag input is not a release tag of this package: it must be $TAG_PREFIX<version>, at most 128 letters, digits and . _ / + ! - (got \\"$shown\\", ${#tag} characters)."',
  '  exit 1',
  'fi',
  'if [[ "$tag" != "$TAG_PREFIX"* ]]; then',
  '  echo "::error title=Wrong tag::Tag $tag does not start with $TAG_PREFIX: this workflow publishes only the releases tagged $TAG_PREFIX<version>."',
  '  exit 1',
  'fi',
  'if ! state=$(gh release view "$tag" --json isDraft,isPrerelease --jq \'"\\(.isDraft) \\(.isPrerelease)"\' 2>&1); then',
  '  echo "::error title=No release::No published GitHub release for tag $tag (drafts do not count): ${state//$\'\\n\'/ }"',
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
  '  echo "version_input=$version"',
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
 * Checks that every wheel, the sdist and `SHA256SUMS` in `$DIST_DIR` carry a GitHub artifact
 * attestation made by this repository's release workflow, run on the release branch:
 * `gh attestation verify FILE --repo $GH_REPO --cert-identity
 * $GITHUB_SERVER_URL/$GH_REPO/.github/workflows/$RELEASE_WORKFLOW_FILE@refs/heads/$RELEASE_BRANCH
 * --source-ref refs/heads/$RELEASE_BRANCH`. `--cert-identity` matches the signing certificate's
 * SAN exactly (gh's `--signer-workflow` was an unanchored prefix before gh fixed it, so
 * `release.yml` also admitted `release.yml.evil.yml`), `--source-ref` the ref the run was on.
 * Fails, naming every refused file, when one is not attested that way; and when this runner's gh
 * knows no `--source-ref`. gh's output is shown prefixed with `gh: `, so that it cannot start a
 * workflow command. Env: `DIST_DIR`, `GH_REPO`, `GH_TOKEN`, `RELEASE_WORKFLOW_FILE`,
 * `RELEASE_BRANCH`, `GITHUB_SERVER_URL`.
 */
export const VERIFY_ATTESTATIONS = script(
  'if ! help=$(gh attestation verify --help 2>&1) || [[ "$help" != *--source-ref* ]]; then',
  '  echo "::error title=gh too old::This GitHub CLI cannot check attestations with --source-ref (gh attestation verify --help does not list it). Use a runner or a gh release that has it."',
  '  exit 1',
  'fi',
  'workflow="$GH_REPO/.github/workflows/$RELEASE_WORKFLOW_FILE"',
  'ref="refs/heads/$RELEASE_BRANCH"',
  'identity="${GITHUB_SERVER_URL:-https://github.com}/$workflow@$ref"',
  'shopt -s nullglob',
  'files=("$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz "$DIST_DIR"/SHA256SUMS)',
  'refused=()',
  'for file in "${files[@]}"; do',
  '  name="${file##*/}"',
  '  if out=$(gh attestation verify "$file" --repo "$GH_REPO" --cert-identity "$identity" --source-ref "$ref" 2>&1); then',
  '    echo "$name: attested by $workflow on $ref"',
  '    continue',
  '  fi',
  '  refused+=("$name")',
  '  printf \'%s\\n\' "$out" | tr -d \'\\r\' | sed \'s/^/gh: /\'',
  '  if [[ "$out" == *"No attestations found"* ]]; then',
  '    echo "::error title=No attestation::$name has no artifact attestation in $GH_REPO: it was not made by the release workflow $workflow on $ref (swapped, or uploaded by hand?)."',
  '  else',
  '    echo "::error title=Wrong attestation::$name has no attestation that gh accepts from the release workflow $workflow on $ref: it was built by another workflow, branch or repository (gh says why above)."',
  '  fi',
  'done',
  'if (( ${#refused[@]} > 0 )); then',
  '  echo "::error title=Not attested::Refusing to publish ${#refused[@]} file(s) that release.yml did not build on $RELEASE_BRANCH. Publish only what the release workflow attests: release a new version from $RELEASE_BRANCH. (A private repository whose plan has no artifact attestations: set attestations: AttestationCheck.off().)"',
  '  exit 1',
  'fi',
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
