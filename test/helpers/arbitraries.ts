import * as fc from 'fast-check';
import { Project } from 'projen';
import {
  ActionPin,
  ActionPins,
  DeploymentPolicy,
  Environment,
  EnvironmentOptions,
  Job,
  Permission,
  PipelineWorkflow,
  PublishAuth,
  PublishEnvironments,
  PypiPublishPipeline,
  PypiPublishPipelineOptions,
  PythonReleasePipeline,
  PythonReleasePipelineOptions,
  PythonToolchain,
  QualityCheck,
  ReleaseCredentials,
  StepOptions,
  TestPypiPolicy,
  ToolchainStep,
  VersionScheme,
  VersionStrategy,
} from '../../src';

/**
 * fast-check generators of whole project configurations (one or two packages, each with a
 * release pipeline and usually a publish pipeline, plus user edits through the public API), as
 * plain data that prints readably when a property fails, and `buildProject()` that turns one
 * into a projen project. `invalidProjectArb` breaks exactly one option of a valid configuration.
 */

// ------------------------------------------------------------------------------------------
// Specs: plain data describing a configuration.

/** A toolchain setup step (custom toolchains). */
export interface SetupStepSpec {
  readonly id: string;
  readonly name: string;
  readonly uses?: string;
  readonly with?: Record<string, string | boolean | number>;
  readonly run?: string;
}

export interface ToolchainSpec {
  readonly kind: 'pixi' | 'uv' | 'hatch' | 'poetry' | 'pip' | 'custom';
  readonly commands: Record<string, string | undefined>;
  readonly skip: string[];
  readonly pixiVersion?: string;
  readonly environments?: string;
  readonly uvVersion?: string;
  readonly pythonVersion?: string;
  readonly toolVersion?: string;
  readonly customName?: string;
  readonly checkSetup?: SetupStepSpec[];
  readonly releaseSetup?: SetupStepSpec[];
}

export interface CredentialsSpec {
  readonly kind: 'pat' | 'app';
  readonly secretName?: string;
  readonly appIdSecret?: string;
  readonly privateKeySecret?: string;
}

export interface EnvironmentSpec {
  readonly name: string;
  readonly url?: string;
  readonly reviewers: string[];
  readonly preventSelfReview?: boolean;
  readonly waitTimerMinutes?: number;
  /** `release-tags`, `tags:<p1>,<p2>`, `any`, or an invalid pattern for the invalid generator. */
  readonly policy: string;
  readonly secrets: string[];
  readonly variables: string[];
}

export interface ReleaseSpec {
  readonly toolchain: ToolchainSpec;
  readonly versionScheme: 'pep440' | 'semver';
  readonly allowVPrefix?: boolean;
  readonly versionStrategy: 'pyproject' | 'fromTag' | 'verifyOnly';
  readonly distributionName?: string;
  readonly packageDir?: string;
  readonly tagPrefix?: string;
  readonly releaseBranch?: string;
  readonly credentials?: CredentialsSpec;
  readonly changelogFile?: string;
  readonly changelogConfigFile?: string;
  readonly coverageReport?: string;
  readonly pythonVersions?: string[];
  readonly workflowName?: string;
  readonly fileName?: string;
  readonly runsOn?: string[];
  readonly gitIdentity?: { name: string; email: string };
  readonly releaseTools?: { twine?: string; gitCliff?: string };
}

export interface PublishSpec {
  readonly auth: 'trusted' | 'tokens';
  readonly testPypiSecret?: string;
  readonly pypiSecret?: string;
  readonly testPypi: 'always' | 'keepPrereleasesOnTestPypi' | 'skip';
  readonly environments: 'shared' | 'separate';
  readonly pypiEnvironment?: EnvironmentSpec;
  readonly testPypiEnvironment?: EnvironmentSpec;
  readonly importName?: string;
  readonly smokeCommand?: string;
  readonly pythonVersion?: string;
  readonly testPypiWaitMinutes?: number;
  readonly twineVersion?: string;
  readonly workflowName?: string;
  readonly fileName?: string;
  readonly runsOn?: string[];
}

/** A user step: one of `STEP_SNIPPETS`, or a raw step (the invalid generator). */
export interface StepSpec {
  readonly snippet: string;
  readonly raw?: { name: string; run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
}

/** One edit through the public API. `job`/`anchor` pick by index, modulo what there is. */
export type EditSpec =
  | { readonly op: 'addStep'; readonly job: number; readonly step: StepSpec; readonly id?: string }
  | { readonly op: 'insertStepBefore' | 'insertStepAfter' | 'replaceStep'; readonly job: number; readonly anchor: number; readonly step: StepSpec; readonly id?: string; readonly anchorId?: string }
  | { readonly op: 'removeStep'; readonly job: number; readonly anchor: number }
  | { readonly op: 'addJob'; readonly id: string; readonly name: string; readonly needs: number[]; readonly gate: boolean; readonly if?: string; readonly concurrencyGroup?: string; readonly timeoutMinutes?: number; readonly runsOn?: string[]; readonly steps: StepSpec[] };

export interface PackageSpec {
  readonly release: ReleaseSpec;
  readonly publish?: PublishSpec;
  readonly releaseEdits: EditSpec[];
  readonly publishEdits: EditSpec[];
}

export interface ProjectSpec {
  readonly packages: PackageSpec[];
  /** Actions re-pinned with `PipelineWorkflow.pinAction` (name, sha, version). */
  readonly pins: Array<{ name: string; sha: string; version: string }>;
}

// ------------------------------------------------------------------------------------------
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
const COMMANDS: Record<string, string[]> = {
  install: ['uv sync --locked --all-extras', 'poetry install --no-interaction --with dev', 'python -m pip install -e ".[dev,test]"', 'make install'],
  lint: ['ruff check .', 'pre-commit run --all-files', 'make lint', 'ruff check .\nruff format --check .'],
  typeCheck: ['mypy --strict src', 'pyright', 'make type-check'],
  securityCheck: ['pip-audit --strict', 'bandit -q -r src', 'make security'],
  test: ['pytest -q --cov --cov-report=xml', 'make test', 'tox -e py312 -- --cov-report=xml'],
  buildDistributions: ['python -m build --sdist --wheel', 'make dist', 'uv build --no-sources --out-dir dist'],
  setVersion: ['hatch version "$VERSION"', 'poetry version "$VERSION"', 'sed -i "s/^version = .*/version = \\"$VERSION\\"/" pyproject.toml'],
};

const SETUP_STEPS: Record<string, SetupStepSpec> = {
  'python': { id: 'setup-python', name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.12' } },
  'python-cached': { id: 'setup-python', name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.12', 'cache': 'pip' } },
  'uv': { id: 'setup-uv', name: 'Set up uv', uses: ActionPins.SETUP_UV.ref, with: { 'version': '0.12.5', 'enable-cache': false } },
  'uv-cached': { id: 'setup-uv', name: 'Set up uv', uses: ActionPins.SETUP_UV.ref, with: { 'version': '0.12.5', 'enable-cache': true } },
  'pip-tools': { id: 'install-tools', name: 'Install the build tools', run: 'python -m pip install "build==1.2.2" "twine==6.1.0"' },
  'requirements': { id: 'install-deps', name: 'Install the dependencies', run: 'python -m pip install -r requirements-dev.txt' },
};

const DIST_NAMES = ['example-pkg', 'my_pkg', 'Acme.Tools', 'x', 'fancy-lib2'];
const CHECKS = Object.values(QualityCheck) as string[];
const PYTHONS = ['3.9', '3.10', '3.11', '3.12', '3.13', 'pypy3.10'];
const RUNNERS: string[][] = [['ubuntu-24.04'], ['ubuntu-22.04'], ['ubuntu-latest'], ['self-hosted', 'linux', 'x64']];
const SECRET_NAMES = ['RELEASE_PAT', 'MY_TOKEN', 'BOT_PAT_2', 'release_token'];
const REVIEWERS = ['octocat', 'hubot', 'my-org/release-managers', 'acme/maintainers', 'Mona-Lisa', 'a'];

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A secret name GitHub accepts: a realistic one, or a random one. */
function secretNameArb(...usual: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...usual),
    fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,30}$/).filter((n) => !n.startsWith('GITHUB_')),
  );
}

/** A distribution name: a realistic one, or a random valid one starting with a letter. */
const distNameArb = fc.oneof(fc.constantFrom(...DIST_NAMES), fc.stringMatching(/^[A-Za-z]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/));

/** A tag prefix: a realistic one, or a random one (not ending in a digit, which would run into the version). */
const tagPrefixArb = fc.oneof(fc.constantFrom('v', 'release-', 'rel/v', 'py-v'), fc.stringMatching(/^[a-z][a-z0-9._/-]{0,6}[a-z_-]$/).filter((p) => !p.includes('//')));

// ------------------------------------------------------------------------------------------
// Valid generators.

function commandsArb(keys: string[]): fc.Arbitrary<Record<string, string | undefined>> {
  return fc.record(Object.fromEntries(keys.map((k) => [k, opt(fc.constantFrom(...COMMANDS[k]))])));
}

const toolchainArb: fc.Arbitrary<ToolchainSpec> = fc.oneof(
  fc.record({
    kind: fc.constant<'pixi'>('pixi'),
    commands: commandsArb(['lint', 'typeCheck', 'securityCheck', 'test', 'buildDistributions', 'setVersion']),
    skip: fc.subarray(CHECKS),
    pixiVersion: opt(fc.constantFrom('v0.66.0', 'v0.50.2')),
    environments: opt(fc.constantFrom('default', 'default lint')),
  }),
  fc.record({
    kind: fc.constant<'uv'>('uv'),
    commands: commandsArb(Object.keys(COMMANDS)),
    skip: fc.subarray(CHECKS),
    uvVersion: opt(fc.constantFrom('0.12.5', '0.9.0')),
    pythonVersion: opt(fc.constantFrom('3.12', '3.13')),
  }),
  fc.record({
    kind: fc.constantFrom<'hatch' | 'poetry' | 'pip'>('hatch', 'poetry', 'pip'),
    commands: commandsArb(Object.keys(COMMANDS)),
    skip: fc.subarray(CHECKS),
    pythonVersion: opt(fc.constantFrom('3.11', '3.12', 'pypy3.10')),
    toolVersion: opt(fc.constantFrom('1.18.0', '2.1.3', '1.5.1')),
  }),
  fc.record({
    kind: fc.constant<'custom'>('custom'),
    commands: fc.record({
      install: opt(fc.constantFrom(...COMMANDS.install)),
      lint: opt(fc.constantFrom(...COMMANDS.lint)),
      test: opt(fc.constantFrom(...COMMANDS.test)),
      buildDistributions: fc.constantFrom(...COMMANDS.buildDistributions),
    }),
    skip: fc.subarray(CHECKS),
    customName: fc.constantFrom('make', 'tox', 'in-house'),
    checkSetup: fc.subarray(['python', 'python-cached', 'uv', 'uv-cached', 'pip-tools', 'requirements'], { minLength: 1 })
      .filter((keys) => new Set(keys.map((k) => SETUP_STEPS[k].id)).size === keys.length)
      .map((keys) => keys.map((k) => SETUP_STEPS[k])),
    releaseSetup: opt(fc.subarray(['python', 'uv', 'pip-tools'], { minLength: 1 }).map((keys) => keys.map((k) => SETUP_STEPS[k]))),
  }).map((t) => {
    // A caching check setup needs a release setup of its own (the toolchain refuses otherwise).
    const caches = t.checkSetup.some((s) => s.with?.cache || s.with?.['enable-cache'] === true);
    return caches && !t.releaseSetup ? { ...t, releaseSetup: [SETUP_STEPS.python] } : t;
  }),
);

const credentialsArb: fc.Arbitrary<CredentialsSpec | undefined> = opt(fc.oneof(
  fc.record({ kind: fc.constant<'pat'>('pat'), secretName: opt(secretNameArb(...SECRET_NAMES)) }),
  fc.record({
    kind: fc.constant<'app'>('app'),
    appIdSecret: opt(secretNameArb('RELEASE_APP_ID', 'BOT_APP_ID')),
    privateKeySecret: opt(secretNameArb('RELEASE_APP_PRIVATE_KEY', 'BOT_APP_KEY')),
  }),
));

function releaseArb(pkg: { dist?: string; packageDir?: string; index: number }): fc.Arbitrary<ReleaseSpec> {
  return fc.record({
    toolchain: toolchainArb,
    versionScheme: fc.constantFrom<'pep440' | 'semver'>('pep440', 'semver'),
    allowVPrefix: opt(fc.boolean()),
    versionStrategy: fc.constantFrom<'pyproject' | 'fromTag' | 'verifyOnly'>('pyproject', 'fromTag', 'verifyOnly'),
    distributionName: pkg.dist === undefined ? opt(distNameArb) : fc.constant(pkg.dist),
    packageDir: fc.constant(pkg.packageDir),
    tagPrefix: pkg.index === 0 ? opt(tagPrefixArb) : fc.constant(undefined),
    releaseBranch: opt(fc.constantFrom('main', 'trunk', 'release/1.x', 'develop')),
    credentials: credentialsArb,
    changelogFile: opt(fc.constantFrom('CHANGELOG.md', 'docs/changes.md', 'HISTORY.md')),
    changelogConfigFile: pkg.index === 0 ? opt(fc.constantFrom('cliff.toml', '.github/cliff.toml')) : fc.constant(undefined),
    coverageReport: opt(fc.constantFrom('coverage.xml', 'reports/coverage.xml')),
    pythonVersions: opt(fc.subarray(PYTHONS, { minLength: 1 })),
    // (two workflows of one project cannot share a name)
    workflowName: opt(fc.constantFrom(...(pkg.index === 0 ? ['Release', 'Ship it'] : []), `Release package ${pkg.index + 1}`)),
    fileName: opt(fc.constantFrom(`release-${pkg.index}.yml`, `make-release-${pkg.index}.yaml`)),
    runsOn: opt(fc.constantFrom(...RUNNERS)),
    gitIdentity: opt(fc.constant({ name: 'Release Bot', email: 'release-bot@example.com' })),
    releaseTools: opt(fc.record({ twine: opt(fc.constantFrom('6.1.0', '7.0.0')), gitCliff: opt(fc.constantFrom('2.8.0', '2.14.2')) })),
  }).map((r) => {
    // pixi and custom toolchains take Python from elsewhere: no matrix (they refuse one); and a
    // matrix only applies to the test job.
    const noMatrix = r.toolchain.kind === 'pixi' || r.toolchain.kind === 'custom' || r.toolchain.skip.includes('test');
    return noMatrix ? { ...r, pythonVersions: undefined } : r;
  });
}

function environmentArb(name: string, tagPrefix: string): fc.Arbitrary<EnvironmentSpec> {
  return fc.record({
    name: fc.constant(name),
    url: opt(fc.constantFrom(`https://pypi.org/p/${name}`, 'https://example.com/deployments')),
    reviewers: fc.subarray(REVIEWERS, { maxLength: 6 }),
    preventSelfReview: opt(fc.boolean()),
    waitTimerMinutes: opt(fc.oneof(fc.constantFrom(0, 43200), fc.integer({ min: 0, max: 43200 }))),
    policy: fc.constantFrom('release-tags', `tags:${tagPrefix}*`, `tags:${tagPrefix}*,hotfix-*`, 'any'),
    secrets: fc.subarray(['PYPI_API_TOKEN', 'TEST_PYPI_API_TOKEN', 'EXTRA_SECRET']),
    variables: fc.subarray(['PYPI_PROJECT', 'NOTIFY_CHANNEL']),
  }).map((e) => (e.reviewers.length === 0 && e.preventSelfReview ? { ...e, preventSelfReview: undefined } : e));
}

function publishArb(index: number, envPrefix: string, tagPrefix: string): fc.Arbitrary<PublishSpec> {
  return fc.record({
    auth: fc.constantFrom<'trusted' | 'tokens'>('trusted', 'tokens'),
    testPypiSecret: opt(secretNameArb('TEST_PYPI_API_TOKEN', 'TESTPYPI_TOKEN')),
    pypiSecret: opt(secretNameArb('PYPI_API_TOKEN', 'PYPI_TOKEN')),
    testPypi: fc.constantFrom<'always' | 'keepPrereleasesOnTestPypi' | 'skip'>('always', 'keepPrereleasesOnTestPypi', 'skip'),
    environments: fc.constantFrom<'shared' | 'separate'>('shared', 'separate'),
    pypiEnvironment: opt(environmentArb(`${envPrefix}pypi-own`, tagPrefix)),
    testPypiEnvironment: opt(environmentArb(`${envPrefix}testpypi-own`, tagPrefix)),
    importName: fc.constant(undefined),
    smokeCommand: opt(fc.constantFrom('python -c "import sys; print(sys.version)"', 'example-cli --version', 'python -m pip check')),
    pythonVersion: opt(fc.constantFrom('3.11', '3.13')),
    testPypiWaitMinutes: opt(fc.integer({ min: 1, max: 120 })),
    twineVersion: opt(fc.constantFrom('6.1.0', '7.0.0')),
    workflowName: opt(fc.constantFrom(...(index === 0 ? ['Publish'] : []), `Publish package ${index + 1}`)),
    fileName: opt(fc.constantFrom(`publish-${index}.yml`, `upload-${index}.yaml`)),
    runsOn: opt(fc.constantFrom<string[]>(['ubuntu-24.04'], ['ubuntu-22.04'])),
  }).map((p) => {
    // A TestPyPI environment only when TestPyPI is used and the environments are separate.
    const testPypiEnvironment = p.testPypi !== 'skip' && p.environments === 'separate' ? p.testPypiEnvironment : undefined;
    // A smoke command only with the install test, which TestPypiPolicy.skip() leaves out.
    const smokeCommand = p.testPypi !== 'skip' ? p.smokeCommand : undefined;
    return { ...p, testPypiEnvironment, smokeCommand };
  });
}

const stepSpecArb: fc.Arbitrary<StepSpec> = fc.constantFrom(...Object.keys(STEP_SNIPPETS)).map((snippet) => ({ snippet }));

const editArb: fc.Arbitrary<EditSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant<'addStep'>('addStep'), job: fc.nat(20), step: stepSpecArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom<'insertStepBefore' | 'insertStepAfter' | 'replaceStep'>('insertStepBefore', 'insertStepAfter', 'replaceStep'), job: fc.nat(20), anchor: fc.nat(30), step: stepSpecArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<'removeStep'>('removeStep'), job: fc.nat(20), anchor: fc.nat(30) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant<'addJob'>('addJob'),
      id: fc.constantFrom('docs', 'notify', 'sbom', 'extra-check'),
      name: fc.constantFrom('Build the docs', 'Notify', 'Software bill of materials', 'Extra check'),
      needs: fc.array(fc.nat(20), { maxLength: 3 }),
      gate: fc.boolean(),
      if: opt(fc.constantFrom('always()', "github.event_name == 'workflow_dispatch'", '${{ !cancelled() }}')),
      concurrencyGroup: opt(fc.constantFrom('docs', 'notify-${{ github.ref }}')),
      timeoutMinutes: opt(fc.integer({ min: 1, max: 360 })),
      runsOn: opt(fc.constantFrom(...RUNNERS)),
      steps: fc.array(stepSpecArb, { minLength: 1, maxLength: 3 }),
    }),
  },
);

const pinsArb = fc.subarray(ActionPins.all().map((p) => p.name)).chain((names) => fc.tuple(
  ...names.map((name) => fc.record({
    name: fc.constant(name),
    sha: fc.stringMatching(/^[0-9a-f]{40}$/),
    // (a PyPI publish action below v1.13.0 has a known advisory: not a valid choice)
    version: name === ActionPins.PYPI_PUBLISH.name
      ? fc.tuple(fc.integer({ min: 13, max: 30 }), fc.nat(9)).map(([b, c]) => `v1.${b}.${c}`)
      : fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `v${a}.${b}.${c}`),
  })),
));

function packageArb(index: number, monorepo: boolean, dist?: string): fc.Arbitrary<PackageSpec> {
  const packageDir = monorepo ? fc.constantFrom(`packages/${dist}`, `libs/${dist}/`, `./packages/${dist}`) : opt(fc.constant('.'));
  return packageDir.chain((dir) => releaseArb({ dist, packageDir: dir, index }).chain((release) => {
    const settingsDist = release.distributionName ?? (monorepo ? dist! : 'example-pkg');
    const tagPrefix = release.tagPrefix ?? (monorepo ? `${settingsDist}-v` : 'v');
    return fc.record({
      release: fc.constant(release),
      publish: fc.option(publishArb(index, monorepo ? `${dist}-` : '', tagPrefix), { nil: undefined, freq: 4 }),
      releaseEdits: fc.array(editArb, { maxLength: 5 }),
      publishEdits: fc.array(editArb, { maxLength: 4 }),
    });
  }));
}

/** A valid project: one package at the root, or two in a monorepo. */
export const projectArb: fc.Arbitrary<ProjectSpec> = fc.record({
  packages: fc.oneof(
    { weight: 3, arbitrary: packageArb(0, false).map((p) => [p]) },
    { weight: 1, arbitrary: fc.tuple(packageArb(0, true, 'alpha-lib'), packageArb(1, true, 'beta_tools')) },
    { weight: 1, arbitrary: packageArb(0, true, 'solo').map((p) => [p]) },
  ),
  pins: pinsArb,
});

// ------------------------------------------------------------------------------------------
// Building a project from a spec.

/** A projen project as the spec says, not yet synthesized. */
export function buildProject(spec: ProjectSpec, project: Project): { release: PythonReleasePipeline[]; publish: PypiPublishPipeline[] } {
  const release: PythonReleasePipeline[] = [];
  const publish: PypiPublishPipeline[] = [];
  spec.packages.forEach((pkg, i) => {
    const r = new PythonReleasePipeline(project, releaseOptions(pkg.release));
    release.push(r);
    if (pkg.publish) {
      const p = new PypiPublishPipeline(project, publishOptions(project, pkg.release, pkg.publish, r, i));
      publish.push(p);
      applyEdits(p, pkg.publishEdits, 'p');
    }
    applyEdits(r, pkg.releaseEdits, 'r');
  });
  for (const pin of spec.pins) PipelineWorkflow.pinAction(project, ActionPin.of(pin.name, pin.sha, pin.version));
  return { release, publish };
}

function toolchainOf(t: ToolchainSpec): PythonToolchain {
  const base = { commands: t.commands as any, skip: t.skip as QualityCheck[] };
  switch (t.kind) {
    case 'pixi': return PythonToolchain.pixi({ ...base, pixiVersion: t.pixiVersion, environments: t.environments });
    case 'uv': return PythonToolchain.uv({ ...base, uvVersion: t.uvVersion, pythonVersion: t.pythonVersion });
    case 'hatch': return PythonToolchain.hatch({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'poetry': return PythonToolchain.poetry({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'pip': return PythonToolchain.pip({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'custom': return PythonToolchain.custom({
      ...base,
      name: t.customName!,
      checkSetup: (t.checkSetup ?? []).map(toolchainStep),
      releaseSetup: t.releaseSetup?.map(toolchainStep),
    });
  }
}

function toolchainStep(s: SetupStepSpec): ToolchainStep {
  return { id: s.id, step: { name: s.name, uses: s.uses, with: s.with, run: s.run } };
}

function credentialsOf(c: CredentialsSpec | undefined): ReleaseCredentials | undefined {
  if (!c) return undefined;
  return c.kind === 'pat'
    ? ReleaseCredentials.personalAccessToken(c.secretName)
    : ReleaseCredentials.githubApp({ appIdSecret: c.appIdSecret, privateKeySecret: c.privateKeySecret });
}

function releaseOptions(r: ReleaseSpec): PythonReleasePipelineOptions {
  const scheme = { allowVPrefix: r.allowVPrefix };
  return {
    toolchain: toolchainOf(r.toolchain),
    versionScheme: r.versionScheme === 'semver' ? VersionScheme.semver(scheme) : VersionScheme.pep440(scheme),
    versionStrategy: r.versionStrategy === 'fromTag' ? VersionStrategy.fromTag()
      : r.versionStrategy === 'verifyOnly' ? VersionStrategy.verifyOnly() : VersionStrategy.pyproject(),
    distributionName: r.distributionName,
    packageDir: r.packageDir,
    tagPrefix: r.tagPrefix,
    releaseBranch: r.releaseBranch,
    credentials: credentialsOf(r.credentials),
    changelog: r.changelogFile || r.changelogConfigFile ? { file: r.changelogFile, configFile: r.changelogConfigFile } : undefined,
    coverageReport: r.coverageReport,
    pythonVersions: r.pythonVersions,
    workflowName: r.workflowName,
    fileName: r.fileName,
    runsOn: r.runsOn,
    gitIdentity: r.gitIdentity,
    releaseTools: r.releaseTools,
  };
}

function environmentOf(project: Project, id: string, e: EnvironmentSpec, tagPrefix: string): Environment {
  let policy: DeploymentPolicy;
  if (e.policy === 'any') policy = DeploymentPolicy.anyRef();
  else if (e.policy === 'release-tags') policy = DeploymentPolicy.releaseTags(tagPrefix);
  else policy = DeploymentPolicy.tags(...e.policy.replace(/^tags:/, '').split(',').filter((x, i) => x || i === 0));
  const options: EnvironmentOptions = {
    name: e.name,
    url: e.url,
    reviewers: e.reviewers,
    preventSelfReview: e.preventSelfReview,
    waitTimerMinutes: e.waitTimerMinutes,
    deploymentPolicy: policy,
    secrets: e.secrets,
    variables: e.variables,
  };
  return new Environment(project, id, options);
}

function publishOptions(project: Project, r: ReleaseSpec, p: PublishSpec, release: PythonReleasePipeline, i: number): PypiPublishPipelineOptions {
  // a publishing environment admits this package's tags (a wrong policy is refused at synth)
  const prefix = release.settings.tagPrefix;
  const pypi = p.pypiEnvironment ? environmentOf(project, `PypiEnv${i}`, p.pypiEnvironment, prefix) : undefined;
  const testPypi = p.testPypiEnvironment ? environmentOf(project, `TestPypiEnv${i}`, p.testPypiEnvironment, prefix) : undefined;
  return {
    // The same package as the release pipeline, as a user would configure it.
    distributionName: release.settings.distributionName,
    packageDir: r.packageDir,
    tagPrefix: r.tagPrefix,
    releaseWorkflowFile: release.fileName,
    releaseBranch: release.releaseBranch,
    versionScheme: r.versionScheme === 'semver' ? VersionScheme.semver() : VersionScheme.pep440(),
    auth: p.auth === 'trusted' ? PublishAuth.trustedPublishing() : PublishAuth.apiTokens({ testPypiSecret: p.testPypiSecret, pypiSecret: p.pypiSecret }),
    testPypi: p.testPypi === 'skip' ? TestPypiPolicy.skip()
      : p.testPypi === 'keepPrereleasesOnTestPypi' ? TestPypiPolicy.keepPrereleasesOnTestPypi() : TestPypiPolicy.always(),
    environments: p.environments === 'shared' ? PublishEnvironments.shared({ pypi }) : PublishEnvironments.separate({ pypi, testPypi }),
    importName: p.importName,
    smokeCommand: p.smokeCommand,
    pythonVersion: p.pythonVersion,
    testPypiWaitMinutes: p.testPypiWaitMinutes,
    twineVersion: p.twineVersion,
    workflowName: p.workflowName,
    fileName: p.fileName,
    runsOn: p.runsOn,
  };
}

/** Whether a job calls the PyPI publish action (user steps stay out of those jobs). */
function isPublishingJob(job: Job): boolean {
  return job.steps.some((s) => s.options.uses?.startsWith(`${ActionPins.PYPI_PUBLISH.name}@`));
}

/** Step ids the job's steps or outputs read (`steps.<id>.`): removing those would break them. */
function referencedSteps(job: Job): string[] {
  const text = JSON.stringify([job.steps.map((s) => s.options), job.render().outputs ?? {}]);
  return [...text.matchAll(/steps\.([A-Za-z_][\w-]*)\.|"stepId":"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
}

/** The step options of a user step spec; `${{ }}` only in `env`. */
export function stepOptions(spec: StepSpec, id: string): StepOptions {
  if (spec.raw) return spec.raw as StepOptions;
  const s = STEP_SNIPPETS[spec.snippet];
  return {
    name: s.name,
    run: s.run,
    uses: s.uses,
    with: s.uses === ActionPins.UPLOAD_ARTIFACT.ref ? { ...s.with, name: `logs-${id}` } : s.with,
    env: s.env,
    if: s.if,
    permissions: s.readsContents ? [Permission.read('contents')] : undefined,
  };
}

/** Applies user edits through the public API (Job.addStep & co, PipelineWorkflow.addJob). */
export function applyEdits(pipeline: PipelineWorkflow, edits: EditSpec[], prefix: string): void {
  edits.forEach((edit, i) => {
    const id = `${prefix}${i}-user`;
    // jobs that hold a secret (publishing, release) take no user steps: those run no project code
    const jobs = pipeline.jobs.filter((j) => !isPublishingJob(j) && !j.environment);
    if (edit.op === 'addJob') {
      if (pipeline.tryFindJob(edit.id)) return;
      const all = pipeline.jobs;
      const needs = [...new Set(edit.needs.map((n) => all[n % all.length]))];
      const job = pipeline.addJob(edit.id, {
        name: edit.name,
        needs,
        if: edit.if,
        concurrencyGroup: edit.concurrencyGroup,
        timeoutMinutes: edit.timeoutMinutes,
        runsOn: edit.runsOn,
      });
      edit.steps.forEach((s, k) => job.addStep(`${id}-${k}`, stepOptions(s, `${id}-${k}`)));
      if (edit.gate) {
        const last = pipeline.jobs.filter((j) => j !== job && !needs.includes(j) && !isPublishingJob(j)).pop();
        // Only gate a job that does not (transitively) lead to this one: keep the graph acyclic.
        if (last && !dependsOn(job, last)) last.addNeeds(job);
      }
      return;
    }
    const job = jobs[edit.job % jobs.length];
    if (edit.op === 'addStep') {
      job.addStep(edit.id ?? id, stepOptions(edit.step, edit.id ?? id));
      return;
    }
    const anchor = ('anchorId' in edit ? edit.anchorId : undefined) ?? job.steps[edit.anchor % job.steps.length].stepId;
    switch (edit.op) {
      case 'insertStepBefore': job.insertStepBefore(anchor, edit.id ?? id, stepOptions(edit.step, edit.id ?? id)); break;
      case 'insertStepAfter': job.insertStepAfter(anchor, edit.id ?? id, stepOptions(edit.step, edit.id ?? id)); break;
      case 'replaceStep':
        if (referencedSteps(job).includes(anchor)) return; // would leave a reader without its outputs
        job.replaceStep(anchor, stepOptions(edit.step, anchor));
        break;
      case 'removeStep':
        // a step the pipeline relies on is removed only with a replacement named (an invalid edit below)
        if (job.steps.length > 1 && !referencedSteps(job).includes(anchor) && !job.isStepProtected(anchor)) job.removeStep(anchor);
        break;
    }
  });
}

function dependsOn(job: Job, other: Job): boolean {
  return job.needs.some((n) => n === other || dependsOn(n, other));
}

// ------------------------------------------------------------------------------------------
// Invalid configurations: a valid one with exactly one option broken.

/** One broken option: `option` must appear in the error message. */
export interface Breaker {
  readonly option: string;
  readonly apply: (spec: ProjectSpec) => ProjectSpec;
  readonly describe: string;
}

function setRelease(spec: ProjectSpec, patch: Partial<ReleaseSpec>): ProjectSpec {
  const [first, ...rest] = spec.packages;
  return { ...spec, packages: [{ ...first, release: { ...first.release, ...patch } }, ...rest] };
}

function setToolchain(spec: ProjectSpec, patch: Partial<ToolchainSpec>): ProjectSpec {
  return setRelease(spec, { toolchain: { ...spec.packages[0].release.toolchain, ...patch } });
}

function setPublish(spec: ProjectSpec, patch: Partial<PublishSpec>): ProjectSpec {
  const [first, ...rest] = spec.packages;
  const publish: PublishSpec = { auth: 'trusted', testPypi: 'always', environments: 'shared', ...first.publish, ...patch };
  return { ...spec, packages: [{ ...first, publish }, ...rest] };
}

function addEdit(spec: ProjectSpec, edit: EditSpec, where: 'releaseEdits' | 'publishEdits' = 'releaseEdits'): ProjectSpec {
  const [first, ...rest] = spec.packages;
  return { ...spec, packages: [{ ...first, [where]: [...first[where], edit] }, ...rest] };
}

const envBase = (name: string): EnvironmentSpec => ({ name, reviewers: [], policy: 'release-tags', secrets: [], variables: [] });

function breaker(
  option: string | ((value: any) => string),
  values: fc.Arbitrary<any>,
  apply: (spec: ProjectSpec, value: any) => ProjectSpec,
): fc.Arbitrary<Breaker> {
  return values.map((value) => {
    const name = typeof option === 'string' ? option : option(value);
    return { option: name, describe: `${name} = ${JSON.stringify(value)}`, apply: (spec: ProjectSpec) => apply(spec, value) };
  });
}

/** Breakers the library refuses today, each naming the option in its error. */
export const BREAKERS: Array<fc.Arbitrary<Breaker>> = [
  breaker('tagPrefix', fc.constantFrom('', '-v', 'v v', 'v@', '.v'), (s, v) => setRelease(s, { tagPrefix: v })),
  breaker('releaseBranch', fc.constantFrom('a..b', '/main', 'main/', 'x.lock', 'has space', 'a//b'), (s, v) => setRelease(s, { releaseBranch: v })),
  breaker('distributionName', fc.constantFrom('-x', 'x-', 'a b', 'é', '_x_'), (s, v) => setRelease(s, { distributionName: v })),
  breaker('packageDir', fc.constantFrom('/abs', '../up', 'a/../b', 'a b'), (s, v) => setRelease(s, { packageDir: v })),
  breaker('pythonVersions', fc.constantFrom([], ['3 12'], ['${{ matrix.x }}']), (s, v) => setRelease(setToolchain(s, { kind: 'uv' }), { pythonVersions: v })),
  breaker('pythonVersions', fc.constantFrom('pixi', 'custom'), (s, kind) => setRelease(
    setToolchain(s, { kind, customName: 'make', checkSetup: [SETUP_STEPS.python], commands: { buildDistributions: 'make dist', test: 'make test' }, skip: [] }),
    { pythonVersions: ['3.12'] })),
  breaker('secretName', fc.constantFrom('bad-name', '1ABC', 'GITHUB_TOKEN', ''), (s, v) => setRelease(s, { credentials: { kind: 'pat', secretName: v } })),
  breaker('appIdSecret', fc.constantFrom('app id', 'GITHUB_APP'), (s, v) => setRelease(s, { credentials: { kind: 'app', appIdSecret: v } })),
  breaker('privateKeySecret', fc.constantFrom('key-1', '9KEY'), (s, v) => setRelease(s, { credentials: { kind: 'app', privateKeySecret: v } })),
  breaker((v) => `commands.${Object.keys(v)[0]}`, fc.constantFrom({ lnt: 'ruff' }, { lint: '' }, { test: 'pytest ${{ inputs.args }}' }, { buildDistributions: '   ' }), (s, v) => setToolchain(s, { kind: 'uv', commands: v })),
  breaker('skip', fc.constantFrom(['docs'], ['Lint']), (s, v) => setToolchain(s, { skip: v })),
  breaker('pixiVersion', fc.constantFrom('latest', '0.66.0', 'v1'), (s, v) => setToolchain(s, { kind: 'pixi', pixiVersion: v, commands: {}, skip: [] })),
  breaker('uvVersion', fc.constantFrom('latest', 'v0.5.0', '0.5'), (s, v) => setToolchain(s, { kind: 'uv', uvVersion: v, commands: {}, skip: [] })),
  breaker('toolVersion', fc.constantFrom('latest', '>=1.0', '1.0; rm -rf /'), (s, v) => setToolchain(s, { kind: 'hatch', toolVersion: v, commands: {}, skip: [] })),
  breaker('pythonVersion', fc.constantFrom('3 12', '-3.12', '${{ x }}'), (s, v) => setToolchain(s, { kind: 'poetry', pythonVersion: v, commands: {}, skip: [] })),
  breaker('buildDistributions', fc.constant(undefined), (s) => setToolchain(s, { kind: 'custom', customName: 'make', checkSetup: [SETUP_STEPS.python], commands: {}, skip: [] })),
  breaker('checkSetup', fc.constant(undefined), (s) => setToolchain(s, { kind: 'custom', customName: 'make', checkSetup: [], commands: { buildDistributions: 'make dist' }, skip: [] })),
  breaker('releaseSetup', fc.constant(undefined), (s) => setToolchain(s, { kind: 'custom', customName: 'make', checkSetup: [SETUP_STEPS.python], releaseSetup: [SETUP_STEPS['uv-cached']], commands: { buildDistributions: 'make dist' }, skip: [] })),
  breaker('checkSetup', fc.constant(undefined), (s) => setToolchain(s, { kind: 'custom', customName: 'make', checkSetup: [SETUP_STEPS['python-cached']], releaseSetup: undefined, commands: { buildDistributions: 'make dist' }, skip: [] })),
  breaker('fileName', fc.constantFrom('release', 'dir/release.yml', '.yml', 'release.json'), (s, v) => setRelease(s, { fileName: v })),
  breaker('fileName', fc.constant(undefined), (s) => {
    const [first] = s.packages;
    return { ...s, packages: [first, { ...first, releaseEdits: [], publishEdits: [], publish: undefined, release: { ...first.release, tagPrefix: 'other-v' } }] };
  }),
  breaker('tagPrefix', fc.constantFrom('v', 'pkg-v'), (s, prefix) => {
    // Two packages of a monorepo given the same tag prefix.
    const [first] = s.packages;
    const base = { ...first.release, tagPrefix: prefix, fileName: undefined, workflowName: undefined, changelogConfigFile: undefined };
    return {
      ...s,
      packages: [
        { ...first, releaseEdits: [], publishEdits: [], publish: undefined, release: { ...base, distributionName: 'one-pkg', packageDir: 'packages/one' } },
        { ...first, releaseEdits: [], publishEdits: [], publish: undefined, release: { ...base, distributionName: 'two-pkg', packageDir: 'packages/two' } },
      ],
    };
  }),
  breaker('"run"', fc.constantFrom('echo ${{ github.head_ref }}', 'gh release view "${{ inputs.version }}"'), (s, v) => addEdit(s, { op: 'addStep', job: 0, step: { snippet: 'raw', raw: { name: 'Injected', run: v } } })),
  breaker('a1-dup', fc.constant(undefined), (s) => addEdit(addEdit(s, { op: 'addStep', job: 0, id: 'a1-dup', step: { snippet: 'echo-env' } }), { op: 'addStep', job: 0, id: 'a1-dup', step: { snippet: 'echo-env' } })),
  breaker('no-such-step', fc.constantFrom<'insertStepBefore' | 'insertStepAfter' | 'replaceStep'>('insertStepBefore', 'insertStepAfter', 'replaceStep'), (s, op) => addEdit(s, { op, job: 0, anchor: 0, anchorId: 'no-such-step', step: { snippet: 'echo-env' } })),
  breaker('step id', fc.constantFrom('1st', 'has space', 'a.b'), (s, v) => addEdit(s, { op: 'addStep', job: 0, id: v, step: { snippet: 'echo-env' } })),
  breaker('"uses"', fc.constantFrom('actions/checkout', 'actions/checkout@'), (s, v) => addEdit(s, { op: 'addStep', job: 0, step: { snippet: 'raw', raw: { name: 'Bad action', uses: v } } })),
  breaker('timeoutMinutes', fc.constantFrom(0, 361, -5), (s, v) => addEdit(s, { op: 'addJob', id: 'broken-job', name: 'Docs', needs: [], gate: false, timeoutMinutes: v, steps: [{ snippet: 'echo-env' }] })),
  breaker('runsOn', fc.constant([]), (s, v) => addEdit(s, { op: 'addJob', id: 'broken-job', name: 'Docs', needs: [], gate: false, runsOn: v, steps: [{ snippet: 'echo-env' }] })),
  breaker('job id', fc.constantFrom('my job', '9lives', 'a.b'), (s, v) => addEdit(s, { op: 'addJob', id: v, name: 'Docs', needs: [], gate: false, steps: [{ snippet: 'echo-env' }] })),
  breaker('importName', fc.constantFrom('my-pkg', '1pkg', 'a..b'), (s, v) => setPublish(s, { importName: v })),
  breaker('smokeCommand', fc.constantFrom('', '  ', 'echo ${{ github.event.release.body }}'), (s, v) => setPublish(s, { smokeCommand: v })),
  breaker('pythonVersion', fc.constantFrom('3 12', '-3'), (s, v) => setPublish(s, { pythonVersion: v })),
  breaker('testPypiWaitMinutes', fc.constantFrom(0, 121, 2.5, -1), (s, v) => setPublish(s, { testPypiWaitMinutes: v })),
  breaker('twineVersion', fc.constantFrom('latest', '>=6', '7.0.0; echo'), (s, v) => setPublish(s, { twineVersion: v })),
  breaker('pypiSecret', fc.constantFrom('pypi-token', '0TOKEN', 'GITHUB_PYPI'), (s, v) => setPublish(s, { auth: 'tokens', pypiSecret: v })),
  breaker('testPypiSecret', fc.constantFrom('test pypi', '9X'), (s, v) => setPublish(s, { auth: 'tokens', testPypiSecret: v })),
  breaker('environments', fc.constant(undefined), (s) => setPublish(s, { testPypi: 'skip', smokeCommand: undefined, environments: 'separate', testPypiEnvironment: envBase('testpypi-own') })),
  breaker('reviewers', fc.constantFrom(['@octocat'], ['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['octocat', 'OctoCat'], ['org/Team'], ['-bad']), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), reviewers: v } })),
  breaker('waitTimerMinutes', fc.constantFrom(-1, 43201, 1.5), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), waitTimerMinutes: v } })),
  breaker('preventSelfReview', fc.constant(true), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), preventSelfReview: v } })),
  breaker('url', fc.constantFrom('http://pypi.org/p/x', 'pypi.org', 'https://'), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), url: v } })),
  breaker('name', fc.constantFrom(' pypi', 'py/pi', ''), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), name: v } })),
  breaker('secrets', fc.constantFrom(['BAD-NAME'], ['GITHUB_X'], ['A', 'a']), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), secrets: v } })),
  breaker('variables', fc.constantFrom(['1VAR'], ['V', 'v']), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), variables: v } })),
  breaker('deploymentPolicy', fc.constantFrom('tags:refs/tags/v*', 'tags:', 'tags:v *', 'tags:v*,v*'), (s, v) => setPublish(s, { pypiEnvironment: { ...envBase('pypi-own'), policy: v } })),
];

/** Single-value breakers: options checked by the pipelines themselves (not by a construct). */
const SINGLE_BREAKERS: Record<string, Breaker> = {
  'releaseTools.twine': { option: 'twine', describe: 'releaseTools.twine = "latest"', apply: (s) => setRelease(s, { releaseTools: { twine: 'latest' } }) },
  'releaseTools.gitCliff': { option: 'gitCliff', describe: 'releaseTools.gitCliff = ">=2"', apply: (s) => setRelease(s, { releaseTools: { gitCliff: '>=2' } }) },
  'gitIdentity': { option: 'gitIdentity', describe: 'gitIdentity = { name: "", email: "not an email" }', apply: (s) => setRelease(s, { gitIdentity: { name: '', email: 'not an email' } }) },
  'workflowName': { option: 'workflowName', describe: 'workflowName = "  "', apply: (s) => setRelease(s, { workflowName: '  ' }) },
  'pythonVersions without tests': {
    option: 'pythonVersions',
    describe: 'pythonVersions ["3.12", "3.13"] while the test check is skipped (the matrix is silently dropped)',
    apply: (s) => setRelease(setToolchain(s, { kind: 'uv', commands: {}, skip: ['test'] }), { pythonVersions: ['3.12', '3.13'] }),
  },
  'workflowName twice': {
    option: 'workflowName',
    describe: 'two release pipelines (monorepo) both with workflowName "Release"',
    apply: (s) => {
      const [first] = s.packages;
      const base = { ...first.release, tagPrefix: undefined, fileName: undefined, workflowName: 'Release', changelogConfigFile: undefined };
      return {
        ...s,
        packages: [
          { ...first, releaseEdits: [], publishEdits: [], publish: undefined, release: { ...base, distributionName: 'one-pkg', packageDir: 'packages/one' } },
          { ...first, releaseEdits: [], publishEdits: [], publish: undefined, release: { ...base, distributionName: 'two-pkg', packageDir: 'packages/two' } },
        ],
      };
    },
  },
};
BREAKERS.push(...Object.values(SINGLE_BREAKERS).map((b) => fc.constant(b)));

/** A valid project and one breaker. */
export const invalidProjectArb: fc.Arbitrary<{ spec: ProjectSpec; breaker: Breaker }> = fc.record({
  spec: projectArb,
  breaker: fc.oneof(...BREAKERS),
});
