import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VersionScheme, VersionStrategy } from '../src';
import { E2E_TOOLS, synthRelease } from './helpers/e2e/pipelines';
import { existingRelease, expectSuccess, PAT, ReleaseRun, ReleaseRunner, REPO, WORKFLOW_TOKEN } from './helpers/e2e/release-run';
import { git } from './helpers/e2e/sample-repo';
import { JobRun } from './helpers/e2e/workflow-runner';
import { describeWithTools } from './helpers/tools';

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describeWithTools('release.yml, run for real (git, uv, git-cliff, twine; gh stood in)', E2E_TOOLS, () => {
  let root: string;
  let runner: ReleaseRunner;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-release-'));
    runner = new ReleaseRunner(root);
  });

  afterAll(() => {
    if (process.env.KEEP_E2E) console.log(`kept ${root}`); // eslint-disable-line no-console
    else fs.rmSync(root, { recursive: true, force: true });
  });

  describe('the happy path: 1.2.0', () => {
    let run: ReleaseRun;
    let build: JobRun;
    let release: JobRun;
    beforeAll(() => {
      run = runner.run({ version: '1.2.0' });
      expectSuccess(run.validate);
      build = expectSuccess(run.build);
      release = expectSuccess(run.release, run);
    });

    test('validate derives version, tag and prerelease, and checks the tag with the workflow token', () => {
      expect(run.validate.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' });
      const lookups = run.gh.callsOf('api').slice(0, 2);
      expect(lookups.map((c) => c.args[1])).toEqual([`repos/${REPO}/git/ref/tags/v1.2.0`, `repos/${REPO}/releases/tags/v1.2.0`]);
      for (const call of lookups) expect(call.token).toBe(WORKFLOW_TOKEN);
    });

    test('the build job runs its scripts in order and pushes nothing; the release job checks, then pushes and releases', () => {
      expect(build.ran).toEqual(['set-version', 'changelog', 'commit', 'build', 'verify', 'checksums', 'stage']);
      expect(release.ran).toEqual(['checksums', 'release-commit', 'push', 'github-release']);
      expect(release.step('delete-existing-release')).toMatchObject({ status: 'skipped' });
      expect(build.outputs.commit).toBe(release.step('release-commit').outputs.commit);
    });

    test('CHANGELOG.md gains a section for 1.2.0 with this release\'s commits only', () => {
      const changelog = run.copy.show('v1.2.0', 'CHANGELOG.md');
      expect(changelog.match(/^# Changelog$/gm)).toHaveLength(1);
      const section = changelog.slice(changelog.indexOf('## [1.2.0]'), changelog.indexOf('## [1.1.0]'));
      expect(section).toMatch(/^## \[1\.2\.0\] - \d{4}-\d{2}-\d{2}$/m);
      expect(section).toMatch(/### Added\s+- Add a farewell function/);
      expect(section).toMatch(/### Fixed\s+- Strip whitespace from names/);
      expect(section).toMatch(/### Documentation\s+- Show both functions in the README/);
      expect(section).not.toMatch(/ignore \.venv|chore|greet people/i);
      expect(changelog).toContain('## [1.1.0] - 2026-01-15');
    });

    test('the tag points at the release commit, now main on origin: version, uv.lock and changelog, nothing else', () => {
      const tagged = run.copy.commitOf('refs/tags/v1.2.0');
      expect(run.copy.commitOf('refs/heads/main')).toBe(tagged);
      expect(git(run.copy.origin, 'cat-file', '-t', 'v1.2.0')).toBe('tag');
      expect(git(run.copy.origin, 'log', '-1', '--format=%s%n%an', tagged!)).toBe('chore(release): v1.2.0\ngithub-actions[bot]');
      expect(git(run.copy.origin, 'rev-parse', `${tagged}~1`)).toBe(run.mainBefore);
      expect(git(run.copy.origin, 'diff', '--name-only', `${tagged}~1`, tagged!).split('\n').sort()).toEqual(['CHANGELOG.md', 'pyproject.toml', 'uv.lock']);
      expect(run.copy.show('v1.2.0', 'pyproject.toml')).toContain('version = "1.2.0"  # set by the release workflow');
    });

    test('the lock in the release commit agrees with the new version (real uv), so the next locked install passes', () => {
      const lock = run.copy.show('v1.2.0', 'uv.lock');
      expect(lock).toMatch(/\[\[package\]\]\nname = "sample-pkg"\nversion = "1\.2\.0"\nsource = \{ editable = "\." \}/);
      expect(git(run.copy.origin, 'diff', 'v1.2.0~1', 'v1.2.0', '--', 'uv.lock')).toMatch(/^-version = "1\.1\.0"\n\+version = "1\.2\.0"$/m);
    });

    test('the wheel and sdist carry 1.2.0, SHA256SUMS matches them, and the release job checked them again', () => {
      const dist = path.join(run.workspace, 'dist');
      // uv build also writes dist/.gitignore
      expect(fs.readdirSync(dist).filter((f) => !f.startsWith('.')).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
      expect(build.step('verify').output).toMatch(/sample_pkg-1\.2\.0-py3-none-any\.whl: version 1\.2\.0/);
      expect(fs.readFileSync(path.join(dist, 'SHA256SUMS'), 'utf-8')).toBe([
        `${sha256(path.join(dist, 'sample_pkg-1.2.0-py3-none-any.whl'))}  sample_pkg-1.2.0-py3-none-any.whl`,
        `${sha256(path.join(dist, 'sample_pkg-1.2.0.tar.gz'))}  sample_pkg-1.2.0.tar.gz`,
        '',
      ].join('\n'));
      expect(release.step('checksums').output).toMatch(/sample_pkg-1\.2\.0\.tar\.gz: OK/);
      expect(fs.readdirSync(run.releaseFiles).sort()).toEqual([
        'SHA256SUMS', 'release-notes.md', 'release.bundle', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz',
      ]);
    });

    test('gh release create attaches exactly the wheel, sdist and SHA256SUMS with the notes, using the PAT', () => {
      const [create, ...more] = run.gh.callsOf('release', 'create');
      expect(more).toEqual([]);
      expect(create.token).toBe(PAT);
      expect(create.repo).toBe(REPO);
      const files = run.releaseFiles;
      expect(create.args.slice(2, 6)).toEqual(['v1.2.0', `${files}/sample_pkg-1.2.0-py3-none-any.whl`, `${files}/sample_pkg-1.2.0.tar.gz`, `${files}/SHA256SUMS`]);
      expect(create.args).toContain('--verify-tag');
      expect(create.args).not.toContain('--prerelease');
      expect(create.args).not.toContain('--draft');
      const published = run.gh.releases['v1.2.0'];
      expect(Object.keys(published.assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
      for (const [name, stored] of Object.entries(published.assets)) expect(sha256(stored)).toBe(sha256(path.join(run.workspace, 'dist', name)));
      expect(published.draft).toBe(false);
      expect(published.notes).toMatch(/- Add a farewell function/);
      expect(published.notes).not.toMatch(/# Changelog|1\.1\.0|Greet people/);
    });

    test('no job but the release job ever saw the release token', () => {
      for (const job of [run.validate, build]) {
        for (const r of job.results) expect(r.output).not.toContain(PAT);
      }
      expect(run.gh.calls.filter((c) => c.token === PAT).map((c) => c.args.slice(0, 2).join(' '))).toEqual(['release create']);
    });
  });

  describe('a version that already exists', () => {
    test('is refused before anything changes, naming force_recreate', () => {
      const run = runner.run({ version: '1.2.0', setup: existingRelease() });
      expect(run.validate.failed?.id).toBe('tag-available');
      expect(run.validate.failed?.output).toContain('::error title=Version exists::Tag or release v1.2.0 already exists. Release a new version, or run again with force_recreate');
      expect(run.build).toBeUndefined();
      expect(run.copy.commitOf('refs/tags/v1.2.0')).toBe(run.mainBefore);
      expect(run.gh.calls.filter((c) => c.args[0] === 'release')).toEqual([]);
    });

    test('is refused even with force_recreate when its release is immutable', () => {
      const run = runner.run({ version: '1.2.0', forceRecreate: true, setup: existingRelease({ immutable: true }) });
      expect(run.validate.failed?.id).toBe('tag-available');
      expect(run.validate.failed?.output).toContain('::error title=Immutable release::The release v1.2.0 is immutable');
      expect(run.gh.releases['v1.2.0']).toBeDefined();
    });

    test('force_recreate after a pushed release: the old release and tag go, the release commit on main is released again', () => {
      const first = runner.run({ version: '1.2.0' });
      expectSuccess(first.release, first);
      const releaseCommit = first.copy.commitOf('refs/tags/v1.2.0');
      const again = runner.run({ version: '1.2.0', forceRecreate: true, after: first });
      expect(again.validate.step('tag-available').output).toContain('::warning::force_recreate: the existing release and tag v1.2.0 will be deleted');
      const build = expectSuccess(again.build);
      expect(build.step('changelog').output).toContain('HEAD is the release commit of v1.2.0 already');
      expect(build.step('commit').output).toContain('Nothing to commit');
      expect(fs.existsSync(path.join(again.releaseFiles, 'release.bundle'))).toBe(false);
      const release = expectSuccess(again.release, again);
      expect(release.ran).toEqual(['checksums', 'release-commit', 'delete-existing-release', 'push', 'github-release']);
      const [deletion] = again.gh.callsOf('release', 'delete');
      expect(deletion.args).toEqual(expect.arrayContaining(['--cleanup-tag', '--yes']));
      expect(deletion.token).toBe(PAT);
      expect(again.copy.commitOf('refs/tags/v1.2.0')).toBe(releaseCommit);
      expect(again.copy.commitOf('refs/heads/main')).toBe(releaseCommit);
      expect(again.copy.show('v1.2.0', 'CHANGELOG.md').match(/^## \[1\.2\.0\]/gm)).toHaveLength(1);
    });

    test('force_recreate after main moved on: the earlier section is replaced, so 1.2.0 has one section', () => {
      const first = runner.run({ version: '1.2.0' });
      expectSuccess(first.release, first);
      first.copy.moveMain('fix: a late fix');
      const again = runner.run({ version: '1.2.0', forceRecreate: true, after: first });
      const build = expectSuccess(again.build);
      expect(build.step('changelog').output).toMatch(/Took back the v1\.2\.0 section that the earlier release commit [0-9a-f]{7} wrote/);
      expectSuccess(again.release, again);
      const changelog = again.copy.show('v1.2.0', 'CHANGELOG.md');
      expect(changelog.match(/^## \[1\.2\.0\]/gm)).toHaveLength(1);
      const section = changelog.slice(changelog.indexOf('## [1.2.0]'), changelog.indexOf('## [1.1.0]'));
      expect(section).toMatch(/- A late fix/);
      expect(section).toMatch(/- Add a farewell function/);
      expect(git(again.copy.origin, 'rev-parse', 'v1.2.0~1')).toBe(again.mainBefore);
    });
  });

  describe('prereleases and drafts', () => {
    test('a semver prerelease 1.2.0-rc.1: tag v1.2.0-rc.1, package 1.2.0rc1, and --prerelease reaches the release', () => {
      const { wf } = synthRelease({ versionScheme: VersionScheme.semver() });
      const run = runner.run({ version: '1.2.0-rc.1', wf });
      expect(run.validate.outputs).toEqual({ version: '1.2.0rc1', tag: 'v1.2.0-rc.1', prerelease: 'true' });
      expectSuccess(run.release, run);
      const [create] = run.gh.callsOf('release', 'create');
      expect(create.args).toContain('--prerelease');
      expect(run.gh.releases['v1.2.0-rc.1'].prerelease).toBe(true);
      expect(run.copy.show('v1.2.0-rc.1', 'pyproject.toml')).toContain('version = "1.2.0rc1"');
      expect(run.copy.show('v1.2.0-rc.1', 'CHANGELOG.md')).toMatch(/^## \[1\.2\.0-rc\.1\] - /m);
    });

    test.each([
      ['1.2.0', true, 'true'],
      ['1.2.0', false, 'false'],
      ['1.2.0b2', false, 'true'],
      ['1.2.0.dev3', false, 'true'],
    ])('validate: %s with the prerelease box %s gives prerelease=%s', (version, prerelease, expected) => {
      const run = runner.run({ version, prerelease, until: 'validate' });
      expect(run.validate.outputs.prerelease).toBe(expected);
    });
  });

  test('a first release: there is no CHANGELOG.md yet; the release commit adds it, with the section', () => {
    const run = runner.run({ version: '1.2.0', template: runner.template('static', { changelog: false }, 'no-changelog') });
    expectSuccess(run.release, run);
    expect(git(run.copy.origin, 'ls-tree', '--name-only', 'v1.2.0~1')).not.toContain('CHANGELOG.md');
    expect(git(run.copy.origin, 'diff', '--name-only', 'v1.2.0~1', 'v1.2.0').split('\n').sort()).toEqual(['CHANGELOG.md', 'pyproject.toml', 'uv.lock']);
    const changelog = run.copy.show('v1.2.0', 'CHANGELOG.md');
    expect(changelog.match(/^## \[1\.2\.0\] - \d{4}-\d{2}-\d{2}$/gm)).toHaveLength(1);
    expect(changelog).toMatch(/- Add a farewell function/);
  });

  test('version from the tag (hatch-vcs): the build before tagging carries exactly 1.2.0', () => {
    const { wf } = synthRelease({ versionStrategy: VersionStrategy.fromTag() });
    const run = runner.run({ version: '1.2.0', wf, template: runner.template('vcs') });
    expect(expectSuccess(run.build).ran).toEqual(['changelog', 'commit', 'build', 'verify', 'checksums', 'stage']);
    expectSuccess(run.release, run);
    expect(Object.keys(run.gh.releases['v1.2.0'].assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
    expect(git(run.copy.origin, 'diff', '--name-only', 'v1.2.0~1', 'v1.2.0')).toBe('CHANGELOG.md');
  });

  test('a version committed by hand (verifyOnly) that differs from the input is refused in validate', () => {
    const { wf } = synthRelease({ versionStrategy: VersionStrategy.verifyOnly() });
    const run = runner.run({ version: '1.2.0', wf, until: 'validate' });
    expect(run.validate.failed?.id).toBe('committed-version');
    expect(run.validate.failed?.output).toContain('::error title=Version mismatch::pyproject.toml says version 1.1.0, but the release is 1.2.0.');
  });

  test('a monorepo package: its own tag prefix, changelog and lock, only its own commits, built in its directory', () => {
    const mono = synthRelease({ packageDir: 'packages/sample-pkg' });
    expect(mono.pipeline.fileName).toBe('release-sample-pkg.yml');
    const sample = runner.template('static', {
      packageDir: 'packages/sample-pkg',
      tagPrefix: 'sample-pkg-v',
      extraFiles: { 'packages/sample-pkg/cliff.toml': mono.cliffToml },
    }, 'monorepo');
    const run = runner.run({ version: '1.2.0', wf: mono.wf, template: sample });
    expect(run.validate.outputs.tag).toBe('sample-pkg-v1.2.0');
    expectSuccess(run.release, run);
    const tag = 'sample-pkg-v1.2.0';
    expect(git(run.copy.origin, 'diff', '--name-only', `${tag}~1`, tag).split('\n').sort()).toEqual([
      'packages/sample-pkg/CHANGELOG.md', 'packages/sample-pkg/pyproject.toml', 'packages/sample-pkg/uv.lock',
    ]);
    const changelog = run.copy.show(tag, 'packages/sample-pkg/CHANGELOG.md');
    const section = changelog.slice(changelog.indexOf('## [1.2.0]'), changelog.indexOf('## [1.1.0]'));
    expect(section).toMatch(/- Add a farewell function[\s\S]*- Strip whitespace from names[\s\S]*- Show both functions in the README/);
    expect(section).not.toContain('other package');
    expect(fs.existsSync(path.join(run.workspace, 'packages/sample-pkg/dist/SHA256SUMS'))).toBe(true);
  });
});
