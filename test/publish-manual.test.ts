import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PypiPublishPipeline, TestPypiPolicy } from '../src';
import { FakeGitHub } from './helpers/e2e/fake-gh';
import { git } from './helpers/e2e/sample-repo';
import { newProject, parseWorkflow, synthWorkflows, Workflow } from './helpers/project';
import { twineForLocalIndexes, uploadLikeTheAction } from './helpers/publish/action-upload';
import { AttestingGh } from './helpers/publish/attesting-gh';
import { JsonApi, LocalIndex } from './helpers/publish/indexes';
import { Built, buildPackage, releaseDir, sha256 } from './helpers/publish/packages';
import { attestAll, REPO } from './helpers/publish/verify-run';
import { describeWithTools, havePythonModule, haveTool, tool, TOOLS_BIN } from './helpers/tools';

const MAINTAINER_TOKEN = 'gho-maintainer-token';

/**
 * `npx projen publish:manual --tag vX`, end to end: the generated script (the task's own
 * `node .projen/publish-manual.cjs`) downloads a release from a `gh` stand-in (GitHub cannot run
 * here; the attestations are stood in for as in publish-attestations.test.ts), verifies it with
 * publish.yml's verify steps, and uploads with twine to two real pypiservers on 127.0.0.1 standing
 * in for TestPyPI and PyPI (TestPyPI's JSON API served from pypiserver's files, as in
 * publish-testpypi-digests.test.ts). twine 7 takes `--skip-existing` only for pypi.org URLs, so
 * the `twine` on PATH is the tools environment's with that URL check lifted.
 */
describeWithTools('publish:manual publishes a release from the maintainer\'s machine', {
  'git': haveTool('git'),
  'sha256sum': haveTool('sha256sum'),
  'pypiserver (tools)': haveTool(tool('pypi-server')),
  'twine (tools)': havePythonModule('twine'),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
}, () => {
  let root: string;
  let testPypi: LocalIndex;
  let pypi: LocalIndex;
  let json: JsonApi;
  let projectDir: string;
  let preProjectDir: string;
  let wf: Workflow;
  let origin: string;
  let twineBin: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-manual-'));
    [testPypi, pypi] = await Promise.all([
      LocalIndex.start('testpypi', path.join(root, 'testpypi-files')),
      LocalIndex.start('pypi', path.join(root, 'pypi-files')),
    ]);
    json = await JsonApi.start(testPypi, root);
    const dep = await buildPackage(root, { name: 'dep-pkg', version: '1.0.0' });
    const up = fs.mkdtempSync(path.join(root, 'dep-'));
    fs.mkdirSync(path.join(up, 'dist'));
    fs.copyFileSync(dep.wheel, path.join(up, 'dist', path.basename(dep.wheel)));
    expect(uploadLikeTheAction({ 'packages-dir': 'dist/' }, up, pypi.url).code).toBe(0);
    const project = newProject('sample-pkg');
    const pipeline = new PypiPublishPipeline(project);
    wf = parseWorkflow(synthWorkflows(project)[pipeline.fileName]);
    projectDir = project.outdir;
    const pre = newProject('sample-pkg');
    new PypiPublishPipeline(pre, { testPypi: TestPypiPolicy.keepPrereleasesOnTestPypi() });
    pre.synth();
    preProjectDir = pre.outdir;
    origin = path.join(root, 'origin.git');
    git(root, 'init', '--quiet', '--bare', origin);
    twineBin = twineForLocalIndexes(path.join(root, 'twine-bin'));
  }, 120_000);

  afterAll(() => {
    testPypi?.stop();
    pypi?.stop();
    json?.stop();
    for (const dir of [root, projectDir, preProjectDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  interface ManualRun {
    readonly code: number | null;
    readonly output: string;
    readonly gh: FakeGitHub;
    readonly attestations: AttestingGh;
  }

  /** Publishes `built` as the release `tag` in a fresh stand-in, then runs the task's script. */
  function publishByHand(tag: string, built: Built | undefined, args: string[], options: { attest?: boolean; project?: string } = {}): ManualRun {
    const dir = fs.mkdtempSync(path.join(root, `run-${tag}-`));
    const gh = new FakeGitHub(dir, origin, REPO);
    if (built) {
      const assetsDir = releaseDir(path.join(dir, 'release'), built.files);
      gh.addRelease(tag, { assets: Object.fromEntries(fs.readdirSync(assetsDir).map((f) => [f, fs.readFileSync(path.join(assetsDir, f))])) });
    }
    const attestations = new AttestingGh(dir, path.join(gh.binDir, 'gh'), MAINTAINER_TOKEN);
    if (built && options.attest !== false) attestAll(attestations, path.join(dir, 'fake-gh-assets', tag));
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const cwd = options.project ?? projectDir;
    const r = spawnSync(process.execPath, [path.join(cwd, '.projen', 'publish-manual.cjs'), ...args], {
      cwd,
      encoding: 'utf-8',
      timeout: 300_000,
      env: {
        PATH: [attestations.binDir, twineBin, TOOLS_BIN, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
        HOME: home,
        TMPDIR: dir,
        LANG: 'C.UTF-8',
        PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
        PUBLISH_TESTPYPI_URL: testPypi.url,
        PUBLISH_PYPI_URL: pypi.url,
        PUBLISH_TESTPYPI_INDEX: testPypi.simpleUrl,
        PUBLISH_PYPI_INDEX: pypi.simpleUrl,
        PUBLISH_TESTPYPI_JSON: json.url,
        TEST_PYPI_API_TOKEN: 'pypi-testpypi-token',
        PYPI_API_TOKEN: 'pypi-pypi-token',
        ...gh.env,
        ...attestations.env,
      },
    });
    return { code: r.status, output: `${r.stdout}${r.stderr}`, gh, attestations };
  }

  const holds = (index: LocalIndex, built: Built) => built.files.every((f) => index.files().includes(path.basename(f))
    && sha256(path.join(index.dir, path.basename(f))) === sha256(f));
  const hasVersion = (index: LocalIndex, version: string) => index.files().some((f) => f.includes(`-${version}`));
  const build = (version: string, tag = '') => buildPackage(root, { name: 'sample-pkg', version, dependencies: ['dep-pkg>=1.0'], sdist: true }, tag);

  test('the task runs the generated script and takes arguments', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(projectDir, '.projen', 'tasks.json'), 'utf-8')).tasks;
    expect(tasks['publish:manual']).toMatchObject({ name: 'publish:manual', steps: [{ exec: 'node .projen/publish-manual.cjs', receiveArgs: true }] });
    expect(fs.existsSync(path.join(projectDir, '.projen', 'pipelines-engine.cjs'))).toBe(true);
  });

  test('its verify steps are publish.yml\'s verify steps, the same text', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PLAN } = require(path.join(projectDir, '.projen', 'publish-manual.cjs'));
    const workflowSteps = wf.jobs.verify.steps;
    expect(PLAN.verify.steps.map((s: any) => s.id)).toEqual(workflowSteps.map((s) => s.id));
    for (const step of PLAN.verify.steps) {
      const inWorkflow = workflowSteps.find((s) => s.id === step.id)!;
      if (step.run !== undefined) {
        expect(step.run).toBe(inWorkflow.run);
        expect(step.env).toEqual(inWorkflow.env);
      } else {
        expect(['setup-python', 'install-tools', 'upload', 'upload-checksums']).toContain(step.id);
      }
    }
    expect(PLAN.verify.steps.filter((s: any) => s.run).map((s: any) => s.id)).toEqual(['tag', 'version', 'download', 'attestations', 'checksums', 'distribution-name', 'verify']);
    for (const step of PLAN.testInstall.steps.filter((s: any) => s.run)) {
      expect(step.run).toBe(wf.jobs['test-install'].steps.find((s) => s.id === step.id)!.run);
    }
    expect(PLAN.uploads.map((u: any) => [u.index, u.inputs['skip-existing'] ?? false])).toEqual([['testpypi', true], ['pypi', false]]);
    // the same inputs as the publishing jobs' action (repository-url, skip-existing...)
    expect(PLAN.uploads.map((u: any) => u.inputs)).toEqual([wf.jobs['publish-testpypi'].steps[1].with, wf.jobs['publish-pypi'].steps[1].with]);
  });

  test('by default: verify, TestPyPI, the install test against it, then PyPI; both get exactly the release\'s bytes', async () => {
    const built = await build('1.2.0');
    const r = publishByHand('v1.2.0', built, ['--tag', 'v1.2.0', '--repo', REPO]);
    if (r.code !== 0) throw new Error(r.output);
    for (const id of ['tag', 'version', 'download', 'attestations', 'checksums', 'distribution-name', 'verify']) expect(r.output).toMatch(new RegExp(`PASS  ${id} `));
    expect(r.output).toMatch(/SKIP  install-tools .*\(installs twine on the runner; have twine on your PATH\)/);
    expect(r.output).toMatch(/PASS  testpypi-digests /);
    expect(r.output).toMatch(/PASS  smoke-test /);
    const at = (s: string) => r.output.indexOf(s);
    expect(at('== upload to testpypi')).toBeGreaterThan(at('== verify'));
    expect(at('== install test')).toBeGreaterThan(at('== upload to testpypi'));
    expect(at('== upload to pypi')).toBeGreaterThan(at('== install test'));
    expect(r.output).toContain(`twine upload --repository-url ${testPypi.url} --skip-existing --non-interactive dist/${path.basename(built.files[0])}`);
    expect(r.output).toMatch(new RegExp(`twine upload --repository-url ${pypi.url.replace(/\./g, '\\.')} --non-interactive dist/`));
    expect(holds(testPypi, built)).toBe(true);
    expect(holds(pypi, built)).toBe(true);
    // the files come from the release, with the maintainer's gh login; every one was attestation-checked
    expect(r.gh.callsOf('release', 'download')[0].token).toBe(MAINTAINER_TOKEN);
    const verified = r.attestations.calls.filter((c) => c.args[0] === 'attestation' && !c.args.includes('--help'));
    expect(verified.map((c) => path.basename(c.args[2])).sort()).toEqual([...built.files.map((f) => path.basename(f)), 'SHA256SUMS'].sort());
    expect(verified.every((c) => c.token === MAINTAINER_TOKEN)).toBe(true);
  }, 300_000);

  test('--pypi-only skips TestPyPI and the install test; --testpypi-only stops after them', async () => {
    const [b130, b140] = await Promise.all([build('1.3.0'), build('1.4.0')]);
    const pypiOnly = publishByHand('v1.3.0', b130, ['--tag', 'v1.3.0', '--repo', REPO, '--pypi-only']);
    if (pypiOnly.code !== 0) throw new Error(pypiOnly.output);
    expect(holds(pypi, b130)).toBe(true);
    expect(hasVersion(testPypi, '1.3.0')).toBe(false);
    expect(pypiOnly.output).not.toContain('== install test');

    const testPypiOnly = publishByHand('v1.4.0', b140, ['--tag=v1.4.0', '--repo', REPO, '--testpypi-only']);
    if (testPypiOnly.code !== 0) throw new Error(testPypiOnly.output);
    expect(holds(testPypi, b140)).toBe(true);
    expect(testPypiOnly.output).toContain('== install test');
    expect(hasVersion(pypi, '1.4.0')).toBe(false);
  }, 300_000);

  test('a prerelease stays on TestPyPI when publish.yml keeps it there (keepPrereleasesOnTestPypi)', async () => {
    const built = await buildPackage(root, { name: 'sample-pkg', version: '2.0.0rc1', dependencies: ['dep-pkg>=1.0'], sdist: true });
    const r = publishByHand('v2.0.0rc1', built, ['--tag', 'v2.0.0rc1', '--repo', REPO], { project: preProjectDir });
    if (r.code !== 0) throw new Error(r.output);
    expect(holds(testPypi, built)).toBe(true);
    expect(r.output).toContain('not uploaded to pypi: publish.yml would not either (if: needs.verify.outputs.prerelease != \'true\')');
    expect(hasVersion(pypi, '2.0.0rc1')).toBe(false);
  }, 300_000);

  test('files without release.yml\'s attestation are refused in the verify steps: nothing is uploaded anywhere', async () => {
    const built = await build('1.5.0');
    const r = publishByHand('v1.5.0', built, ['--tag', 'v1.5.0', '--repo', REPO], { attest: false });
    expect(r.code).toBe(1);
    expect(r.output).toContain('publish:manual FAILED: step "attestations"');
    expect(r.output).toContain('::error title=No attestation::');
    expect(hasVersion(testPypi, '1.5.0')).toBe(false);
    expect(hasVersion(pypi, '1.5.0')).toBe(false);
  }, 300_000);

  test('when TestPyPI holds other bytes for the version, the install test fails and PyPI gets nothing', async () => {
    const [earlier, built] = await Promise.all([build('1.6.0', 'earlier'), build('1.6.0')]);
    testPypi.put(earlier.wheel);
    const r = publishByHand('v1.6.0', built, ['--tag', 'v1.6.0', '--repo', REPO]);
    expect(r.code).toBe(1);
    expect(r.output).toContain('step "testpypi-digests"');
    expect(r.output).toContain('nothing was uploaded to PyPI');
    expect(r.output).toContain(`::error title=TestPyPI holds other files::${path.basename(built.wheel)} on TestPyPI has sha256 ${sha256(earlier.wheel)}`);
    expect(hasVersion(pypi, '1.6.0')).toBe(false);
  }, 300_000);

  test('--verify-only uploads nothing; a hostile tag is refused by the verify steps', async () => {
    const built = await build('1.7.0');
    const r = publishByHand('v1.7.0', built, ['--tag', 'v1.7.0', '--repo', REPO, '--verify-only']);
    if (r.code !== 0) throw new Error(r.output);
    expect(r.output).toContain('Verified sample-pkg 1.7.0');
    expect(hasVersion(testPypi, '1.7.0') || hasVersion(pypi, '1.7.0')).toBe(false);
    const hostile = publishByHand('v1.7.0', built, ['--tag', 'v1.7.0\n::error::forged', '--repo', REPO]);
    expect(hostile.code).toBe(1);
    expect(hostile.output).toContain('::error title=Invalid tag::');
    expect(hostile.output.split('\n').filter((l) => l.trimStart().startsWith('::error::'))).toEqual([]);
  }, 300_000);

  test('usage errors: no tag, two "only" flags, unknown flags', () => {
    expect(publishByHand('v0', undefined, []).output).toContain('say which release to publish, e.g. --tag v1.2.0');
    const both = publishByHand('v0', undefined, ['--tag', 'v1', '--pypi-only', '--testpypi-only']);
    expect(both.code).toBe(2);
    expect(both.output).toContain('--pypi-only and --testpypi-only cannot be combined');
    expect(publishByHand('v0', undefined, ['--bogus']).code).toBe(2);
    expect(publishByHand('v0', undefined, ['--help']).output).toContain('TestPyPI first, then the install test against it, then PyPI.');
  });
});
