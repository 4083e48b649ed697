import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthRelease } from './helpers/e2e/pipelines';
import { stepOf } from './helpers/project';
import { Built, buildPackage } from './helpers/publish/packages';
import { describeWithTools, haveTool, havePythonModule, tool, TOOLS_BIN } from './helpers/tools';

/**
 * The build job's `verify` step (the script publish.yml's verify job runs too), as synthesized,
 * run with bash on real distributions built by today's hatchling: at least one wheel, exactly one
 * sdist, `twine check --strict`, and the version inside every file.
 */
describeWithTools('the verify step of release.yml\'s build job, run on real distributions', {
  'twine (tools)': haveTool(tool('twine')),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
}, () => {
  const verify = stepOf(synthRelease().wf, 'build', 'verify').run!;
  let root: string;
  let good: Built;
  let bare: Built;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-dists-'));
    [good, bare] = await Promise.all([
      buildPackage(root, { name: 'sample-pkg', version: '1.2.0', sdist: true }),
      buildPackage(root, { name: 'sample-pkg', version: '1.2.0', sdist: true, readme: false }, 'no-readme'),
    ]);
  }, 120_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** Runs the step on a fresh dist/ holding `files` (as `name` → source path). */
  function run(files: Record<string, string>, version = '1.2.0') {
    const dir = fs.mkdtempSync(path.join(root, 'job-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    for (const [name, from] of Object.entries(files)) fs.copyFileSync(from, path.join(dir, 'dist', name));
    const r = spawnSync('bash', ['-c', verify], {
      cwd: dir,
      env: { PATH: `${TOOLS_BIN}:/usr/bin:/bin`, HOME: dir, DIST_DIR: 'dist', VERSION: version },
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // (twine colours its output)
    // eslint-disable-next-line no-control-regex
    return { code: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
  }

  const named = (b: Built) => Object.fromEntries(b.files.map((f) => [path.basename(f), f]));

  test('a wheel and one sdist of the version pass, each checked', () => {
    const r = run(named(good));
    expect(r.out).toContain(`Checking dist/${path.basename(good.wheel)}: PASSED`);
    expect(r.out).toContain('Checking dist/sample_pkg-1.2.0.tar.gz: PASSED');
    expect(r.out).toContain('sample_pkg-1.2.0.tar.gz: version 1.2.0');
    expect(r.code).toBe(0);
  });

  test('two sdists are refused (which one is the release would be a guess)', () => {
    // the same sdist under the name older setuptools gave it: both carry 1.2.0 and pass twine
    const r = run({ ...named(good), 'sample-pkg-1.2.0.tar.gz': good.sdist! });
    expect(r.out).toContain('::error::Expected exactly one sdist in dist, found 2.');
    expect(r.code).toBe(1);
  });

  test('an sdist without a wheel is refused', () => {
    const r = run({ 'sample_pkg-1.2.0.tar.gz': good.sdist! });
    expect(r.out).toContain('::error::No wheel in dist.');
    expect(r.code).toBe(1);
  });

  test('twine check --strict: files twine check alone passes with warnings (no description) are refused', () => {
    // without --strict twine passes them: the warnings alone would not stop a release
    const lenient = spawnSync(tool('twine'), ['check', ...bare.files], { encoding: 'utf-8', env: { PATH: `${TOOLS_BIN}:/usr/bin:/bin`, NO_COLOR: '1' } });
    expect(lenient.stdout).toContain('PASSED with warnings');
    expect(lenient.status).toBe(0);
    const r = run(named(bare));
    expect(r.out).toContain(`Checking dist/${path.basename(bare.wheel)}: FAILED due to warnings`);
    expect(r.out).toContain('`long_description` missing.');
    expect(r.code).not.toBe(0);
  });
});
