/**
 * The scripts of release.yml's build job, which runs the project's code (toolchain, build backend,
 * git-cliff config) and so holds no secret: changelog, release commit, and the hand-over of the
 * release files and the release commit to the release job. Strict bash, env inputs only.
 */

import { script } from './strict-script';

/** Subject of the release commit (bash, expands `$TAG`). */
export const RELEASE_COMMIT_SUBJECT = 'chore(release): $TAG';

/**
 * Prepends the release's section to the changelog with git-cliff and writes the release notes
 * (this version only). When HEAD is already this version's release commit (force_recreate after a
 * pushed release), the changelog keeps the section it has. When an earlier attempt's release
 * commit of this version is in the history but main moved on (force_recreate after main moved),
 * its section is taken back first, so that the version has one section. Env: `TAG`,
 * `CHANGELOG_FILE`, `CLIFF_CONFIG`, `NOTES_FILE`, `INCLUDE_PATH` (monorepos: only commits touching
 * these paths, e.g. `packages/mypkg/**`; empty for all).
 */
export const UPDATE_CHANGELOG = script(
  `subject="${RELEASE_COMMIT_SUBJECT}"`,
  'cliff=(git-cliff --config "$CLIFF_CONFIG" --unreleased --tag "$TAG")',
  'if [[ -n "${INCLUDE_PATH:-}" ]]; then cliff+=(--include-path "$INCLUDE_PATH"); fi',
  'if [[ "$(git log -1 --format=%s)" == "$subject" ]]; then',
  '  echo "HEAD is the release commit of $TAG already (force_recreate after a pushed release): $CHANGELOG_FILE keeps its section."',
  'else',
  '  # force_recreate: the earlier attempt\'s tag is deleted on GitHub by the release job; here it is',
  '  # forgotten so that git-cliff counts its commits as unreleased again.',
  '  if git rev-parse --quiet --verify "refs/tags/$TAG" > /dev/null; then git tag --delete "$TAG"; fi',
  '  earlier=$(git log --format=\'%H %s\' | awk -v s="$subject" \'substr($0, 42) == s { print $1; exit }\')',
  '  if [[ -n "$earlier" ]] && ! git diff --quiet "$earlier^" "$earlier" -- "$CHANGELOG_FILE"; then',
  '    if ! git diff "$earlier^" "$earlier" -- "$CHANGELOG_FILE" | git apply --reverse; then',
  '      echo "::error title=Changelog::$CHANGELOG_FILE has the section of an earlier release commit of $TAG (${earlier:0:7}) that cannot be taken back automatically. Remove that section by hand, commit, and release again."',
  '      exit 1',
  '    fi',
  '    echo "Took back the $TAG section that the earlier release commit ${earlier:0:7} wrote."',
  '  fi',
  '  if [[ -f "$CHANGELOG_FILE" ]]; then',
  '    "${cliff[@]}" --prepend "$CHANGELOG_FILE"',
  '  else',
  '    "${cliff[@]}" --output "$CHANGELOG_FILE"',
  '  fi',
  'fi',
  '"${cliff[@]}" --strip all --output "$NOTES_FILE"',
  'echo "Release notes:"',
  'cat "$NOTES_FILE"',
);

/**
 * Commits the version, lock files and changelog; when there is nothing to commit and HEAD is this
 * version's release commit already (force_recreate after a pushed release), that commit is
 * released again. Env: `TAG`, `GIT_USER_NAME`, `GIT_USER_EMAIL`, `CHANGELOG_FILE`.
 */
export const COMMIT_RELEASE = script(
  `subject="${RELEASE_COMMIT_SUBJECT}"`,
  'git config user.name "$GIT_USER_NAME"',
  'git config user.email "$GIT_USER_EMAIL"',
  'git add --update',
  'git add -- "$CHANGELOG_FILE"',
  'if git diff --cached --quiet && [[ "$(git log -1 --format=%s)" == "$subject" ]]; then',
  '  echo "Nothing to commit: HEAD is the release commit of $TAG already, and is tagged again."',
  'else',
  '  git commit --quiet --message "$subject"',
  'fi',
  'git log -1 --stat',
);

/**
 * Hands the release on to the release job: copies the distributions, `SHA256SUMS` and the release
 * notes into `$RELEASE_FILES`, with a `git bundle` of the release commit (unless HEAD is the run's
 * commit itself: the release commit of a force_recreate after a pushed release). Writes `commit`
 * (the release commit) to `$GITHUB_OUTPUT`. Env: `DIST_DIR`, `RELEASE_FILES`, `NOTES_FILE`,
 * `GITHUB_SHA`.
 */
export const STAGE_RELEASE_FILES = script(
  'mkdir -p "$RELEASE_FILES"',
  'cp -- "$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz "$DIST_DIR/SHA256SUMS" "$RELEASE_FILES/"',
  'cp -- "$NOTES_FILE" "$RELEASE_FILES/release-notes.md"',
  'commit=$(git rev-parse HEAD)',
  'if [[ "$commit" == "$GITHUB_SHA" ]]; then',
  '  echo "HEAD is the run\'s commit, the release commit already: no bundle."',
  'else',
  '  git bundle create "$RELEASE_FILES/release.bundle" HEAD "^$GITHUB_SHA"',
  'fi',
  'echo "commit=$commit" >> "$GITHUB_OUTPUT"',
  'ls -l "$RELEASE_FILES"',
);
