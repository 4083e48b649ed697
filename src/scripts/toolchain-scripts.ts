/**
 * Checks of a toolchain's files, run in release.yml's validate job before anything is built.
 */

import { script } from './strict-script';

/**
 * Refuses a `pixi.lock` the pinned pixi cannot read (a newer lock format than it knows), or none
 * at all (the workflows install with `locked: true`). Env: `LOCK_FILE`, `PIXI_VERSION`,
 * `MAX_LOCK_FORMAT`, `NEWER_PIXI` (the first pixi that reads newer formats).
 */
export const CHECK_PIXI_LOCK = script(
  'fail() { echo "::error title=pixi.lock::$1"; exit 1; }',
  '[[ -f "$LOCK_FILE" ]] || fail "$LOCK_FILE is missing: the workflows install with locked: true. Run pixi lock and commit pixi.lock."',
  'format=$(awk \'$1 == "version:" { print $2; exit }\' "$LOCK_FILE")',
  '[[ "$format" =~ ^[0-9]+$ ]] || fail "$LOCK_FILE has no lock format (a version: line at the top level); regenerate it with pixi lock."',
  'if (( format > MAX_LOCK_FORMAT )); then',
  '  fail "$LOCK_FILE has lock format $format, but pixi $PIXI_VERSION (the toolchain\'s pixiVersion) reads formats up to $MAX_LOCK_FORMAT. Set pixiVersion to $NEWER_PIXI or newer and run npx projen, or lock with the pinned pixi."',
  'fi',
  'echo "$LOCK_FILE: lock format $format, readable by pixi $PIXI_VERSION."',
);
