import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stepOf } from './helpers/project';
import { uploadLikeTheAction } from './helpers/publish/action-upload';
import { JsonApi, LocalIndex } from './helpers/publish/indexes';
import { pointAtLocalIndexes, runTestInstall } from './helpers/publish/install-run';
import { buildPackage, releaseDir, sha256 } from './helpers/publish/packages';
import { synthPublish } from './helpers/publish/verify-run';
import { describeWithTools, havePythonModule, haveTool, tool, TOOLS_PYTHON } from './helpers/tools';

/**
 * TestPyPI never replaces a file, and publish.yml uploads there with `skip-existing`. After a
 * release was recreated (`force_recreate`) with new bytes under the same file names, the
 * TestPyPI job "succeeds" while keeping the old files, and the install test would test those.
 * The install test compares what TestPyPI serves for the version (its JSON API,
 * `urls[].digests.sha256`) with SHA256SUMS first, and fails, naming the file, on a difference.
 *
 * The index is a real pypiserver on 127.0.0.1 (uploads with twine, as the pinned action runs it,
 * `--skip-existing` included). pypiserver has no per-version JSON API and serves no digests, so
 * TestPyPI's JSON is served by a small stand-in computed from the files pypiserver stored
 * (test/helpers/publish/indexes.ts `JsonApi`).
 */
describeWithTools('the install test compares the digests TestPyPI serves with SHA256SUMS', {
  'pypiserver (tools)': haveTool(tool('pypi-server')),
  'twine (tools)': havePythonModule('twine'),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'python (tools)': haveTool(TOOLS_PYTHON),
}, () => {
  let root: string;
  let testPypi: LocalIndex;
  let pypi: LocalIndex;
  let json: JsonApi;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-digests-'));
    [testPypi, pypi] = await Promise.all([
      LocalIndex.start('testpypi', path.join(root, 'testpypi-files')),
      LocalIndex.start('pypi', path.join(root, 'pypi-files')),
    ]);
    json = await JsonApi.start(testPypi, root);
  }, 60_000);

  afterAll(() => {
    testPypi?.stop();
    pypi?.stop();
    json?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const workflow = () => pointAtLocalIndexes(synthPublish(), {
    testPypiSimple: testPypi.simpleUrl, pypiSimple: pypi.simpleUrl, testPypiJson: json.url,
  });

  /** Uploads `dir`'s distributions as the publish-testpypi job does (its own `with:`). */
  const publishToTestPypi = (dir: string) => {
    const inputs = stepOf(synthPublish(), 'publish-testpypi', 'publish').with!;
    const upload = path.join(root, `upload-${path.basename(dir)}`);
    fs.mkdirSync(path.join(upload, 'dist'), { recursive: true });
    for (const f of fs.readdirSync(dir).filter((n) => n !== 'SHA256SUMS')) fs.copyFileSync(path.join(dir, f), path.join(upload, 'dist', f));
    return uploadLikeTheAction(inputs, upload, testPypi.url);
  };

  const filesOf = (dir: string) => fs.readdirSync(dir).map((f) => path.join(dir, f));

  test('the version TestPyPI holds is the one in SHA256SUMS: the digests match and the install test goes on', async () => {
    const built = await buildPackage(root, { name: 'sample-pkg', version: '1.0.0', sdist: true });
    const dir = releaseDir(path.join(root, 'release-1.0.0'), built.files);
    const upload = publishToTestPypi(dir);
    expect(upload.output).toContain('Uploading');
    expect(upload.code).toBe(0);
    const run = runTestInstall(workflow(), path.join(root, 'good'), filesOf(dir), '1.0.0');
    if (!run.ok) throw new Error(run.log());
    const check = run.step('testpypi-digests');
    expect(check.output).toContain(`${path.basename(built.wheel)}: sha256 ${sha256(built.wheel)} on TestPyPI, as in SHA256SUMS`);
    expect(check.output).toContain(`${path.basename(built.sdist!)}: sha256 ${sha256(built.sdist!)} on TestPyPI, as in SHA256SUMS`);
    expect(run.step('smoke-test').status).toBe('success');
  }, 120_000);

  test('after force_recreate, skip-existing kept the old files: the install test fails, naming each file, before it installs', async () => {
    const first = await buildPackage(root, { name: 'sample-pkg', version: '2.0.0', sdist: true }, 'first');
    const firstDir = releaseDir(path.join(root, 'release-2.0.0-first'), first.files);
    expect(publishToTestPypi(firstDir).code).toBe(0);
    // the release is recreated: same version, same file names, other bytes
    const second = await buildPackage(root, { name: 'sample-pkg', version: '2.0.0', sdist: true }, 'second');
    const secondDir = releaseDir(path.join(root, 'release-2.0.0-second'), second.files);
    expect(sha256(second.wheel)).not.toBe(sha256(first.wheel));
    const again = publishToTestPypi(secondDir);
    // the TestPyPI job passes: skip-existing skipped the "existing" files
    expect(again.code).toBe(0);
    expect(again.command).toContain('--skip-existing');
    expect(again.output).toMatch(/Skipping .*sample_pkg-2\.0\.0.* because it appears to already exist/);
    expect(sha256(path.join(testPypi.dir, path.basename(first.wheel)))).toBe(sha256(first.wheel));

    const run = runTestInstall(workflow(), path.join(root, 'stale'), filesOf(secondDir), '2.0.0');
    expect(run.failed?.id).toBe('testpypi-digests');
    const out = run.failed!.output;
    expect(out).toContain(`::error title=TestPyPI holds other files::${path.basename(second.wheel)} on TestPyPI has sha256 ${sha256(first.wheel)}, but SHA256SUMS says ${sha256(second.wheel)}`);
    expect(out).toContain(`::error title=TestPyPI holds other files::${path.basename(second.sdist!)} on TestPyPI has sha256 ${sha256(first.sdist!)}`);
    expect(out).toContain('release a new version');
    // nothing of the stale version was installed or smoke tested
    expect(run.ran).not.toContain('smoke-test');
    const ids = run.results.map((r) => r.id);
    expect(ids.indexOf('testpypi-digests')).toBeLessThan(ids.indexOf('install'));
  }, 120_000);

  test('a file on TestPyPI that SHA256SUMS does not list (left from an earlier upload) fails too', async () => {
    const built = await buildPackage(root, { name: 'sample-pkg', version: '3.0.0', sdist: true });
    const dir = releaseDir(path.join(root, 'release-3.0.0'), built.files);
    expect(publishToTestPypi(dir).code).toBe(0);
    // an earlier attempt had also uploaded a platform wheel that this release no longer has
    const extra = path.join(root, 'sample_pkg-3.0.0-py3-none-manylinux_2_17_x86_64.whl');
    fs.copyFileSync(built.wheel, extra);
    testPypi.put(extra);
    const run = runTestInstall(workflow(), path.join(root, 'extra'), filesOf(dir), '3.0.0');
    expect(run.failed?.id).toBe('testpypi-digests');
    expect(run.failed!.output).toContain('::error title=TestPyPI holds other files::sample_pkg-3.0.0-py3-none-manylinux_2_17_x86_64.whl is on TestPyPI for 3.0.0 but not in SHA256SUMS');
  }, 120_000);

  test('a version TestPyPI does not show yet is waited for, within the bound, then fails clearly', async () => {
    const built = await buildPackage(root, { name: 'sample-pkg', version: '4.0.0', sdist: true });
    const dir = releaseDir(path.join(root, 'release-4.0.0'), built.files);
    const run = runTestInstall(workflow(), path.join(root, 'absent'), filesOf(dir), '4.0.0');
    expect(run.failed?.id).toBe('testpypi-digests');
    expect(run.failed!.output).toMatch(/::error title=Not on TestPyPI::sample-pkg 4\.0\.0 is not listed by http:\/\/127\.0\.0\.1:\d+\/pypi\/sample-pkg\/4\.0\.0\/json after \d+s/);
  }, 120_000);
});
