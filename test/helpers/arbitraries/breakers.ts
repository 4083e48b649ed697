import * as fc from 'fast-check';
import { projectArb } from './generators';
import { SETUP_STEPS } from './snippets';
import type { EditSpec, EnvironmentSpec, ProjectSpec, PublishSpec, ReleaseSpec, ToolchainSpec } from './specs';

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
