import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VersionScheme, VersionStrategy } from '../src';
import { FakeGitHub } from './helpers/e2e/fake-gh';
import { E2E_TOOLS, synthRelease, SynthesizedRelease, testToolchain } from './helpers/e2e/pipelines';
import { git, SampleCopy, SampleRepo, VersionSource } from './helpers/e2e/sample-repo';
import { JobRun, runWorkflowJob, toolEnv } from './helpers/e2e/workflow-runner';
import { Workflow } from './helpers/project';
import { describeWithTools, havePythonModule, requireTools } from './helpers/tools';
import { RunnableStep } from '../src/rehearsal/step-runner';

const REPO = 'acme/sample-pkg';
const PAT = 'pat-release-token';
const WORKFLOW_TOKEN = 'ghs-workflow-token';

/** One run of release.yml against a fresh copy of the sample repository. */
interface ReleaseRun {
  /** Scratch directory of the run. */
  readonly dir: string;
  readonly copy: SampleCopy;
  readonly gh: FakeGitHub;
  readonly workspace: string;
  /** main of origin before the run. */
  readonly mainBefore: string;
  readonly validate: JobRun;
  /** The release job, when validate passed. */
  readonly release?: JobRun;
}

interface RunOptions {
  readonly version: string;
  readonly prerelease?: boolean;
  readonly forceRecreate?: boolean;
  /** Run the validate job only. */
  readonly validateOnly?: boolean;
  readonly wf?: Workflow;
  readonly template?: SampleRepo;
  /** Run again on the origin and GitHub that an earlier run left. */
  readonly after?: ReleaseRun;
  /** Changes origin and GitHub before the run (existing releases...). */
  readonly setup?: (copy: SampleCopy, gh: FakeGitHub) => void;
  readonly beforeStep?: (step: RunnableStep, copy: SampleCopy) => void;
}

/** Throws the jobs' logs unless `run` succeeded. */
function expectSuccess(run: JobRun | undefined): JobRun {
  if (!run) throw new Error('the job did not run');
  if (!run.ok) throw new Error(`job failed at ${run.failed?.id}:\n${run.log()}`);
  return run;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describeWithTools('release.yml, run for real (git, git-cliff, python3-build, twine; gh stood in)', E2E_TOOLS, () => {
  let root: string;
  let main: SynthesizedRelease;
  let templates: Record<string, SampleRepo>;
  let counter = 0;

  function template(source: VersionSource): SampleRepo {
    templates[source] ??= SampleRepo.create(path.join(root, `template-${source}`), { versionSource: source, extraFiles: { 'cliff.toml': main.cliffToml } });
    return templates[source];
  }

  /**
   * Runs the validate job, then (when it passed) the release job's run: steps, in a fresh copy of
   * the sample: `uses:` steps are skipped (the test's clone is the checkout), and so is the tool
   * installation (git-cliff, twine and Debian's python3 are on PATH).
   */
  function runRelease(options: RunOptions): ReleaseRun {
    const dir = path.join(root, `run-${++counter}`);
    const copy = options.after?.copy ?? (options.template ?? template('static')).copy(dir);
    const gh = options.after?.gh ?? new FakeGitHub(dir, copy.origin, REPO);
    options.setup?.(copy, gh);
    const wf = options.wf ?? main.wf;
    const checksOut = !options.validateOnly || wf.jobs.validate.steps.some((s) => s.uses !== undefined);
    const workspace = checksOut ? copy.clone(`workspace-${counter}`) : dir;
    const mainBefore = copy.commitOf('refs/heads/main')!;
    const common = {
      workspace,
      baseEnv: toolEnv(path.join(dir, 'home'), gh.binDir, gh.env),
      inputs: { version: options.version, prerelease: options.prerelease ?? false, force_recreate: options.forceRecreate ?? false },
      secrets: { RELEASE_PAT: PAT },
      github: { repository: REPO, ref: 'refs/heads/main', token: WORKFLOW_TOKEN, sha: mainBefore },
    };
    const validate = runWorkflowJob(wf, 'validate', { ...common, tempDir: path.join(dir, 'validate') });
    const release = validate.ok && !options.validateOnly
      ? runWorkflowJob(wf, 'release', {
        ...common,
        tempDir: path.join(dir, 'release'),
        needs: { validate: { outputs: validate.outputs } },
        skip: ['install-release-tools'],
        beforeStep: (step) => options.beforeStep?.(step, copy),
      })
      : undefined;
    if (process.env.E2E_TIMINGS) {
      // eslint-disable-next-line no-console
      console.log([validate, release].filter(Boolean).flatMap((j) => j!.results.map((r) => `${r.id}: ${r.seconds.toFixed(2)}s`)).join('\n'));
    }
    return { dir, copy, gh, workspace, mainBefore, validate, release };
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-release-'));
    templates = {};
    main = synthRelease();
  });

  afterAll(() => {
    if (process.env.KEEP_E2E) console.log(`kept ${root}`); // eslint-disable-line no-console
    else fs.rmSync(root, { recursive: true, force: true });
  });

  describe('the happy path: 1.2.0', () => {
    let run: ReleaseRun;
    let release: JobRun;
    beforeAll(() => {
      run = runRelease({ version: '1.2.0' });
      expectSuccess(run.validate);
      release = expectSuccess(run.release);
    });

    test('validate derives version, tag and prerelease, and checks the tag with the workflow token', () => {
      expect(run.validate.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' });
      const lookups = run.gh.callsOf('api');
      expect(lookups.map((c) => c.args[1])).toEqual([`repos/${REPO}/git/ref/tags/v1.2.0`, `repos/${REPO}/releases/tags/v1.2.0`]);
      for (const call of lookups) expect(call.token).toBe(WORKFLOW_TOKEN);
    });

    test('the release job runs its scripts in order', () => {
      expect(release.ran).toEqual(['set-version', 'changelog', 'commit', 'build', 'verify', 'checksums', 'push', 'github-release']);
      expect(release.step('delete-existing-release')).toMatchObject({ status: 'skipped' });
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
      expect(changelog.indexOf('## [1.2.0]')).toBeGreaterThan(changelog.indexOf('# Changelog'));
      expect(changelog).toContain('## [1.1.0] - 2026-01-15');
    });

    test('the tag points at the release commit, which is main on origin and holds the version and changelog', () => {
      const tagged = run.copy.commitOf('refs/tags/v1.2.0');
      expect(tagged).toBeDefined();
      expect(run.copy.commitOf('refs/heads/main')).toBe(tagged);
      expect(git(run.copy.origin, 'cat-file', '-t', 'v1.2.0')).toBe('tag');
      expect(git(run.copy.origin, 'log', '-1', '--format=%s%n%an', tagged!)).toBe('chore(release): v1.2.0\ngithub-actions[bot]');
      expect(git(run.copy.origin, 'rev-parse', `${tagged}~1`)).toBe(run.mainBefore);
      expect(git(run.copy.origin, 'diff', '--name-only', `${tagged}~1`, tagged!).split('\n').sort()).toEqual(['CHANGELOG.md', 'pyproject.toml']);
      expect(run.copy.show('v1.2.0', 'pyproject.toml')).toContain('version = "1.2.0"  # set by the release workflow');
    });

    test('the wheel and sdist carry 1.2.0 and SHA256SUMS matches them', () => {
      const dist = path.join(run.workspace, 'dist');
      expect(fs.readdirSync(dist).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
      expect(release.step('verify').output).toMatch(/sample_pkg-1\.2\.0-py3-none-any\.whl: version 1\.2\.0/);
      expect(release.step('verify').output).toMatch(/sample_pkg-1\.2\.0\.tar\.gz: version 1\.2\.0/);
      const sums = fs.readFileSync(path.join(dist, 'SHA256SUMS'), 'utf-8');
      expect(sums).toBe([
        `${sha256(path.join(dist, 'sample_pkg-1.2.0-py3-none-any.whl'))}  sample_pkg-1.2.0-py3-none-any.whl`,
        `${sha256(path.join(dist, 'sample_pkg-1.2.0.tar.gz'))}  sample_pkg-1.2.0.tar.gz`,
        '',
      ].join('\n'));
    });

    test('gh release create attaches exactly the wheel, sdist and SHA256SUMS with the notes, using the PAT', () => {
      const notesFile = path.join(run.dir, 'release', 'runner-temp', 'release-notes.md');
      const creates = run.gh.callsOf('release', 'create');
      expect(creates).toHaveLength(1);
      const [create] = creates;
      expect(create.token).toBe(PAT);
      expect(create.repo).toBe(REPO);
      expect(create.exitCode).toBe(0);
      expect(create.args.slice(2, 6)).toEqual(['v1.2.0', 'dist/sample_pkg-1.2.0-py3-none-any.whl', 'dist/sample_pkg-1.2.0.tar.gz', 'dist/SHA256SUMS']);
      expect(create.args).toContain('--verify-tag');
      expect(create.args).not.toContain('--prerelease');
      expect(create.args[create.args.indexOf('--notes-file') + 1]).toBe(notesFile);

      const published = run.gh.releases['v1.2.0'];
      expect(Object.keys(published.assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
      for (const [name, stored] of Object.entries(published.assets)) {
        expect(sha256(stored)).toBe(sha256(path.join(run.workspace, 'dist', name)));
      }
      expect(published.prerelease).toBe(false);
      expect(published.notes).toMatch(/- Add a farewell function/);
      expect(published.notes).toMatch(/- Strip whitespace from names/);
      expect(published.notes).not.toMatch(/# Changelog|1\.1\.0|Greet people/);
      expect(published.notes).toBe(fs.readFileSync(notesFile, 'utf-8'));
    });
  });

  /** Tags origin's main as v1.2.0 and makes a GitHub release of it: a release that already exists. */
  function existingRelease(options: { immutable?: boolean } = {}) {
    return (copy: SampleCopy, gh: FakeGitHub) => {
      git(copy.origin, 'tag', 'v1.2.0', 'refs/heads/main');
      gh.addRelease('v1.2.0', { assets: { 'sample_pkg-1.2.0.tar.gz': 'old sdist' }, immutable: options.immutable });
    };
  }

  describe('a version that already exists', () => {
    test('is refused before anything changes, naming force_recreate', () => {
      const run = runRelease({ version: '1.2.0', setup: existingRelease() });
      expect(run.validate.ok).toBe(false);
      expect(run.validate.failed?.id).toBe('tag-available');
      expect(run.validate.failed?.output).toContain('::error title=Version exists::Tag or release v1.2.0 already exists. Release a new version, or run again with force_recreate');
      expect(run.release).toBeUndefined();
      expect(run.gh.releases['v1.2.0'].assets).toHaveProperty(['sample_pkg-1.2.0.tar.gz']);
      expect(run.copy.commitOf('refs/tags/v1.2.0')).toBe(run.mainBefore);
      expect(run.gh.calls.filter((c) => c.args[0] === 'release')).toEqual([]);
    });

    test('is refused even with force_recreate when its release is immutable', () => {
      const run = runRelease({ version: '1.2.0', forceRecreate: true, setup: existingRelease({ immutable: true }) });
      expect(run.validate.failed?.id).toBe('tag-available');
      expect(run.validate.failed?.output).toContain('::error title=Immutable release::The release v1.2.0 is immutable');
      expect(run.release).toBeUndefined();
      expect(run.gh.releases['v1.2.0']).toBeDefined();
    });

    test('with force_recreate, the old release and tag are removed first, then released again from the release commit on main', () => {
      const first = runRelease({ version: '1.2.0' });
      expectSuccess(first.release);
      const releaseCommit = first.copy.commitOf('refs/tags/v1.2.0');
      // it never reached PyPI; the maintainer makes it again
      const again = runRelease({ version: '1.2.0', forceRecreate: true, after: first });
      expectSuccess(again.validate);
      expect(again.validate.step('tag-available').output).toContain('::warning::force_recreate: the existing release and tag v1.2.0 will be deleted');
      const release = expectSuccess(again.release);
      expect(release.ran.slice(0, 2)).toEqual(['delete-existing-release', 'set-version']);
      const releaseCalls = again.gh.calls.filter((c) => c.args[0] === 'release').map((c) => c.args.slice(0, 3).join(' '));
      expect(releaseCalls).toEqual(['release create v1.2.0', 'release view v1.2.0', 'release delete v1.2.0', 'release create v1.2.0']);
      const [deletion] = again.gh.callsOf('release', 'delete');
      expect(deletion.args).toEqual(expect.arrayContaining(['--cleanup-tag', '--yes']));
      expect(deletion.token).toBe(PAT);
      expect(Object.keys(again.gh.releases['v1.2.0'].assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
      // the changelog section is not written twice, the commit not made twice
      expect(release.step('changelog').output).toContain('HEAD is the release commit of v1.2.0 already');
      expect(release.step('commit').output).toContain('Nothing to commit');
      expect(again.copy.commitOf('refs/tags/v1.2.0')).toBe(releaseCommit);
      expect(again.copy.commitOf('refs/heads/main')).toBe(releaseCommit);
      expect(again.copy.show('v1.2.0', 'CHANGELOG.md').match(/^## \[1\.2\.0\]/gm)).toHaveLength(1);
      expect(again.gh.releases['v1.2.0'].notes).toMatch(/- Add a farewell function/);
    });
  });

  test('main moved during the run: the atomic push fails, no tag reaches origin, no release is made', () => {
    let moved = '';
    const run = runRelease({
      version: '1.2.0',
      beforeStep: (step, copy) => {
        if (step.id === 'push') moved = copy.moveMain();
      },
    });
    expectSuccess(run.validate);
    expect(run.release?.ok).toBe(false);
    expect(run.release?.failed?.id).toBe('push');
    expect(run.release?.failed?.output).toMatch(/\[rejected\][\s\S]*::error title=Push refused::Could not push the release commit and v1.2.0 together/);
    expect(run.release?.step('github-release')).toMatchObject({ status: 'skipped', reason: 'an earlier step failed' });
    expect(run.copy.tags()).toEqual(['v1.1.0']);
    expect(run.copy.commitOf('refs/heads/main')).toBe(moved);
    expect(run.gh.callsOf('release')).toEqual([]);
  });

  test('a build that carries the wrong version is refused before anything is pushed', () => {
    // a set-version command that writes the version where the build does not read it
    const { wf } = synthRelease({ toolchain: testToolchain({ setVersion: 'echo "__version__ = \\"$VERSION\\"" > src/sample_pkg/_version.py' }) });
    const run = runRelease({ version: '1.2.0', wf });
    expectSuccess(run.validate);
    expect(run.release?.failed?.id).toBe('verify');
    expect(run.release?.failed?.output).toContain('::error title=Wrong version::expected 1.2.0, but sample_pkg-1.1.0-py3-none-any.whl carries version 1.1.0; sample_pkg-1.1.0.tar.gz carries version 1.1.0');
    expect(run.release?.ran).toEqual(['set-version', 'changelog', 'commit', 'build', 'verify']);
    expect(run.copy.tags()).toEqual(['v1.1.0']);
    expect(run.copy.commitOf('refs/heads/main')).toBe(run.mainBefore);
    expect(run.gh.callsOf('release')).toEqual([]);
  });

  describe('prereleases', () => {
    test('a semver prerelease 1.2.0-rc.1: tag v1.2.0-rc.1, package 1.2.0rc1, and --prerelease reaches the release', () => {
      const { wf } = synthRelease({ versionScheme: VersionScheme.semver() });
      const run = runRelease({ version: '1.2.0-rc.1', wf });
      expect(run.validate.outputs).toEqual({ version: '1.2.0rc1', tag: 'v1.2.0-rc.1', prerelease: 'true' });
      expectSuccess(run.release);
      const [create] = run.gh.callsOf('release', 'create');
      expect(create.args).toContain('--prerelease');
      expect(create.args.slice(2, 6)).toEqual(['v1.2.0-rc.1', 'dist/sample_pkg-1.2.0rc1-py3-none-any.whl', 'dist/sample_pkg-1.2.0rc1.tar.gz', 'dist/SHA256SUMS']);
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
      const run = runRelease({ version, prerelease, validateOnly: true });
      expect(run.validate.outputs.prerelease).toBe(expected);
    });
  });

  (requireTools({ 'python3-hatch-vcs': havePythonModule('hatch_vcs') }) ? test : test.skip)('version from the tag (hatch-vcs): the build before tagging carries exactly 1.2.0', () => {
    const { wf } = synthRelease({ versionStrategy: VersionStrategy.fromTag() });
    const run = runRelease({ version: '1.2.0', wf, template: template('vcs') });
    expectSuccess(run.validate);
    const release = expectSuccess(run.release);
    expect(release.ran).toEqual(['changelog', 'commit', 'build', 'verify', 'checksums', 'push', 'github-release']);
    expect(Object.keys(run.gh.releases['v1.2.0'].assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
    expect(git(run.copy.origin, 'diff', '--name-only', 'v1.2.0~1', 'v1.2.0')).toBe('CHANGELOG.md');
  });

  test('a version committed by hand (verifyOnly) that differs from the input is refused in validate', () => {
    const { wf } = synthRelease({ versionStrategy: VersionStrategy.verifyOnly() });
    const run = runRelease({ version: '1.2.0', wf, validateOnly: true });
    expect(run.validate.failed?.id).toBe('committed-version');
    expect(run.validate.failed?.output).toContain('::error title=Version mismatch::pyproject.toml says version 1.1.0, but the release is 1.2.0.');
  });

  test('validate stops when GitHub cannot be asked (bad token), instead of calling the tag free', () => {
    const run = runRelease({ version: '1.2.0', validateOnly: true, setup: existingRelease() });
    expect(run.validate.ok).toBe(false);
    // with the token missing, every gh call fails with an auth error, not a 404
    const noToken = runWorkflowJob(main.wf, 'validate', {
      workspace: run.workspace,
      tempDir: path.join(run.copy.dir, 'validate-no-token'),
      baseEnv: toolEnv(path.join(run.copy.dir, 'home'), run.gh.binDir, run.gh.env),
      inputs: { version: '1.3.0', prerelease: false, force_recreate: false },
      github: { repository: REPO, ref: 'refs/heads/main', token: '' },
    });
    expect(noToken.failed?.id).toBe('tag-available');
    expect(noToken.failed?.output).toContain('::error title=GitHub API call failed::Could not check whether v1.3.0 exists');
    expect(noToken.failed?.output).not.toContain('is free');
  });

  test('a monorepo package: its own tag prefix and changelog, only its own commits, built in its directory', () => {
    const mono = synthRelease({ packageDir: 'packages/sample-pkg' });
    expect(mono.pipeline.fileName).toBe('release-sample-pkg.yml');
    const sample = SampleRepo.create(path.join(root, 'template-monorepo'), {
      versionSource: 'static',
      packageDir: 'packages/sample-pkg',
      tagPrefix: 'sample-pkg-v',
      extraFiles: { 'packages/sample-pkg/cliff.toml': mono.cliffToml },
    });
    const run = runRelease({ version: '1.2.0', wf: mono.wf, template: sample });
    expect(run.validate.outputs.tag).toBe('sample-pkg-v1.2.0');
    const release = expectSuccess(run.release);
    expect(release.ran).toEqual(['set-version', 'changelog', 'commit', 'build', 'verify', 'checksums', 'push', 'github-release']);
    const tag = 'sample-pkg-v1.2.0';
    expect(git(run.copy.origin, 'diff', '--name-only', `${tag}~1`, tag).split('\n').sort()).toEqual(['packages/sample-pkg/CHANGELOG.md', 'packages/sample-pkg/pyproject.toml']);
    const changelog = run.copy.show(tag, 'packages/sample-pkg/CHANGELOG.md');
    const section = changelog.slice(changelog.indexOf('## [1.2.0]'), changelog.indexOf('## [1.1.0]'));
    expect(section).toMatch(/- Add a farewell function[\s\S]*- Strip whitespace from names[\s\S]*- Show both functions in the README/);
    expect(section).not.toContain('other package');
    expect(run.gh.releases[tag].notes).not.toContain('other package');
    const [create] = run.gh.callsOf('release', 'create');
    expect(create.args.slice(2, 6)).toEqual([tag, 'dist/sample_pkg-1.2.0-py3-none-any.whl', 'dist/sample_pkg-1.2.0.tar.gz', 'dist/SHA256SUMS']);
    expect(fs.existsSync(path.join(run.workspace, 'packages/sample-pkg/dist/SHA256SUMS'))).toBe(true);
  });

  test.each([
    ['1.2.0RC1', 'not a canonical'],
    ['01.2.0', 'not a canonical'],
    ['1.2.0-rc.1', 'not a canonical'],
    ['1.2.0; rm -rf /', 'not a canonical'],
  ])('validate refuses %j before anything runs', (version, message) => {
    const run = runRelease({ version, validateOnly: true });
    expect(run.validate.failed?.id).toBe('version');
    expect(run.validate.failed?.output).toContain(`::error title=Invalid version::${message}`);
    expect(run.release).toBeUndefined();
  });

  test('validate refuses a run from another branch', () => {
    const dir = path.join(root, 'branch');
    const copy = template('static').copy(dir);
    const gh = new FakeGitHub(dir, copy.origin, REPO);
    const run = runWorkflowJob(main.wf, 'validate', {
      workspace: copy.clone('workspace'),
      tempDir: path.join(dir, 'validate'),
      baseEnv: toolEnv(path.join(dir, 'home'), gh.binDir, gh.env),
      inputs: { version: '1.2.0', prerelease: false, force_recreate: false },
      github: { repository: REPO, ref: 'refs/heads/feature', token: WORKFLOW_TOKEN },
    });
    expect(run.failed?.id).toBe('branch');
    expect(run.failed?.output).toContain('::error title=Wrong branch::Releases are made from main; this run is on refs/heads/feature.');
  });
});
