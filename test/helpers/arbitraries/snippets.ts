import * as fc from 'fast-check';
import type { SetupStepSpec } from './specs';
import { ActionPins, QualityCheck } from '../../../src';

// Realistic pieces: shellcheck-clean bash that reads its inputs from env vars.

interface Snippet {
  readonly name: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string | boolean | number>;
  readonly env?: Record<string, string>;
  readonly if?: string;
  /** Needs the GITHUB_TOKEN with `contents: read`. */
  readonly readsContents?: boolean;
}

/** User steps: realistic, strict, shellcheck-clean, values through `env:` only. */
export const STEP_SNIPPETS: Record<string, Snippet> = {
  'echo-env': {
    name: 'Say what is built',
    run: 'set -euo pipefail\necho "Building $PACKAGE_NAME on $RUNNER_OS"',
    env: { PACKAGE_NAME: 'example' },
  },
  'flags': {
    name: 'Show the extra flags',
    run: 'set -euo pipefail\nif [[ -z "${EXTRA_FLAGS:-}" ]]; then\n  echo "no extra flags"\nelse\n  read -ra flags <<< "$EXTRA_FLAGS"\n  printf \'%s\\n\' "${flags[@]}"\nfi',
    env: { EXTRA_FLAGS: '--verbose --strict' },
  },
  'ref-output': {
    name: 'Record the ref',
    run: 'set -euo pipefail\necho "ref=$REF_NAME" >> "$GITHUB_OUTPUT"',
    env: { REF_NAME: '${{ github.ref_name }}' },
  },
  'step-summary': {
    name: 'Write to the job summary',
    run: 'set -euo pipefail\n{\n  echo "### $TITLE"\n  echo "Commit: $GITHUB_SHA"\n} >> "$GITHUB_STEP_SUMMARY"',
    env: { TITLE: 'Release notes' },
  },
  'gh-api': {
    name: 'Look up the default branch',
    run: 'set -euo pipefail\ngh api "repos/$GITHUB_REPOSITORY" --jq .default_branch',
    env: { GH_TOKEN: '${{ github.token }}' },
    readsContents: true,
  },
  'gh-releases': {
    name: 'List recent releases',
    run: 'set -euo pipefail\ngh release list --limit 5 --repo "$GITHUB_REPOSITORY"',
    env: { GH_TOKEN: '${{ github.token }}' },
    readsContents: true,
  },
  'message-file': {
    name: 'Keep a note of the run',
    run: 'set -euo pipefail\nmkdir -p "$RUNNER_TEMP/notes"\nprintf \'%s\\n\' "$MESSAGE" > "$RUNNER_TEMP/notes/message.txt"',
    env: { MESSAGE: '${{ github.event_name }} by ${{ github.actor }}' },
  },
  'hash-files': {
    name: 'Hash the files',
    run: 'set -euo pipefail\nshopt -s nullglob\nfor f in "$FILES_DIR"/*; do\n  sha256sum -- "$f"\ndone',
    env: { FILES_DIR: 'dist' },
  },
  'python-version': {
    name: 'Show the Python version',
    run: 'set -euo pipefail\npython3 --version\npython3 -c \'import sys; print(sys.platform)\'',
  },
  'log-level': {
    name: 'Set the log level',
    run: 'set -euo pipefail\ncase "$LEVEL" in\n  debug) set -x ;;\n  *) echo "level: $LEVEL" ;;\nesac',
    env: { LEVEL: 'info' },
  },
  'dispatch-only': {
    name: 'Note a manual run',
    run: 'set -euo pipefail\necho "started by hand by $ACTOR"',
    env: { ACTOR: '${{ github.actor }}' },
    if: "github.event_name == 'workflow_dispatch'",
  },
  'trusted-env': {
    name: 'Fix the time zone',
    run: 'set -euo pipefail\necho "TZ=UTC" >> "$GITHUB_ENV"',
  },
  'upload-logs': {
    name: 'Keep the logs',
    uses: ActionPins.UPLOAD_ARTIFACT.ref,
    with: { 'path': 'logs/*.txt', 'if-no-files-found': 'ignore', 'retention-days': 5 },
  },
  'checkout': {
    name: 'Check out again',
    uses: ActionPins.CHECKOUT.ref,
    with: { 'persist-credentials': false, 'fetch-depth': 1 },
    readsContents: true,
  },
  'setup-python': {
    name: 'Set up another Python',
    uses: ActionPins.SETUP_PYTHON.ref,
    with: { 'python-version': '3.13' },
  },
};

/** Command overrides per toolchain command. */
export const COMMANDS: Record<string, string[]> = {
  install: ['uv sync --locked --all-extras', 'poetry install --no-interaction --with dev', 'python -m pip install -e ".[dev,test]"', 'make install'],
  lint: ['ruff check .', 'pre-commit run --all-files', 'make lint', 'ruff check .\nruff format --check .'],
  typeCheck: ['mypy --strict src', 'pyright', 'make type-check'],
  securityCheck: ['pip-audit --strict', 'bandit -q -r src', 'make security'],
  test: ['pytest -q --cov --cov-report=xml', 'make test', 'tox -e py312 -- --cov-report=xml'],
  buildDistributions: ['python -m build --sdist --wheel', 'make dist', 'uv build --no-sources --out-dir dist'],
  setVersion: ['hatch version "$VERSION"', 'poetry version "$VERSION"', 'sed -i "s/^version = .*/version = \\"$VERSION\\"/" pyproject.toml'],
};

export const SETUP_STEPS: Record<string, SetupStepSpec> = {
  'python': { id: 'setup-python', name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.12' } },
  'python-cached': { id: 'setup-python', name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.12', 'cache': 'pip' } },
  'uv': { id: 'setup-uv', name: 'Set up uv', uses: ActionPins.SETUP_UV.ref, with: { 'version': '0.12.5', 'enable-cache': false } },
  'uv-cached': { id: 'setup-uv', name: 'Set up uv', uses: ActionPins.SETUP_UV.ref, with: { 'version': '0.12.5', 'enable-cache': true } },
  'pip-tools': { id: 'install-tools', name: 'Install the build tools', run: 'python -m pip install "build==1.2.2" "twine==6.1.0"' },
  'requirements': { id: 'install-deps', name: 'Install the dependencies', run: 'python -m pip install -r requirements-dev.txt' },
};

const DIST_NAMES = ['example-pkg', 'my_pkg', 'Acme.Tools', 'x', 'fancy-lib2'];
export const CHECKS = Object.values(QualityCheck) as string[];
export const PYTHONS = ['3.9', '3.10', '3.11', '3.12', '3.13', 'pypy3.10'];
export const RUNNERS: string[][] = [['ubuntu-24.04'], ['ubuntu-22.04'], ['ubuntu-latest'], ['self-hosted', 'linux', 'x64']];
export const SECRET_NAMES = ['RELEASE_PAT', 'MY_TOKEN', 'BOT_PAT_2', 'release_token'];
export const REVIEWERS = ['octocat', 'hubot', 'my-org/release-managers', 'acme/maintainers', 'Mona-Lisa', 'a'];

export const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A secret name GitHub accepts: a realistic one, or a random one. */
export function secretNameArb(...usual: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...usual),
    fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,30}$/).filter((n) => !n.startsWith('GITHUB_')),
  );
}

/** A distribution name: a realistic one, or a random valid one starting with a letter. */
export const distNameArb = fc.oneof(fc.constantFrom(...DIST_NAMES), fc.stringMatching(/^[A-Za-z]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/));

/** A tag prefix: a realistic one, or a random one (not ending in a digit, which would run into the version). */
export const tagPrefixArb = fc.oneof(fc.constantFrom('v', 'release-', 'rel/v', 'py-v'), fc.stringMatching(/^[a-z][a-z0-9._/-]{0,6}[a-z_-]$/).filter((p) => !p.includes('//')));
