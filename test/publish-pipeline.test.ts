import { formatFindings, lintWorkflows } from './helpers/lint';
import { needsOf, stepOf } from './helpers/project';
import { INSTALL_RELEASE_TOOLS, VERIFY_DISTRIBUTIONS } from '../src/scripts/distribution-scripts';
import { VALIDATE_VERSION } from '../src/scripts/version-scripts';
import { expectHardened, publishWf } from './helpers/publish/pipeline';

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
