import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from 'projen';
import {
  AttestationCheck, DeploymentPolicy, Environment, PublishAuth, PublishEnvironments, PypiPublishPipeline, PypiPublishPipelineOptions,
  PythonReleasePipeline, TestPypiPolicy, VersionScheme,
} from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { allSteps, needsOf, newProject, parseWorkflow, stepOf, synthWorkflows, Workflow } from './helpers/project';
import { checkWorkflows, formatRuleFindings } from './helpers/security-rules';
import { describeWithTools, havePythonModule, haveTool, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';
import { formatZizmor, zizmorWorkflows } from './helpers/zizmor';
import { INSTALL_RELEASE_TOOLS, VERIFY_DISTRIBUTIONS, WRITE_CHECKSUMS } from '../src/scripts/distribution-scripts';
import { PUBLISH_SUMMARY } from '../src/scripts/publish-scripts';
import { VALIDATE_VERSION } from '../src/scripts/version-scripts';

interface Synth {
  wf: Workflow;
  text: string;
  project: Project;
  pipeline: PypiPublishPipeline;
}

/** Every project a test makes (newProject's temporary directories), removed after the file. */
const projects: Project[] = [];
function tracked(name?: string): Project {
  const project = newProject(name);
  projects.push(project);
  return project;
}
afterAll(() => {
  for (const project of projects) fs.rmSync(project.outdir, { recursive: true, force: true });
});

function publishWf(options: PypiPublishPipelineOptions = {}, project: Project = tracked()): Synth {
  const pipeline = new PypiPublishPipeline(project, options);
  const files = synthWorkflows(project);
  const text = files[pipeline.fileName];
  return { wf: parseWorkflow(text), text, project, pipeline };
}

/**
 * The test process's environment (bash started with a bare environment is slow on some sandboxes,
 * e.g. without SHLVL), without the variables a runner would set.
 */
function machineEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GITHUB_') && !k.startsWith('GH_') && !k.startsWith('RUNNER_')) env[k] = v;
  }
  return env;
}

const PYPI_ACTION = /^pypa\/gh-action-pypi-publish@[0-9a-f]{40}$/;
const DOWNLOAD_ACTION = /^actions\/download-artifact@[0-9a-f]{40}$/;

/** The checks every variant of publish.yml must pass. */
function expectHardened({ wf, text }: Synth, trusted: boolean): void {
  expect(wf.permissions).toEqual({});
  expect(wf.concurrency['cancel-in-progress']).toBe(false);
  for (const [id, job] of Object.entries(wf.jobs)) {
    expect(job.name).toBeTruthy();
    const publishing = id === 'publish-testpypi' || id === 'publish-pypi';
    // id-token only on the publishing jobs, and only with trusted publishing
    expect(job.permissions['id-token']).toBe(publishing && trusted ? 'write' : undefined);
    if (publishing) {
      expect(job.steps).toHaveLength(2);
      expect(job.steps[0].uses).toMatch(DOWNLOAD_ACTION);
      expect(job.steps.filter((s) => PYPI_ACTION.test(s.uses ?? ''))).toHaveLength(1);
      expect(job.steps[1].uses).toMatch(PYPI_ACTION);
      expect(Object.keys(job.permissions)).toEqual(trusted ? ['id-token'] : []);
    }
  }
  for (const { step } of allSteps(wf)) {
    if (step.run) expect(step.run).not.toContain('${{');
  }
  for (const line of text.split('\n').filter((l) => /^\s*uses:/.test(l))) {
    expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  }
  expect(text).not.toMatch(/actions\/cache@|cache:|--extra-index-url/);
  expect(text).not.toMatch(/actions\/checkout@/);
}

describe('publish.yml (defaults)', () => {
  const synth = publishWf();
  const { wf, text, pipeline } = synth;

  test('matches the snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  test('actionlint and shellcheck report nothing', async () => {
    expect(formatFindings(await lintWorkflows({ 'publish.yml': text }))).toBe('');
  });

  test('least privilege, pinned actions, no caches, no ${{ }} in scripts', () => {
    expectHardened(synth, true);
    expect(wf.jobs.verify.permissions).toEqual({ attestations: 'read', contents: 'read' });
    expect(wf.jobs['test-install'].permissions).toEqual({});
    expect(wf.jobs.summary.permissions).toEqual({});
    expect(text).toMatch(/id-token: write # trusted publishing/);
  });

  test('runs when a release is published, or by hand with a tag', () => {
    expect(wf.on.release).toEqual({ types: ['published'] });
    expect(wf.on.workflow_dispatch.inputs.tag).toMatchObject({ required: true, type: 'string' });
    expect(Object.keys(wf.on).sort()).toEqual(['release', 'workflow_dispatch']);
  });

  test('is named and queues runs per tag without cancelling', () => {
    expect(wf.name).toBe('Publish');
    expect(text).toMatch(/^on:[\s\S]*^permissions: \{\}\n^concurrency:/m);
    expect(wf.concurrency).toEqual({ 'group': 'publish-${{ inputs.tag || github.event.release.tag_name }}', 'cancel-in-progress': false });
  });

  test('jobs in order: verify, TestPyPI, install test, PyPI, summary', () => {
    expect(Object.keys(wf.jobs)).toEqual(['verify', 'publish-testpypi', 'test-install', 'publish-pypi', 'summary']);
    expect(needsOf(wf.jobs.verify)).toEqual([]);
    expect(needsOf(wf.jobs['publish-testpypi'])).toEqual(['verify']);
    expect(needsOf(wf.jobs['test-install'])).toEqual(['verify', 'publish-testpypi']);
    expect(needsOf(wf.jobs['publish-pypi'])).toEqual(['verify', 'test-install']);
    expect(needsOf(wf.jobs.summary)).toEqual(['verify', 'publish-testpypi', 'test-install', 'publish-pypi']);
    expect(pipeline.jobs.map((j) => j.jobId)).toEqual(Object.keys(wf.jobs));
    expect(pipeline.publishTestPypiJob?.jobId).toBe('publish-testpypi');
    expect(pipeline.testInstallJob?.jobId).toBe('test-install');
  });

  test('verify: tag, version (release.yml\'s own check), download, attestations, checksums, name, twine, upload', () => {
    const job = wf.jobs.verify;
    expect(job.steps.map((s) => s.id)).toEqual(['tag', 'version', 'setup-python', 'install-tools', 'download', 'attestations', 'checksums', 'distribution-name', 'verify', 'upload', 'upload-checksums']);
    expect(stepOf(wf, 'verify', 'attestations').env).toEqual({ RELEASE_WORKFLOW_FILE: 'release.yml', RELEASE_BRANCH: 'main', GH_TOKEN: '${{ github.token }}' });
    expect(job.if).toBe("github.event_name == 'workflow_dispatch' || startsWith(github.event.release.tag_name, 'v')");
    expect(stepOf(wf, 'verify', 'tag').env).toMatchObject({ RELEASE_TAG: '${{ inputs.tag || github.event.release.tag_name }}', TAG_PREFIX: 'v' });
    // the version parser is release.yml's, not a second one
    const version = stepOf(wf, 'verify', 'version');
    expect(version.run).toBe(VALIDATE_VERSION);
    expect(version.env).toEqual({
      VERSION_INPUT: '${{ steps.tag.outputs.version_input }}',
      PRERELEASE_INPUT: '${{ steps.tag.outputs.github_prerelease }}',
      VERSION_SCHEME: 'pep440',
      ALLOW_V_PREFIX: 'false',
      TAG_PREFIX: 'v',
    });
    expect(job.outputs).toEqual({
      version: '${{ steps.version.outputs.version }}',
      tag: '${{ steps.version.outputs.tag }}',
      prerelease: '${{ steps.version.outputs.prerelease }}',
    });
    expect(stepOf(wf, 'verify', 'setup-python').with).toEqual({ 'python-version': '3.12' });
    expect(stepOf(wf, 'verify', 'install-tools').run).toBe(INSTALL_RELEASE_TOOLS);
    expect(stepOf(wf, 'verify', 'install-tools').env).toEqual({ RELEASE_TOOLS: 'twine==7.0.0' });
    expect(stepOf(wf, 'verify', 'download').run).toContain('gh release download "$TAG" --dir "$DIST_DIR" --pattern \'*.whl\' --pattern \'*.tar.gz\' --pattern SHA256SUMS');
    expect(stepOf(wf, 'verify', 'download').env).toEqual({ TAG: '${{ steps.version.outputs.tag }}', GH_TOKEN: '${{ github.token }}' });
    expect(stepOf(wf, 'verify', 'checksums').run).toContain('sha256sum --check --strict SHA256SUMS');
    expect(stepOf(wf, 'verify', 'verify').run).toBe(VERIFY_DISTRIBUTIONS);
    expect(stepOf(wf, 'verify', 'verify').env).toEqual({ VERSION: '${{ steps.version.outputs.version }}' });
    expect(job.env).toEqual({ GH_REPO: '${{ github.repository }}', DIST_DIR: 'dist' });
    // only the distributions go on: the publish action uploads everything in its directory
    expect(stepOf(wf, 'verify', 'upload').with).toEqual({ 'name': 'verified-distributions', 'path': 'dist/*.whl\ndist/*.tar.gz', 'if-no-files-found': 'error' });
    // SHA256SUMS goes on separately, to the install test's digest check only
    expect(stepOf(wf, 'verify', 'upload-checksums').with).toEqual({ 'name': 'release-checksums', 'path': 'dist/SHA256SUMS', 'if-no-files-found': 'error' });
  });

  test('publish-testpypi: the pypi environment, TestPyPI upload URL, skip-existing', () => {
    const job = wf.jobs['publish-testpypi'];
    expect(job.environment).toEqual({ name: 'pypi', url: 'https://test.pypi.org/p/example-pkg' });
    expect(stepOf(wf, 'publish-testpypi', 'download').with).toEqual({ name: 'verified-distributions', path: 'dist' });
    expect(stepOf(wf, 'publish-testpypi', 'publish').with).toEqual({
      'repository-url': 'https://test.pypi.org/legacy/', 'packages-dir': 'dist/', 'print-hash': true, 'skip-existing': true,
    });
  });

  test('publish-pypi: the pypi environment with its URL, no skip-existing, no password', () => {
    const job = wf.jobs['publish-pypi'];
    expect(job.environment).toEqual({ name: 'pypi', url: 'https://pypi.org/p/example-pkg' });
    expect(job.if).toBeUndefined();
    const publish = stepOf(wf, 'publish-pypi', 'publish');
    expect(publish.with).toEqual({ 'repository-url': 'https://upload.pypi.org/legacy/', 'packages-dir': 'dist/', 'print-hash': true });
    expect(text).not.toContain('password:');
  });

  test('test-install: TestPyPI digests, fresh venv, TestPyPI --no-deps, PyPI for dependencies, bounded polling, smoke test', () => {
    const job = wf.jobs['test-install'];
    expect(job.steps.map((s) => s.id)).toEqual(['setup-python', 'download', 'download-checksums', 'testpypi-digests', 'install', 'smoke-test']);
    expect(stepOf(wf, 'test-install', 'download-checksums').with).toEqual({ name: 'release-checksums', path: 'dist' });
    expect(stepOf(wf, 'test-install', 'testpypi-digests').env).toEqual({
      TESTPYPI_JSON_URL: 'https://test.pypi.org/pypi', POLL_TIMEOUT_SECONDS: '900', POLL_INITIAL_DELAY_SECONDS: '15', POLL_MAX_DELAY_SECONDS: '120',
    });
    expect(job.env).toEqual({ DIST_NAME: 'example-pkg', VERSION: '${{ needs.verify.outputs.version }}', DIST_DIR: 'dist' });
    const install = stepOf(wf, 'test-install', 'install');
    expect(install.env).toEqual({
      VENV_DIR: '${{ runner.temp }}/testpypi-venv',
      TESTPYPI_INDEX_URL: 'https://test.pypi.org/simple/',
      PYPI_INDEX_URL: 'https://pypi.org/simple/',
      POLL_TIMEOUT_SECONDS: '900',
      POLL_INITIAL_DELAY_SECONDS: '15',
      POLL_MAX_DELAY_SECONDS: '120',
    });
    expect(install.run).toContain('--no-deps --index-url "$testpypi"');
    expect(install.run).toContain('--index-url "$pypi" -- "${requirements[@]}"');
    expect(install.run).not.toContain('--requirement');
    expect(install.run).toContain('--no-cache-dir');
    expect(install.run).toContain('Requires-Dist');
    expect(stepOf(wf, 'test-install', 'smoke-test').env).toEqual({ VENV_DIR: '${{ runner.temp }}/testpypi-venv', IMPORT_NAME: 'example_pkg' });
    expect(stepOf(wf, 'test-install', 'smoke-test').run).toContain('importlib.metadata.version(dist)');
    expect(job['timeout-minutes' as keyof typeof job]).toBe(25);
  });

  test('summary: always (unless cancelled or not this package), results and links', () => {
    const job = wf.jobs.summary;
    expect(job.if).toBe("${{ !cancelled() && needs.verify.result != 'skipped' }}");
    expect(stepOf(wf, 'summary', 'summary').env).toEqual({
      DIST_NAME: 'example-pkg',
      VERSION: '${{ needs.verify.outputs.version }}',
      TAG: '${{ needs.verify.outputs.tag }}',
      VERIFY_RESULT: '${{ needs.verify.result }}',
      TESTPYPI_RESULT: '${{ needs.publish-testpypi.result }}',
      INSTALL_RESULT: '${{ needs.test-install.result }}',
      PYPI_RESULT: '${{ needs.publish-pypi.result }}',
    });
    expect(stepOf(wf, 'summary', 'summary').run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  test('one pypi environment, tags v* only, with both trusted publishers recorded', () => {
    const env = pipeline.pypiEnvironment;
    expect(env.environmentName).toBe('pypi');
    expect(env.url).toBe('https://pypi.org/p/example-pkg');
    expect(env.deploymentPolicy.kind).toBe('custom');
    expect(env.deploymentPolicy.rules).toEqual([{ name: 'v*', type: 'tag' }]);
    expect(pipeline.testPypiEnvironment).toBe(env);
    expect(env.node.scope).toBe(pipeline);
    expect(env.trustedPublishers).toEqual([
      { index: 'testpypi', projectName: 'example-pkg', workflowFile: 'publish.yml' },
      { index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml' },
    ]);
    expect(env.secrets).toEqual([]);
  });
});

describe('publish.yml options', () => {
  test('API tokens: password from environment secrets, no id-token anywhere, secrets recorded', () => {
    const synth = publishWf({ auth: PublishAuth.apiTokens() });
    const { wf, text, pipeline } = synth;
    expectHardened(synth, false);
    expect(text).not.toContain('id-token');
    expect(stepOf(wf, 'publish-testpypi', 'publish').with).toMatchObject({ 'password': '${{ secrets.TEST_PYPI_API_TOKEN }}', 'skip-existing': true });
    expect(stepOf(wf, 'publish-pypi', 'publish').with).toMatchObject({ password: '${{ secrets.PYPI_API_TOKEN }}' });
    expect(stepOf(wf, 'publish-pypi', 'publish').with!['skip-existing']).toBeUndefined();
    expect(pipeline.pypiEnvironment.secrets).toEqual(['TEST_PYPI_API_TOKEN', 'PYPI_API_TOKEN']);
    expect(pipeline.pypiEnvironment.trustedPublishers).toEqual([]);
    expect(wf.jobs['publish-pypi'].permissions).toEqual({});
  });

  test('API tokens with other secret names, in separate environments', () => {
    const { wf, pipeline } = publishWf({
      auth: PublishAuth.apiTokens({ testPypiSecret: 'TESTPYPI', pypiSecret: 'PYPI' }),
      environments: PublishEnvironments.separate(),
    });
    expect(stepOf(wf, 'publish-testpypi', 'publish').with).toMatchObject({ password: '${{ secrets.TESTPYPI }}' });
    expect(stepOf(wf, 'publish-pypi', 'publish').with).toMatchObject({ password: '${{ secrets.PYPI }}' });
    expect(pipeline.testPypiEnvironment!.secrets).toEqual(['TESTPYPI']);
    expect(pipeline.pypiEnvironment.secrets).toEqual(['PYPI']);
  });

  test('a separate testpypi environment', () => {
    const { wf, pipeline } = publishWf({ environments: PublishEnvironments.separate() });
    expect(wf.jobs['publish-testpypi'].environment).toEqual({ name: 'testpypi', url: 'https://test.pypi.org/p/example-pkg' });
    expect(wf.jobs['publish-pypi'].environment).toEqual({ name: 'pypi', url: 'https://pypi.org/p/example-pkg' });
    const testPypi = pipeline.testPypiEnvironment!;
    expect(testPypi).not.toBe(pipeline.pypiEnvironment);
    expect(testPypi.url).toBe('https://test.pypi.org/p/example-pkg');
    expect(testPypi.deploymentPolicy.rules).toEqual([{ name: 'v*', type: 'tag' }]);
    expect(testPypi.trustedPublishers).toEqual([{ index: 'testpypi', projectName: 'example-pkg', workflowFile: 'publish.yml' }]);
    expect(pipeline.pypiEnvironment.trustedPublishers).toEqual([{ index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml' }]);
  });

  test('your own environments (reviewers...) are used as they are', () => {
    const project = tracked();
    const pypi = new Environment(project, 'release-pypi', { name: 'pypi', reviewers: ['octocat'], deploymentPolicy: DeploymentPolicy.tags('v*').and(DeploymentPolicy.branches('main')) });
    const testPypi = new Environment(project, 'release-testpypi', { name: 'test-index' });
    const { wf, pipeline } = publishWf({ environments: PublishEnvironments.separate({ pypi, testPypi }) }, project);
    expect(pipeline.pypiEnvironment).toBe(pypi);
    expect(pipeline.testPypiEnvironment).toBe(testPypi);
    expect(pipeline.node.children.filter(Environment.isEnvironment)).toEqual([]);
    expect(wf.jobs['publish-pypi'].environment).toEqual({ name: 'pypi' });
    expect(wf.jobs['publish-testpypi'].environment).toEqual({ name: 'test-index', url: 'https://test.pypi.org/p/example-pkg' });
    expect(pypi.trustedPublishers).toEqual([{ index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml' }]);
    expect(testPypi.trustedPublishers).toEqual([{ index: 'testpypi', projectName: 'example-pkg', workflowFile: 'publish.yml' }]);
  });

  test('skip TestPyPI: verify, then PyPI, then the summary', () => {
    const synth = publishWf({ testPypi: TestPypiPolicy.skip(), environments: PublishEnvironments.separate() });
    const { wf, pipeline } = synth;
    expectHardened(synth, true);
    expect(Object.keys(wf.jobs)).toEqual(['verify', 'publish-pypi', 'summary']);
    expect(needsOf(wf.jobs['publish-pypi'])).toEqual(['verify']);
    expect(needsOf(wf.jobs.summary)).toEqual(['verify', 'publish-pypi']);
    expect(stepOf(wf, 'summary', 'summary').env!.TESTPYPI_RESULT).toBeUndefined();
    expect(pipeline.publishTestPypiJob).toBeUndefined();
    expect(pipeline.testInstallJob).toBeUndefined();
    expect(pipeline.testPypiEnvironment).toBeUndefined();
    expect(pipeline.pypiEnvironment.trustedPublishers).toEqual([{ index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml' }]);
  });

  test('prereleases stay on TestPyPI: PyPI only for final releases', () => {
    const synth = publishWf({ testPypi: TestPypiPolicy.keepPrereleasesOnTestPypi() });
    expectHardened(synth, true);
    expect(Object.keys(synth.wf.jobs)).toEqual(['verify', 'publish-testpypi', 'test-install', 'publish-pypi', 'summary']);
    expect(synth.wf.jobs['publish-pypi'].if).toBe("needs.verify.outputs.prerelease != 'true'");
    expect(synth.wf.jobs['publish-testpypi'].if).toBeUndefined();
  });

  test('import name, smoke command, Python version, wait bound, twine version, version scheme', () => {
    const { wf } = publishWf({
      importName: 'example.core',
      smokeCommand: 'example --version\npython -m example.selftest',
      pythonVersion: '3.13',
      testPypiWaitMinutes: 30,
      twineVersion: '7.1.0',
      versionScheme: VersionScheme.semver(),
      runsOn: ['ubuntu-22.04'],
    });
    expect(stepOf(wf, 'test-install', 'smoke-test').env!.IMPORT_NAME).toBe('example.core');
    const smoke = stepOf(wf, 'test-install', 'smoke-command');
    expect(smoke.run).toBe('set -euo pipefail\nsource "$VENV_DIR/bin/activate"\ncd "$(mktemp -d)"\nexample --version\npython -m example.selftest\n');
    expect(stepOf(wf, 'verify', 'setup-python').with).toEqual({ 'python-version': '3.13' });
    expect(stepOf(wf, 'test-install', 'setup-python').with).toEqual({ 'python-version': '3.13' });
    expect(stepOf(wf, 'test-install', 'install').env!.POLL_TIMEOUT_SECONDS).toBe('1800');
    expect((wf.jobs['test-install'] as any)['timeout-minutes']).toBe(40);
    expect(stepOf(wf, 'verify', 'install-tools').env).toEqual({ RELEASE_TOOLS: 'twine==7.1.0' });
    expect(stepOf(wf, 'verify', 'version').env!.VERSION_SCHEME).toBe('semver');
    for (const job of Object.values(wf.jobs)) expect(job['runs-on']).toBe('ubuntu-22.04');
  });

  test('monorepo: publish-<dist>.yml, this package\'s tags only, its own environment, and release agrees', () => {
    const project = tracked();
    const release = new PythonReleasePipeline(project, { packageDir: 'packages/foo', distributionName: 'foo' });
    const { wf, pipeline } = publishWf({ packageDir: 'packages/foo', distributionName: 'foo' }, project);
    expect(pipeline.fileName).toBe('publish-foo.yml');
    expect(wf.name).toBe('Publish foo');
    expect(pipeline.settings).toEqual(release.settings);
    expect(wf.jobs.verify.if).toBe("github.event_name == 'workflow_dispatch' || startsWith(github.event.release.tag_name, 'foo-v')");
    expect(stepOf(wf, 'verify', 'tag').env).toMatchObject({ TAG_PREFIX: 'foo-v', WORKFLOW_FILE: 'publish-foo.yml' });
    expect(stepOf(wf, 'verify', 'version').env!.TAG_PREFIX).toBe('foo-v');
    expect(stepOf(wf, 'verify', 'distribution-name').env).toEqual({ DIST_NAME: 'foo' });
    expect(wf.concurrency.group).toBe('publish-foo-${{ inputs.tag || github.event.release.tag_name }}');
    expect(wf.jobs['publish-pypi'].environment).toEqual({ name: 'pypi-foo', url: 'https://pypi.org/p/foo' });
    expect(pipeline.pypiEnvironment.deploymentPolicy.rules).toEqual([{ name: 'foo-v*', type: 'tag' }]);
    expect(pipeline.pypiEnvironment.trustedPublishers.map((p) => p.workflowFile)).toEqual(['publish-foo.yml', 'publish-foo.yml']);
  });

  test('the environments reach .github/environments/environments.json with their trusted publishers', () => {
    const { project } = publishWf({ environments: PublishEnvironments.separate() });
    const config = JSON.parse(fs.readFileSync(path.join(project.outdir, '.github/environments/environments.json'), 'utf-8'));
    const summary = config.environments.map((e: any) => ({
      name: e.name,
      rules: e.deploymentPolicy.rules,
      publishers: e.trustedPublishers.map((t: any) => [t.index, t.projectName, t.workflowFile, t.environment]),
    }));
    expect(summary).toEqual([
      { name: 'pypi', rules: [{ name: 'v*', type: 'tag' }], publishers: [['pypi', 'example-pkg', 'publish.yml', 'pypi']] },
      { name: 'testpypi', rules: [{ name: 'v*', type: 'tag' }], publishers: [['testpypi', 'example-pkg', 'publish.yml', 'testpypi']] },
    ]);
  });

  test('two packages of a monorepo publish side by side', () => {
    const project = tracked();
    const foo = new PypiPublishPipeline(project, { packageDir: 'packages/foo', distributionName: 'foo' });
    const bar = new PypiPublishPipeline(project, { packageDir: 'packages/bar', distributionName: 'bar', environments: PublishEnvironments.separate() });
    const files = synthWorkflows(project);
    expect(Object.keys(files).filter((f) => f.startsWith('publish')).sort()).toEqual(['publish-bar.yml', 'publish-foo.yml']);
    expect(foo.pypiEnvironment.environmentName).toBe('pypi-foo');
    expect(bar.pypiEnvironment.environmentName).toBe('pypi-bar');
    expect(bar.testPypiEnvironment!.environmentName).toBe('testpypi-bar');
    // one publish:manual task and plan per package, one shared engine
    const tasks = JSON.parse(fs.readFileSync(path.join(project.outdir, '.projen', 'tasks.json'), 'utf-8')).tasks;
    expect(Object.keys(tasks).filter((t) => t.startsWith('publish:manual')).sort()).toEqual(['publish:manual:bar', 'publish:manual:foo']);
    expect(tasks['publish:manual:foo'].steps).toEqual([{ exec: 'node .projen/publish-foo-manual.cjs', receiveArgs: true }]);
    expect(fs.readdirSync(path.join(project.outdir, '.projen')).filter((f) => f.includes('manual')).sort())
      .toEqual(['publish-bar-manual.cjs', 'publish-foo-manual.cjs']);
    expect(fs.readFileSync(path.join(project.outdir, '.projen', 'pipelines-engine.cjs'), 'utf-8')).toContain('module.exports = { stepRunner, publishManually };');
    expect(foo.manualPublish.scriptPath).toBe('.projen/publish-foo-manual.cjs');
    const script = fs.readFileSync(path.join(project.outdir, '.projen', 'publish-bar-manual.cjs'), 'utf-8');
    expect(script).toContain('require("./pipelines-engine.cjs")');
    expect(script).toContain('"workflow": "publish-bar.yml"');
  });

  test('actionlint, shellcheck, the rule suite and zizmor report nothing for every combination of options', async () => {
    const files: Record<string, string> = {};
    const auths: Array<[string, () => PublishAuth]> = [['oidc', () => PublishAuth.trustedPublishing()], ['tokens', () => PublishAuth.apiTokens()]];
    const policies: Array<[string, () => TestPypiPolicy]> = [
      ['always', () => TestPypiPolicy.always()], ['keep-pre', () => TestPypiPolicy.keepPrereleasesOnTestPypi()], ['skip', () => TestPypiPolicy.skip()],
    ];
    const envs: Array<[string, () => PublishEnvironments]> = [['shared', () => PublishEnvironments.shared()], ['separate', () => PublishEnvironments.separate()]];
    const layouts: Array<[string, PypiPublishPipelineOptions]> = [
      ['single', {}],
      ['mono', { packageDir: 'packages/foo', distributionName: 'foo', smokeCommand: 'foo --help', versionScheme: VersionScheme.semver(), pythonVersion: '3.13' }],
    ];
    for (const [a, auth] of auths) {
      for (const [p, policy] of policies) {
        for (const [e, environments] of envs) {
          for (const [l, layout] of layouts) {
            // a smoke command runs in the install test, which TestPypiPolicy.skip() leaves out
            const smoke = p === 'skip' ? { smokeCommand: undefined } : {};
            const synth = publishWf({ ...layout, ...smoke, auth: auth(), testPypi: policy(), environments: environments() });
            expectHardened(synth, a === 'oidc');
            files[`${a}-${p}-${e}-${l}.yml`] = synth.text;
          }
        }
      }
    }
    files['attestations-off.yml'] = publishWf({ attestations: AttestationCheck.off() }).text;
    files['custom-release.yml'] = publishWf({ releaseWorkflowFile: 'ship.yaml', releaseBranch: 'release/v1' }).text;
    expect(Object.keys(files)).toHaveLength(26);
    expect(formatFindings(await lintWorkflows(files))).toBe('');
    // the rule suite and zizmor (its default persona) find nothing either
    expect(formatRuleFindings(checkWorkflows(files))).toBe('');
    // (API tokens: only zizmor's use-trusted-publishing, the README's "known, by choice")
    expect(formatZizmor(zizmorWorkflows(files).filter((f) => !(f.audit === 'use-trusted-publishing' && f.file.startsWith('tokens-'))))).toBe('');
  });
});

describe('bad options fail at synth time, naming the option', () => {
  test.each<[string, () => void, RegExp]>([
    ['empty import name', () => new PypiPublishPipeline(tracked(), { importName: '' }), /importName "" is not a Python module name/],
    ['bad import name', () => new PypiPublishPipeline(tracked(), { importName: 'my-pkg' }), /importName "my-pkg"/],
    ['distribution name without a module name', () => new PypiPublishPipeline(tracked('3d-tools')), /distribution name "3d-tools" does not give a Python module name; set importName/],
    ['bad PyPI secret name', () => PublishAuth.apiTokens({ pypiSecret: 'pypi-token' }), /pypiSecret "pypi-token" is not a valid secret name/],
    ['bad TestPyPI secret name', () => PublishAuth.apiTokens({ testPypiSecret: 'GITHUB_TOKEN' }), /testPypiSecret "GITHUB_TOKEN"/],
    ['zero wait', () => new PypiPublishPipeline(tracked(), { testPypiWaitMinutes: 0 }), /testPypiWaitMinutes must be a whole number of minutes from 1 to 120, got 0/],
    ['fractional wait', () => new PypiPublishPipeline(tracked(), { testPypiWaitMinutes: 1.5 }), /testPypiWaitMinutes .* got 1\.5/],
    ['huge wait', () => new PypiPublishPipeline(tracked(), { testPypiWaitMinutes: 600 }), /testPypiWaitMinutes .* got 600/],
    ['empty smoke command', () => new PypiPublishPipeline(tracked(), { smokeCommand: '  ' }), /smokeCommand is empty/],
    ['expression in smoke command', () => new PypiPublishPipeline(tracked(), { smokeCommand: 'echo ${{ github.event.release.name }}' }), /smokeCommand contains a \$\{\{ \}\} expression/],
    ['bad Python version', () => new PypiPublishPipeline(tracked(), { pythonVersion: '3.12; rm -rf /' }), /pythonVersion "3\.12; rm -rf \/"/],
    ['bad twine version', () => new PypiPublishPipeline(tracked(), { twineVersion: 'latest' }), /twineVersion "latest"/],
    ['bad release workflow file', () => new PypiPublishPipeline(tracked(), { releaseWorkflowFile: '../release.yml' }), /releaseWorkflowFile "\.\.\/release\.yml" must be a workflow file name under \.github\/workflows\//],
    ['release workflow file without .yml', () => new PypiPublishPipeline(tracked(), { releaseWorkflowFile: 'release' }), /releaseWorkflowFile "release"/],
    ['bad release branch', () => new PypiPublishPipeline(tracked(), { releaseBranch: 'main..x' }), /releaseBranch "main\.\.x" is not a valid branch name/],
    ['bad manual task name', () => new PypiPublishPipeline(tracked(), { manualPublishTask: 'publish manual' }), /manualPublishTask "publish manual" is not a valid task name/],
    ['manual task name taken', () => {
      const p = tracked();
      p.addTask('publish:manual');
      new PypiPublishPipeline(p);
    }, /the project already has a task "publish:manual"\. Give this pipeline another manualPublishTask/],
    ['empty tag prefix', () => new PypiPublishPipeline(tracked(), { tagPrefix: '' }), /PypiPublishPipeline: tagPrefix "" must be non-empty/],
    ['bad distribution name', () => new PypiPublishPipeline(tracked(), { distributionName: '-x' }), /distributionName "-x"/],
    ['TestPyPI environment while skipping TestPyPI', () => new PypiPublishPipeline(tracked(), {
      testPypi: TestPypiPolicy.skip(),
      environments: PublishEnvironments.separate({ testPypi: new Environment(tracked(), 'testpypi') }),
    }), /environments names a TestPyPI environment, but testPypi is TestPypiPolicy\.skip\(\)/],
    ['two pipelines on one file', () => {
      const p = tracked();
      new PypiPublishPipeline(p, { packageDir: 'a' });
      new PypiPublishPipeline(p, { packageDir: 'b', fileName: 'publish-a.yml' });
    }, /publish-a\.yml is already generated by workflow "Publish a"/],
    ['two pipelines for the root package', () => {
      const p = tracked();
      new PypiPublishPipeline(p);
      new PypiPublishPipeline(p, { workflowName: 'Other' });
    }, /already has a publish pipeline for the package at the repository root/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

/**
 * Runs the `run:` steps of the synthesized verify job with bash, in order, the way the runner
 * would: job env + step env, `${{ }}` resolved from earlier step outputs, `$GITHUB_OUTPUT` per
 * step. `gh` is a stand-in that records its arguments and serves a release from a directory.
 */
describeWithTools('the verify job, executed', {
  'bash': haveTool('bash'),
  'sha256sum': haveTool('sha256sum'),
  'twine (tools)': haveTool(tool('twine')),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
}, () => {
  let root: string;
  let built: string;
  let fakeBin: string;

  interface Release {
    tag: string;
    event?: string;
    ref?: string;
    /** `"<isDraft> <isPrerelease>"`, or undefined for no release */
    state?: string;
    assets: string;
  }

  interface JobRun {
    outputs: Record<string, string>;
    failedStep?: string;
    log: string;
    gh: string;
  }

  function runJob(wf: Workflow, jobId: string, release: Release, stopAfter?: string): JobRun {
    const job = wf.jobs[jobId];
    const work = fs.mkdtempSync(path.join(root, 'work-'));
    const ghLog = path.join(work, 'gh.log');
    fs.writeFileSync(ghLog, '');
    const outputs: Record<string, Record<string, string>> = {};
    const resolve = (value: string): string => value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
      if (expr === 'inputs.tag || github.event.release.tag_name') return release.tag;
      if (expr === 'github.repository') return 'octo/example';
      if (expr === 'github.token') return 'token';
      const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
      if (step) return outputs[step[1]]?.[step[2]] ?? '';
      throw new Error(`unknown expression ${expr}`);
    });
    let log = '';
    for (const step of job.steps) {
      // actions do not run here; twine comes from Debian instead of pipx (no PyPI on this machine)
      if (step.run === undefined || step.id === 'install-tools') continue;
      const outFile = path.join(work, `${step.id}.out`);
      fs.writeFileSync(outFile, '');
      const env: Record<string, string> = {
        ...machineEnv(),
        PATH: `${fakeBin}:${TOOLS_BIN}:${process.env.PATH}`,
        GITHUB_OUTPUT: outFile,
        GITHUB_EVENT_NAME: release.event ?? 'release',
        GITHUB_REF: release.ref ?? `refs/tags/${release.tag}`,
        GH_LOG: ghLog,
        FAKE_ASSETS: release.assets,
        ...(release.state !== undefined ? { FAKE_RELEASE_STATE: release.state } : {}),
      };
      for (const [k, v] of Object.entries({ ...job.env, ...step.env })) env[k] = resolve(String(v));
      const r = spawnSync('bash', ['-c', step.run], { cwd: work, env, encoding: 'utf-8' });
      log += `--- ${step.id}\n${r.stdout}${r.stderr}`;
      outputs[step.id] = Object.fromEntries(fs.readFileSync(outFile, 'utf-8').split('\n').filter(Boolean).map((l) => {
        const i = l.indexOf('=');
        return [l.slice(0, i), l.slice(i + 1)];
      }));
      if (r.status !== 0) return { outputs: {}, failedStep: step.id, log, gh: fs.readFileSync(ghLog, 'utf-8') };
      if (step.id === stopAfter) break;
    }
    const jobOutputs: Record<string, string> = {};
    for (const [name, expr] of Object.entries(job.outputs ?? {})) jobOutputs[name] = resolve(expr);
    return { outputs: jobOutputs, log, gh: fs.readFileSync(ghLog, 'utf-8') };
  }

  /** A directory of release assets: copies of the built files, then `mutate` applied. */
  function assets(name: string, mutate: (dir: string) => void = () => undefined): string {
    const dir = path.join(root, 'assets', name);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(built)) fs.copyFileSync(path.join(built, f), path.join(dir, f));
    mutate(dir);
    return dir;
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-verify-'));
    const src = path.join(root, 'src');
    fs.mkdirSync(path.join(src, 'example_pkg'), { recursive: true });
    fs.writeFileSync(path.join(src, 'README.md'), '# example-pkg\n\nAn example.\n');
    fs.writeFileSync(path.join(src, 'example_pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(src, 'pyproject.toml'), [
      '[build-system]', 'requires = ["hatchling"]', 'build-backend = "hatchling.build"',
      '[project]', 'name = "example-pkg"', 'version = "1.2.0"', 'readme = "README.md"', 'description = "An example"', '',
    ].join('\n'));
    built = path.join(root, 'built');
    const b = spawnSync(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', built, src], { encoding: 'utf-8' });
    if (b.status !== 0) throw new Error(b.stdout + b.stderr);
    // release.yml's own checksum script writes SHA256SUMS
    const sums = spawnSync('bash', ['-c', WRITE_CHECKSUMS], { cwd: root, env: { ...process.env, DIST_DIR: built }, encoding: 'utf-8' });
    if (sums.status !== 0) throw new Error(sums.stderr);
    fakeBin = path.join(root, 'bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'gh'), [
      '#!/usr/bin/env bash',
      'printf "%s\\n" "$*" >> "$GH_LOG"',
      'case "$1 $2" in',
      '  "release view")',
      '    if [[ -z "${FAKE_RELEASE_STATE:-}" ]]; then echo "release not found" >&2; exit 1; fi',
      '    echo "$FAKE_RELEASE_STATE" ;;',
      '  "release download")',
      '    shift 3; dir=.; patterns=()',
      '    while (( $# )); do case "$1" in --dir) dir=$2; shift 2 ;; --pattern) patterns+=("$2"); shift 2 ;; *) shift ;; esac; done',
      '    shopt -s nullglob; found=0',
      '    for p in "${patterns[@]}"; do for f in "$FAKE_ASSETS"/$p; do [[ -e "$f" ]] && cp "$f" "$dir/" && found=1; done; done',
      '    if (( ! found )); then echo "no assets match the file pattern" >&2; exit 1; fi ;;',
      '  *) echo "unexpected gh call: $*" >&2; exit 2 ;;',
      'esac',
      '',
    ].join('\n'), { mode: 0o755 });
  }, 60_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  // the attestations are checked against a gh stand-in in publish-attestations.test.ts
  const { wf } = publishWf({ attestations: AttestationCheck.off() });

  test('a good release passes every check and yields version, tag and prerelease', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('good') });
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' });
    expect(r.gh).toBe([
      'release view v1.2.0 --json isDraft,isPrerelease --jq "\\(.isDraft) \\(.isPrerelease)"',
      'release download v1.2.0 --dir dist --pattern *.whl --pattern *.tar.gz --pattern SHA256SUMS',
      '',
    ].join('\n'));
    expect(r.log).toMatch(/example_pkg-1\.2\.0-py\S+\.whl: OK/);
    expect(r.log).toContain('example_pkg-1.2.0.tar.gz: version 1.2.0');
    expect(r.log).not.toContain('::warning');
  });

  test('a GitHub prerelease is a prerelease', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false true', assets: assets('pre') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs.prerelease).toBe('true');
  });

  test('a dispatched run not on the tag warns, and goes on', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', event: 'workflow_dispatch', ref: 'refs/heads/main', assets: assets('dispatch') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.log).toContain('::warning title=Not run from the tag::This run is on refs/heads/main, not on refs/tags/v1.2.0');
    expect(r.log).toContain('gh workflow run publish.yml --ref v1.2.0 -f tag=v1.2.0');
    expect(r.outputs.version).toBe('1.2.0');
    const onTag = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', event: 'workflow_dispatch', ref: 'refs/tags/v1.2.0', assets: assets('dispatch') }, 'version');
    expect(onTag.log).not.toContain('::warning');
  });

  test.each<[string, Partial<Release>, (dir: string) => void, string, RegExp]>([
    ['another package\'s tag', { tag: 'bar-v1.2.0' }, () => undefined, 'tag', /::error title=Wrong tag::Tag bar-v1\.2\.0 does not start with v/],
    ['no tag', { tag: '' }, () => undefined, 'tag', /::error title=No tag::/],
    ['no release', { state: undefined }, () => undefined, 'tag', /::error title=No release::No published GitHub release for tag v1\.2\.0.*release not found/],
    ['a draft', { state: 'true false' }, () => undefined, 'tag', /::error title=Draft release::/],
    ['a tag that is no version', { tag: 'vnext' }, () => undefined, 'version', /::error title=Invalid version::not a canonical PEP 440 version/],
    ['missing sdist and SHA256SUMS', {}, (d) => {
      for (const f of fs.readdirSync(d)) if (!f.endsWith('.whl')) fs.rmSync(path.join(d, f));
    }, 'download', /::error title=Missing assets::The release v1\.2\.0 lacks an sdist \(\*\.tar\.gz\), SHA256SUMS\./],
    ['no assets at all', {}, (d) => fs.rmSync(d, { recursive: true, force: true }), 'download', /::error title=Download failed::/],
    ['a file that does not match SHA256SUMS', {}, (d) => {
      fs.appendFileSync(path.join(d, fs.readdirSync(d).find((f) => f.endsWith('.tar.gz'))!), 'tampered');
    }, 'checksums', /::error title=Checksum mismatch::/],
    ['a wheel not listed in SHA256SUMS', {}, (d) => {
      fs.copyFileSync(path.join(d, fs.readdirSync(d).find((f) => f.endsWith('.whl'))!), path.join(d, 'example_pkg-1.2.0-py3-none-manylinux_2_17_x86_64.whl'));
    }, 'checksums', /::error title=Unlisted file::example_pkg-1\.2\.0-py3-none-manylinux_2_17_x86_64\.whl/],
    ['files of another version than the tag', { tag: 'v1.3.0' }, () => undefined, 'verify', /::error title=Wrong version::expected 1\.3\.0, but example_pkg-1\.2\.0/],
  ])('fails on %s', (name, release, mutate, step, message) => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', ...release, assets: assets(name.replace(/\W+/g, '-'), mutate) });
    expect(r.failedStep).toBe(step);
    expect(r.log).toMatch(message);
  });

  test('fails on files of another distribution', () => {
    const other = publishWf({ distributionName: 'other-pkg', attestations: AttestationCheck.off() }).wf;
    const r = runJob(other, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('other') });
    expect(r.failedStep).toBe('distribution-name');
    expect(r.log).toMatch(/::error title=Wrong distribution::expected distributions of other-pkg, got example_pkg-1\.2\.0/);
  });

  test('semver tags map to the PEP 440 version (release.yml\'s mapping), and monorepo prefixes are stripped', () => {
    const semver = publishWf({ versionScheme: VersionScheme.semver(), packageDir: 'packages/foo', distributionName: 'foo', attestations: AttestationCheck.off() }).wf;
    const r = runJob(semver, 'verify', { tag: 'foo-v1.2.0-rc.1', state: 'false false', assets: assets('semver') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs).toEqual({ version: '1.2.0rc1', tag: 'foo-v1.2.0-rc.1', prerelease: 'true' });
    const wrong = runJob(semver, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('semver-wrong') }, 'version');
    expect(wrong.failedStep).toBe('tag');
  });

  describe('the summary', () => {
    function summary(env: Record<string, string>): string {
      const file = path.join(root, `summary-${Math.random().toString(36).slice(2)}.md`);
      const r = spawnSync('bash', ['-c', PUBLISH_SUMMARY], {
        env: { ...machineEnv(), GITHUB_STEP_SUMMARY: file, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/example', DIST_NAME: 'example-pkg', TAG: 'v1.2.0', ...env },
        encoding: 'utf-8',
      });
      expect(r.status).toBe(0);
      return fs.readFileSync(file, 'utf-8');
    }

    test('links the GitHub release and the version on TestPyPI and PyPI', () => {
      const text = summary({ VERSION: '1.2.0', VERIFY_RESULT: 'success', TESTPYPI_RESULT: 'success', INSTALL_RESULT: 'success', PYPI_RESULT: 'success' });
      expect(text).toContain('## Publication of example-pkg 1.2.0');
      expect(text).toContain('| Verify the GitHub release | ✅ success | [v1.2.0](https://github.com/octo/example/releases/tag/v1.2.0) |');
      expect(text).toContain('| Publish to TestPyPI | ✅ success | https://test.pypi.org/project/example-pkg/1.2.0/ |');
      expect(text).toContain('| Install from TestPyPI and smoke test | ✅ success | |');
      expect(text).toContain('| Publish to PyPI | ✅ success | https://pypi.org/project/example-pkg/1.2.0/ |');
    });

    test('reports failures and skipped stages, and leaves out stages that are not configured', () => {
      const failed = summary({ VERSION: '', VERIFY_RESULT: 'failure', PYPI_RESULT: 'skipped' });
      expect(failed).toContain('## Publication of example-pkg (version not verified)');
      expect(failed).toContain('| Verify the GitHub release | ❌ failure |');
      expect(failed).toContain('| Publish to PyPI | ⏭️ skipped | https://pypi.org/project/example-pkg/ |');
      expect(failed).not.toContain('TestPyPI');
    });
  });
});
