import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { E2E_TOOLS, synthRelease, testToolchain } from './helpers/e2e/pipelines';
import { existingRelease, expectSuccess, PAT, ReleaseRunner, REPO, WORKFLOW_TOKEN } from './helpers/e2e/release-run';
import { git, runGit } from './helpers/e2e/sample-repo';
import { runWorkflowJob, toolEnv } from './helpers/e2e/workflow-runner';
import { describeWithTools } from './helpers/tools';

/**
 * A hatchling build hook that tries every route by which code in a build step reached the release
 * token when one job built and released: git hooks in the checkout, a `gh` put first on
 * `$GITHUB_PATH`, `BASH_ENV` through `$GITHUB_ENV`, and the environment itself. Everything it
 * sees goes to `loot`.
 */
function hostileHook(loot: string, boundary: string): string {
  return `import json, os, pathlib, stat
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOOT = pathlib.Path(${JSON.stringify(loot)})
# the test's own folder: never plant outside it (uv's cache may sit inside this repository)
BOUNDARY = pathlib.Path(${JSON.stringify(boundary)}).resolve()

def plant(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\\nenv > "{LOOT}/{path.name}-$$.env"\\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)

class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        LOOT.mkdir(parents=True, exist_ok=True)
        (LOOT / f"hook-{os.getpid()}.json").write_text(json.dumps(dict(os.environ)))
        here = pathlib.Path.cwd().resolve()
        for d in [here, *here.parents]:
            if d == BOUNDARY or BOUNDARY not in d.parents:
                break
            if (d / ".git").is_dir():
                for name in ("pre-push", "reference-transaction", "post-commit"):
                    plant(d / ".git" / "hooks" / name)
                break
        if os.environ.get("GITHUB_PATH"):
            plant(LOOT / "bin" / "gh")
            with open(os.environ["GITHUB_PATH"], "a") as f:
                f.write(f"{LOOT / 'bin'}\\n")
        if os.environ.get("GITHUB_ENV"):
            plant(LOOT / "bash-env.sh")
            with open(os.environ["GITHUB_ENV"], "a") as f:
                f.write(f"BASH_ENV={LOOT / 'bash-env.sh'}\\n")
`;
}

describeWithTools('release.yml refuses, and contains, what must not reach the release', E2E_TOOLS, () => {
  let root: string;
  let runner: ReleaseRunner;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-guards-'));
    runner = new ReleaseRunner(root);
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a hostile build hook runs in the build job, captures no token, and the release still succeeds', () => {
    const loot = path.join(root, 'loot');
    const template = runner.template('static', {
      extraFiles: {
        'hatch_build.py': hostileHook(loot, root),
      },
    }, 'hostile');
    const run = runner.run({
      version: '1.2.0',
      template,
      setup: (copy) => {
        // the commit that adds the hook to the build (merged by someone who can push to main)
        const work = copy.clone('attacker');
        fs.appendFileSync(path.join(work, 'pyproject.toml'), '\n[tool.hatch.build.hooks.custom]\n');
        runGit(work, ['commit', '--quiet', '--all', '--message', 'build: a custom build hook']);
        git(work, 'push', '--quiet', 'origin', 'main');
      },
    });
    const build = expectSuccess(run.build, run);
    expectSuccess(run.release, run);
    // the hook ran, planted its traps, and the later build steps ran its BASH_ENV
    const found = fs.readdirSync(loot);
    // uv builds the sdist, then the wheel from it: the hook runs in each
    expect(found.filter((f) => f.startsWith('hook-'))).toHaveLength(2);
    expect(found).toEqual(expect.arrayContaining(['bin', 'bash-env.sh']));
    // its BASH_ENV ran in each later script step of the build job: verify, checksums, stage
    expect(found.filter((f) => f.startsWith('bash-env.sh-'))).toHaveLength(3);
    expect(fs.existsSync(path.join(run.workspace, '.git', 'hooks', 'pre-push'))).toBe(true);
    // ...and saw no token: the build job has none; the release job runs in another checkout
    const auth = Buffer.from(`x-access-token:${PAT}`).toString('base64');
    for (const file of found.filter((f) => !['bin', 'bash-env.sh'].includes(f))) {
      const text = fs.readFileSync(path.join(loot, file), 'utf-8');
      expect(text).not.toContain(PAT);
      expect(text).not.toContain(auth);
      expect(text).not.toMatch(/GIT_CONFIG_VALUE_0|RELEASE_TOKEN|GH_TOKEN/);
    }
    expect(found.some((f) => /^(pre-push|reference-transaction|gh)-/.test(f))).toBe(false);
    expect(build.results.map((r) => r.output).join('\n')).not.toContain(PAT);
    expect(run.copy.commitOf('refs/tags/v1.2.0')).toBe(run.copy.commitOf('refs/heads/main'));
    expect(run.gh.callsOf('release', 'create')).toHaveLength(1);
  });

  test.each<[string, string, RegExp]>([
    ['another file', 'echo changed >> README.md && uv version "$VERSION" --no-sync', /changes README\.md \(not a file a release changes\)/],
    ['pyproject.toml beyond its version', 'uv version "$VERSION" --no-sync && printf \'\\n[tool.evil]\\nx = 1\\n\' >> pyproject.toml', /changes pyproject\.toml \(changes more than its version lines\)/],
  ])('a release commit that changes %s is refused before anything is pushed', (_name, setVersion, message) => {
    const { wf } = synthRelease({ toolchain: testToolchain({ setVersion }) });
    const run = runner.run({ version: '1.2.0', wf });
    expectSuccess(run.build, run);
    expect(run.release?.failed?.id).toBe('release-commit');
    expect(run.release?.failed?.output).toMatch(message);
    expect(run.release?.ran).toEqual(['checksums', 'release-commit']);
    expect(run.copy.tags()).toEqual(['v1.1.0']);
    expect(run.copy.commitOf('refs/heads/main')).toBe(run.mainBefore);
    expect(run.gh.callsOf('release')).toEqual([]);
  });

  test('a swapped bundle (a commit not on top of the run\'s commit) or a swapped file is refused', () => {
    const swapBundle = runner.run({
      version: '1.2.0',
      tamper: (files) => {
        const other = path.join(root, 'other-history');
        git(root, 'init', '--quiet', '--initial-branch=main', other);
        fs.writeFileSync(path.join(other, 'x'), 'x');
        git(other, 'add', 'x');
        runGit(other, ['commit', '--quiet', '--message', 'chore(release): v1.2.0']);
        git(other, 'bundle', 'create', path.join(files, 'release.bundle'), 'HEAD');
      },
    });
    expect(swapBundle.release?.failed?.id).toBe('release-commit');
    expect(swapBundle.release?.failed?.output).toMatch(/::error title=Release commit refused::the release commit [0-9a-f]{40} is not a single commit on top of the run's commit/);
    const swapFile = runner.run({
      version: '1.2.0',
      tamper: (files) => fs.appendFileSync(path.join(files, 'sample_pkg-1.2.0.tar.gz'), 'x'),
    });
    expect(swapFile.release?.failed?.id).toBe('checksums');
    expect(swapFile.release?.failed?.output).toContain('::error title=Checksum mismatch::');
    for (const run of [swapBundle, swapFile]) expect(run.copy.tags()).toEqual(['v1.1.0']);
  });

  test('main moved during the run: the atomic push fails, naming branch rules too; no tag reaches origin', () => {
    let moved = '';
    const run = runner.run({
      version: '1.2.0',
      beforeStep: (job, step, copy) => {
        if (job === 'release' && step.id === 'push') moved = copy.moveMain();
      },
    });
    expect(run.release?.failed?.id).toBe('push');
    expect(run.release?.failed?.output).toMatch(/\[rejected\][\s\S]*::error title=Push refused::Could not push the release commit and v1\.2\.0 to main together; nothing was pushed/);
    expect(run.release?.failed?.output).toMatch(/branch protection or a ruleset refused the push: the owner of the release token \(or the GitHub App\) must be allowed to bypass it/);
    expect(run.release?.step('github-release')).toMatchObject({ status: 'skipped', reason: 'an earlier step failed' });
    expect(run.copy.tags()).toEqual(['v1.1.0']);
    expect(run.copy.commitOf('refs/heads/main')).toBe(moved);
  });

  test('a build that carries the wrong version stops in the build job; the release job never runs', () => {
    const { wf } = synthRelease({ toolchain: testToolchain({ setVersion: 'echo "__version__ = \\"$VERSION\\"" > src/sample_pkg/_version.py' }) });
    const run = runner.run({ version: '1.2.0', wf });
    expect(run.build?.failed?.id).toBe('verify');
    expect(run.build?.failed?.output).toContain('::error title=Wrong version::expected 1.2.0, but sample_pkg-1.1.0-py3-none-any.whl carries version 1.1.0');
    expect(run.release).toBeUndefined();
    expect(run.copy.tags()).toEqual(['v1.1.0']);
  });

  test('a draft release has all its files and publishes nothing until the draft is published', () => {
    const run = runner.run({ version: '1.2.0', draft: true });
    const release = expectSuccess(run.release, run);
    const [create] = run.gh.callsOf('release', 'create');
    expect(create.args).toContain('--draft');
    expect(release.step('github-release').output).toContain('::notice title=Draft release::v1.2.0 is a draft');
    expect(run.gh.releases['v1.2.0'].draft).toBe(true);
    expect(Object.keys(run.gh.releases['v1.2.0'].assets).sort()).toEqual(['SHA256SUMS', 'sample_pkg-1.2.0-py3-none-any.whl', 'sample_pkg-1.2.0.tar.gz']);
    // publishing the draft is what starts publish.yml (release: published)
    const edit = runWorkflowJob({ jobs: { edit: { steps: [{ id: 'edit', name: 'Publish the draft', run: 'gh release edit v1.2.0 --draft=false\n' }] } } } as any, 'edit', {
      workspace: run.workspace,
      tempDir: path.join(run.dir, 'edit'),
      baseEnv: toolEnv(path.join(run.dir, 'home'), run.gh.binDir, { ...run.gh.env, GH_TOKEN: PAT, GH_REPO: REPO }),
    });
    expectSuccess(edit);
    expect(run.gh.releases['v1.2.0'].draft).toBe(false);
  });

  test.each([
    ['1.2.0RC1'], ['01.2.0'], ['1.2.0-rc.1'], ['1.2.0; rm -rf /'],
  ])('validate refuses %j before anything runs', (version) => {
    const run = runner.run({ version, until: 'validate' });
    expect(run.validate.failed?.id).toBe('version');
    expect(run.validate.failed?.output).toContain('::error title=Invalid version::not a canonical');
    expect(run.build).toBeUndefined();
  });

  test('validate stops when GitHub cannot be asked (bad token), instead of calling the tag free', () => {
    const run = runner.run({ version: '1.2.0', until: 'validate', setup: existingRelease() });
    const noToken = runWorkflowJob(runner.main.wf, 'validate', {
      workspace: run.workspace,
      tempDir: path.join(run.dir, 'validate-no-token'),
      baseEnv: toolEnv(path.join(run.dir, 'home'), run.gh.binDir, run.gh.env),
      inputs: { version: '1.3.0', prerelease: false, force_recreate: false },
      github: { repository: REPO, ref: 'refs/heads/main', token: '' },
      skip: ['action-updates'],
    });
    expect(noToken.failed?.id).toBe('tag-available');
    expect(noToken.failed?.output).toContain('::error title=GitHub API call failed::Could not check whether v1.3.0 exists');
    expect(noToken.failed?.output).not.toContain('is free');
  });

  test.each([
    ['refs/heads/feature'],
    ['refs/heads/main-next'], // starts like the release branch
    ['refs/tags/main'],
  ])('validate refuses a run from %s', (ref) => {
    const run = runner.run({ version: '1.2.0', until: 'validate' });
    const other = runWorkflowJob(runner.main.wf, 'validate', {
      workspace: run.workspace,
      tempDir: path.join(run.dir, 'validate-branch'),
      baseEnv: toolEnv(path.join(run.dir, 'home'), run.gh.binDir, run.gh.env),
      inputs: { version: '1.2.0', prerelease: false, force_recreate: false },
      github: { repository: REPO, ref, token: WORKFLOW_TOKEN },
      skip: ['action-updates'],
    });
    expect(other.failed?.id).toBe('branch');
    expect(other.failed?.output).toContain(`::error title=Wrong branch::Releases are made from main; this run is on ${ref}.`);
  });

  test.each<[string, number, string]>([
    ['HTTP 403, rate limited', 403, 'API rate limit exceeded for installation ID 4242.'],
    ['HTTP 401, bad credentials', 401, 'Bad credentials'],
  ])('validate stops when GitHub refuses the lookup (%s), instead of calling the tag free', (_what, status, message) => {
    const run = runner.run({ version: '1.2.0', until: 'validate', setup: (_copy, gh) => gh.failApi(status, message) });
    expect(run.validate.failed?.id).toBe('tag-available');
    expect(run.validate.failed?.output).toContain(`::error title=GitHub API call failed::Could not check whether v1.2.0 exists (gh api repos/${REPO}/git/ref/tags/v1.2.0): gh: ${message} (HTTP ${status})`);
    expect(run.validate.failed?.output).not.toContain('is free');
    expect(run.build).toBeUndefined();
  });

  test('a tag without a release is not free: validate refuses it, naming force_recreate', () => {
    const run = runner.run({ version: '1.2.0', setup: (copy) => copy.tagMain('v1.2.0') });
    expect(run.validate.failed?.id).toBe('tag-available');
    expect(run.validate.failed?.output).toContain('::error title=Version exists::Tag or release v1.2.0 already exists.');
    expect(run.build).toBeUndefined();
    expect(run.copy.commitOf('refs/tags/v1.2.0')).toBe(run.mainBefore);
  });

  test('force_recreate of a tag without a release: the tag is deleted through the API, then tag and release are made anew', () => {
    const run = runner.run({ version: '1.2.0', forceRecreate: true, setup: (copy) => copy.tagMain('v1.2.0') });
    const release = expectSuccess(run.release, run);
    expect(release.step('delete-existing-release').output).toContain('Deleted tag v1.2.0 (it had no release).');
    expect(run.gh.callsOf('api', '--method', 'DELETE').map((c) => c.args[3])).toEqual([`repos/${REPO}/git/refs/tags/v1.2.0`]);
    expect(run.gh.callsOf('release', 'delete')).toEqual([]);
    const tagged = run.copy.commitOf('refs/tags/v1.2.0');
    expect(tagged).not.toBe(run.mainBefore);
    expect(git(run.copy.origin, 'log', '-1', '--format=%s', tagged!)).toBe('chore(release): v1.2.0');
    expect(Object.keys(run.gh.releases)).toEqual(['v1.2.0']);
  });

  test('hooks in the release job\'s checkout never run: tag and push run no hook, and no hook sees the token', () => {
    const loot = path.join(root, 'release-hook-loot');
    fs.mkdirSync(loot);
    let checkout = '';
    const run = runner.run({
      version: '1.2.0',
      beforeStep: (job, step, _copy, workspace) => {
        if (job !== 'release' || step.id !== 'release-commit') return;
        // what a compromised runner image or an earlier step could leave in the checkout
        checkout = workspace;
        for (const hook of ['pre-push', 'reference-transaction', 'post-checkout', 'post-commit', 'push-to-checkout']) {
          fs.writeFileSync(path.join(workspace, '.git', 'hooks', hook), `#!/bin/sh\nenv > "${loot}/${hook}-$$.env"\n`, { mode: 0o755 });
        }
      },
    });
    expectSuccess(run.release, run);
    expect(run.copy.commitOf('refs/tags/v1.2.0')).toBe(run.copy.commitOf('refs/heads/main'));
    expect(fs.readdirSync(loot)).toEqual([]);
    // the hooks were live: a git call without the job's settings runs them
    runGit(checkout, ['tag', 'control-tag']);
    expect([...new Set(fs.readdirSync(loot).map((f) => f.replace(/-\d+\.env$/, '')))]).toEqual(['reference-transaction']);
  });

  test('the GitHub release is made only for the tag the push put on origin (--verify-tag): without it, neither release nor tag is made', () => {
    const run = runner.run({
      version: '1.2.0',
      beforeStep: (job, step, copy) => {
        // the pushed tag is gone by the time the release is made (deleted by someone, a ruleset...)
        if (job === 'release' && step.id === 'github-release') git(copy.origin, 'update-ref', '-d', 'refs/tags/v1.2.0');
      },
    });
    expect(run.release?.failed?.id).toBe('github-release');
    expect(run.release?.failed?.output).toContain('tag v1.2.0 doesn\'t exist in the repo acme/sample-pkg, aborting due to --verify-tag flag');
    expect(run.gh.releases).toEqual({});
    expect(run.copy.tags()).toEqual(['v1.1.0']);
  });

  test('a release commit the build job did not report, or one that is not a release commit, is refused', () => {
    // another commit on top of the run's commit, changing only the changelog, with the release subject
    const swapped = runner.run({
      version: '1.2.0',
      tamper: (files, copy, mainBefore) => {
        const work = copy.clone('forger');
        git(work, 'checkout', '--quiet', mainBefore);
        fs.appendFileSync(path.join(work, 'CHANGELOG.md'), '\n## [1.2.0] - 2026-03-01\n\n- Not what was built\n');
        runGit(work, ['commit', '--quiet', '--all', '--message', 'chore(release): v1.2.0']);
        git(work, 'bundle', 'create', path.join(files, 'release.bundle'), 'HEAD', `^${mainBefore}`);
      },
    });
    expect(swapped.release?.failed?.id).toBe('release-commit');
    expect(swapped.release?.failed?.output).toMatch(/::error title=Release commit refused::the bundle holds [0-9a-f]{40}, but the build job reported [0-9a-f]{40}\./);
    // a build job that reports the run's commit, and hands on no bundle: main as it is, not a release commit
    const unreleased = runner.run({
      version: '1.2.0',
      tamper: (files) => fs.rmSync(path.join(files, 'release.bundle')),
      buildOutputs: (outputs, _copy, mainBefore) => ({ ...outputs, commit: mainBefore }),
    });
    expect(unreleased.release?.failed?.id).toBe('release-commit');
    expect(unreleased.release?.failed?.output).toMatch(/::error title=Release commit refused::[0-9a-f]{40} is not the release commit of v1\.2\.0 \(its subject is not "chore\(release\): v1\.2\.0"\)\./);
    for (const run of [swapped, unreleased]) {
      expect(run.copy.tags()).toEqual(['v1.1.0']);
      expect(run.copy.commitOf('refs/heads/main')).toBe(run.mainBefore);
      expect(run.gh.calls.filter((c) => c.args[0] === 'release')).toEqual([]);
    }
  });
});
