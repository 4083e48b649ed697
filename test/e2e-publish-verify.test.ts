import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddReleaseOptions } from './helpers/e2e/fake-gh';
import { TOOLS_BUILD, E2E_TOOLS } from './helpers/e2e/pipelines';
import { git, SampleRepo } from './helpers/e2e/sample-repo';
import { Workflow } from './helpers/project';
import { attestAll, synthPublish, VerifyRun, VerifyRunner, WORKFLOW_TOKEN } from './helpers/publish/verify-run';
import { describeWithTools } from './helpers/tools';

const WHEEL = 'sample_pkg-1.2.0-py3-none-any.whl';
const SDIST = 'sample_pkg-1.2.0.tar.gz';

describeWithTools('publish.yml verify job, run for real (gh and its attestations stood in; twine and python3 from the tools environment)', E2E_TOOLS, () => {
  let root: string;
  let origin: string;
  let runner: VerifyRunner;
  /** The files release.yml attaches to v1.2.0: wheel, sdist and SHA256SUMS. */
  let assets: Record<string, Buffer>;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-publish-'));
    const sample = SampleRepo.create(path.join(root, 'template'), { versionSource: 'static' });
    origin = path.join(sample.dir, 'origin.git');
    // build 1.2.0 once, as the release job would
    const work = path.join(root, 'build');
    git(root, 'clone', '--quiet', origin, work);
    const pyproject = path.join(work, 'pyproject.toml');
    fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf-8').replace('version = "1.1.0"', 'version = "1.2.0"'));
    const build = spawnSync('bash', ['-c', `${TOOLS_BUILD} && cd dist && sha256sum -- *.whl *.tar.gz > SHA256SUMS`], { cwd: work, encoding: 'utf-8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    assets = Object.fromEntries([WHEEL, SDIST, 'SHA256SUMS'].map((f) => [f, fs.readFileSync(path.join(work, 'dist', f))]));
    runner = new VerifyRunner(path.join(root, 'runs'), synthPublish());
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  /**
   * Makes (in the stand-in) a release `tag` with `release` (assets, flags), its files attested by
   * release.yml on main, then runs the verify job as the `release: published` event of that tag,
   * or as a run by hand with `inputs.tag`.
   */
  type Event = { dispatch?: string; workflow?: Workflow };
  function verify(tag: string | undefined, release: AddReleaseOptions & { draft?: boolean }, event: Event = {}): VerifyRun {
    return runner.run(tag, release, { ...event, attest: (gh, dir) => attestAll(gh, dir) });
  }

  function expectFailure(run: VerifyRun, stepId: string, message: string): void {
    if (run.job.failed?.id !== stepId) throw new Error(`expected a failure at ${stepId}, got ${run.job.failed?.id ?? 'success'}:\n${run.job.log()}`);
    expect(run.job.failed.output).toContain(message);
    expect(run.job.ok).toBe(false);
  }

  test('the files of a good release pass every check and are handed on', () => {
    const run = verify('v1.2.0', { assets });
    if (!run.job.ok) throw new Error(run.job.log());
    expect(run.job.ran).toEqual(['tag', 'version', 'download', 'attestations', 'checksums', 'distribution-name', 'verify']);
    expect(run.job.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' });
    expect(fs.readdirSync(path.join(run.workspace, 'dist')).sort()).toEqual(['SHA256SUMS', WHEEL, SDIST]);
    expect(run.job.step('checksums').output).toContain(`${WHEEL}: OK`);
    expect(run.job.step('verify').output).toContain(`${WHEEL}: version 1.2.0`);
    for (const call of run.gh.calls) expect(call.token).toBe(WORKFLOW_TOKEN);
    expect(run.gh.callsOf('release', 'download')[0].args).toEqual(['release', 'download', 'v1.2.0', '--dir', 'dist', '--pattern', '*.whl', '--pattern', '*.tar.gz', '--pattern', 'SHA256SUMS']);
  });

  test('a run by hand with the tag input, and a GitHub prerelease, verify the same way', () => {
    const run = verify('v1.2.0', { assets, prerelease: true }, { dispatch: 'v1.2.0' });
    if (!run.job.ok) throw new Error(run.job.log());
    expect(run.job.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'true' });
  });

  describe('a missing asset fails the download, naming what is missing', () => {
    test.each([
      [SDIST, 'The release v1.2.0 lacks an sdist (*.tar.gz). Attach them to the release'],
      [WHEEL, 'The release v1.2.0 lacks a wheel (*.whl).'],
      ['SHA256SUMS', 'The release v1.2.0 lacks SHA256SUMS.'],
    ])('without %s', (missing, message) => {
      const { [missing]: _dropped, ...rest } = assets;
      const run = verify('v1.2.0', { assets: rest });
      expectFailure(run, 'download', `::error title=Missing assets::${message}`);
    });

    test('no asset at all', () => {
      const run = verify('v1.2.0', { assets: {} });
      expectFailure(run, 'download', '::error title=Download failed::Could not download the distributions of release v1.2.0');
    });
  });

  describe('a checksum mismatch fails before anything is published', () => {
    test('a wheel changed after SHA256SUMS was written', () => {
      const tampered = Buffer.concat([assets[WHEEL], Buffer.from('x')]);
      const run = verify('v1.2.0', { assets: { ...assets, [WHEEL]: tampered } });
      expectFailure(run, 'checksums', '::error title=Checksum mismatch::The release assets do not match their SHA256SUMS. Do not publish them');
      expect(run.job.failed?.output).toContain(`${WHEEL}: FAILED`);
    });

    test('a file attached but not listed in SHA256SUMS', () => {
      const sums = assets.SHA256SUMS.toString().split('\n').filter((l) => !l.endsWith(SDIST)).join('\n');
      const run = verify('v1.2.0', { assets: { ...assets, SHA256SUMS: sums } });
      expectFailure(run, 'checksums', `::error title=Unlisted file::${SDIST} is attached to the release but not listed in SHA256SUMS.`);
    });
  });

  test('a version mismatch: the release v1.3.0 carries files of 1.2.0', () => {
    const run = verify('v1.3.0', { assets });
    expect(run.job.outputs.version).toBe('1.3.0');
    expectFailure(run, 'verify', `::error title=Wrong version::expected 1.3.0, but ${WHEEL} carries version 1.2.0; ${SDIST} carries version 1.2.0`);
  });

  test('files of another distribution are refused, naming distributionName', () => {
    const other = synthPublish({ distributionName: 'other-pkg' });
    const run = verify('v1.2.0', { assets }, { workflow: other });
    expectFailure(run, 'distribution-name', '::error title=Wrong distribution::expected distributions of other-pkg, got');
    expect(run.job.failed?.output).toContain('Set distributionName to the name on PyPI.');
  });

  describe('the tag and the release are checked first', () => {
    test('a draft release', () => {
      expectFailure(verify('v1.2.0', { assets, draft: true }), 'tag', '::error title=Draft release::The release v1.2.0 is a draft.');
    });

    test('a tag without a release (by hand)', () => {
      expectFailure(verify(undefined, {}, { dispatch: 'v9.9.9' }), 'tag', '::error title=No release::No published GitHub release for tag v9.9.9');
    });

    test('a tag of another prefix (by hand)', () => {
      expectFailure(verify('other-v1.0.0', { assets }, { dispatch: 'other-v1.0.0' }), 'tag', '::error title=Wrong tag::Tag other-v1.0.0 does not start with v');
    });

    test('a published release of another package skips the job', () => {
      const mono = synthPublish({ packageDir: 'packages/sample-pkg' });
      const run = verify('other-pkg-v1.0.0', { assets }, { workflow: mono });
      expect(run.job.jobSkipped).toBe(true);
      expect(run.job.ran).toEqual([]);
      expect(run.gh.calls).toEqual([]);
    });
  });
});
