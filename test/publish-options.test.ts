import * as fs from 'fs';
import * as path from 'path';
import {
  AttestationCheck, DeploymentPolicy, Environment, PublishAuth, PublishEnvironments, PypiPublishPipeline, PypiPublishPipelineOptions,
  PythonReleasePipeline, TestPypiPolicy, VersionScheme,
} from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { needsOf, stepOf, synthWorkflows } from './helpers/project';
import { expectHardened, publishWf, tracked } from './helpers/publish/pipeline';
import { checkWorkflows, formatRuleFindings } from './helpers/security-rules';
import { formatZizmor, zizmorWorkflows } from './helpers/zizmor';

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
