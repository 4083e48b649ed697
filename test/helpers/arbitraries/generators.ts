import * as fc from 'fast-check';
import { CHECKS, COMMANDS, distNameArb, opt, PYTHONS, REVIEWERS, RUNNERS, SECRET_NAMES, secretNameArb, SETUP_STEPS, STEP_SNIPPETS, tagPrefixArb } from './snippets';
import type { CredentialsSpec, EditSpec, EnvironmentSpec, PackageSpec, ProjectSpec, PublishSpec, ReleaseSpec, StepSpec, ToolchainSpec } from './specs';
import { ActionPins } from '../../../src';

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
