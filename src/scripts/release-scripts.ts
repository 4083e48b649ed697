/**
 * The scripts of release.yml's validate and release jobs. The release job holds the release token
 * and runs none of the project's code: it checks what the build job handed on, tags, pushes and
 * creates the GitHub release with git, gh and coreutils of the runner. Strict bash, inputs from
 * environment variables only (never `${{ }}`), rendered as-is into the workflow, where tests lint
 * them with shellcheck and run them against real repositories.
 */

import { RELEASE_COMMIT_SUBJECT } from './build-scripts';
import { script } from './strict-script';

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

/**
 * Deletes an existing release and its tag (force_recreate): a release with `gh release delete
 * --cleanup-tag`, which deletes its tag in the same call; a tag without a release (its release
 * deleted by hand) through the API. Env: `GH_TOKEN`, `GH_REPO`, `TAG`.
 */
export const DELETE_EXISTING_RELEASE = script(
  'if out=$(gh release view "$TAG" --json tagName 2>&1); then',
  '  gh release delete "$TAG" --cleanup-tag --yes',
  '  echo "Deleted release $TAG and its tag."',
  'elif [[ "$out" != *"release not found"* ]]; then',
  '  echo "::error title=GitHub API call failed::Could not look up the release $TAG: $out"',
  '  exit 1',
  'elif out=$(gh api "repos/$GH_REPO/git/ref/tags/$TAG" --silent 2>&1); then',
  '  gh api --method DELETE "repos/$GH_REPO/git/refs/tags/$TAG" --silent',
  '  echo "Deleted tag $TAG (it had no release)."',
  'elif [[ "$out" != *"HTTP 404"* ]]; then',
  '  echo "::error title=GitHub API call failed::Could not look up the tag $TAG: $out"',
  '  exit 1',
  'fi',
  'git tag --delete "$TAG" 2> /dev/null || true',
);

/**
 * Checks the release commit the build job handed on, before anything is pushed: the bundle's one
 * commit must be a child of the run's commit (`GITHUB_SHA`), be the commit the build job reported,
 * carry the release subject, and change only the files the release may change, each only as far as
 * its rule allows (`ALLOWED_FILES`: lines of `<rule> <path>`; rule `any`, or `version`: only lines
 * setting a version or a hash, as in pyproject.toml or a lock file). Without a bundle, the run's
 * commit must be the release commit itself (force_recreate after a pushed release). Writes
 * `commit` to `$GITHUB_OUTPUT`. Hooks are off for every git call. Env: `RELEASE_FILES`, `TAG`,
 * `BUILT_COMMIT`, `ALLOWED_FILES`, `GITHUB_SHA`.
 */
export const CHECK_RELEASE_COMMIT = script(
  `subject="${RELEASE_COMMIT_SUBJECT}"`,
  'fail() { echo "::error title=Release commit refused::$1"; exit 1; }',
  '# git runs no hook and no fsmonitor, whatever the repository says',
  'export GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null GIT_CONFIG_KEY_1=core.fsmonitor GIT_CONFIG_VALUE_1=false',
  'bundle="$RELEASE_FILES/release.bundle"',
  'if [[ -f "$bundle" ]]; then',
  '  git bundle verify --quiet "$bundle" || fail "the bundle from the build job does not apply on the run\'s commit $GITHUB_SHA."',
  '  git fetch --quiet --no-tags "$bundle" HEAD',
  '  commit=$(git rev-parse FETCH_HEAD)',
  '  read -r -a parents <<< "$(git rev-list --parents -n 1 "$commit")"',
  '  if (( ${#parents[@]} != 2 )) || [[ "${parents[1]}" != "$GITHUB_SHA" ]]; then',
  '    fail "the release commit $commit is not a single commit on top of the run\'s commit $GITHUB_SHA."',
  '  fi',
  '  bad=()',
  '  while IFS= read -r file; do',
  '    rule=$(awk -v f="$file" \'$2 == f { print $1; exit }\' <<< "$ALLOWED_FILES")',
  '    case "$rule" in',
  '      any) ;;',
  '      version)',
  '        other=$(git diff -U0 "$GITHUB_SHA" "$commit" -- "$file" | grep -E \'^[-+]\' | grep -vE \'^([+]{3}|-{3}) \' | grep -vE \'^[-+][[:space:]]*(_*version_*|sha256)[[:space:]]*[=:]\' || true)',
  '        if [[ -n "$other" ]]; then bad+=("$file (changes more than its version lines)"); fi',
  '        ;;',
  '      *) bad+=("$file (not a file a release changes)") ;;',
  '    esac',
  '  done < <(git diff --name-only "$GITHUB_SHA" "$commit")',
  '  if (( ${#bad[@]} )); then',
  '    printf -v what \'%s; \' "${bad[@]}"',
  '    fail "the release commit changes ${what%; }. A release commit may only set the version and update the changelog and lock files."',
  '  fi',
  'else',
  '  commit="$GITHUB_SHA"',
  'fi',
  '[[ "$commit" == "$BUILT_COMMIT" ]] || fail "the bundle holds $commit, but the build job reported $BUILT_COMMIT."',
  '[[ "$(git log -1 --format=%s "$commit")" == "$subject" ]] || fail "$commit is not the release commit of $TAG (its subject is not \\"$subject\\")."',
  'echo "commit=$commit" >> "$GITHUB_OUTPUT"',
  'git show --stat --format=\'Release commit %H%n%an <%ae>%n%n    %s%n\' "$commit"',
);

/**
 * Tags the release commit and pushes it to the release branch together with the tag (atomic): if
 * the branch moved meanwhile, or a rule refuses, nothing is pushed. The token reaches git through
 * `GIT_CONFIG_*` in this step only, never the command line or `.git/config`; hooks, system and
 * global git config are off. Env: `TAG`, `COMMIT`, `RELEASE_BRANCH`, `RELEASE_TOKEN`,
 * `GIT_USER_NAME`, `GIT_USER_EMAIL`, `GITHUB_SERVER_URL`.
 */
export const TAG_AND_PUSH = script(
  'auth=$(printf \'x-access-token:%s\' "$RELEASE_TOKEN" | base64 | tr -d \'\\n\')',
  'echo "::add-mask::$auth"',
  '# no system or global git config, no hooks, no fsmonitor; the token only as an HTTP header',
  'export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_COUNT=3',
  'export GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/dev/null GIT_CONFIG_KEY_1=core.fsmonitor GIT_CONFIG_VALUE_1=false',
  'export GIT_CONFIG_KEY_2="http.${GITHUB_SERVER_URL:-https://github.com}/.extraheader" GIT_CONFIG_VALUE_2="AUTHORIZATION: basic $auth"',
  'export GIT_COMMITTER_NAME="$GIT_USER_NAME" GIT_COMMITTER_EMAIL="$GIT_USER_EMAIL"',
  'git tag --annotate "$TAG" "$COMMIT" --message "Release $TAG"',
  'if ! git push --atomic origin "$COMMIT:refs/heads/$RELEASE_BRANCH" "refs/tags/$TAG"; then',
  '  echo "::error title=Push refused::Could not push the release commit and $TAG to $RELEASE_BRANCH together; nothing was pushed. Either $RELEASE_BRANCH moved since the run started (run the release again), or branch protection or a ruleset refused the push: the owner of the release token (or the GitHub App) must be allowed to bypass it, e.g. as a bypass actor of the ruleset."',
  '  exit 1',
  'fi',
);

/**
 * Creates the GitHub release with the distributions and checksums attached (uploaded before it
 * is published), as a draft when asked (publish.yml starts when the draft is published).
 * Env: `GH_TOKEN`, `GH_REPO`, `TAG`, `PRERELEASE`, `DRAFT`, `RELEASE_FILES`.
 */
export const CREATE_RELEASE = script(
  'flags=(--verify-tag --title "$TAG" --notes-file "$RELEASE_FILES/release-notes.md")',
  'if [[ "$PRERELEASE" == true ]]; then flags+=(--prerelease); fi',
  'if [[ "$DRAFT" == true ]]; then flags+=(--draft); fi',
  'gh release create "$TAG" "$RELEASE_FILES"/*.whl "$RELEASE_FILES"/*.tar.gz "$RELEASE_FILES/SHA256SUMS" "${flags[@]}"',
  'if [[ "$DRAFT" == true ]]; then',
  '  echo "::notice title=Draft release::$TAG is a draft: nothing is published until you publish it (gh release edit $TAG --draft=false, or in the GitHub UI), which starts the publish workflow."',
  'fi',
);

/**
 * Warns (never fails) when a pinned action has a newer release than the one this workflow pins.
 * Env: `GH_TOKEN`, `PINNED_ACTIONS` (lines of `owner/repo[/path] vX.Y.Z`).
 */
export const CHECK_ACTION_UPDATES = script(
  'while read -r action pinned; do',
  '  [[ -n "$action" ]] || continue',
  '  repo=$(cut -d/ -f1-2 <<< "$action")',
  '  latest=$(gh api "repos/$repo/releases/latest" --jq .tag_name 2> /dev/null) || continue',
  '  [[ "$latest" =~ ^v?[0-9][0-9A-Za-z.+-]*$ && "$latest" != "$pinned" ]] || continue',
  '  newest=$(printf \'%s\\n%s\\n\' "${pinned#v}" "${latest#v}" | sort -V | tail -n 1)',
  '  if [[ "$newest" == "${latest#v}" ]]; then',
  '    echo "::warning title=Newer action release::$repo $latest is out; this workflow pins $pinned. Run npx projen pins:update, review the diff, and commit."',
  '  fi',
  'done <<< "$PINNED_ACTIONS"',
);
