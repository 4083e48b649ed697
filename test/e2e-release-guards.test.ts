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
    expect(found.filter((f) => f.startsWith('hook-')).length).toBeGreaterThanOrEqual(1);
    expect(found).toEqual(expect.arrayContaining(['bin', 'bash-env.sh']));
    expect(found.some((f) => f.startsWith('bash-env.sh-'))).toBe(true);
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

  test('validate refuses a run from another branch', () => {
    const run = runner.run({ version: '1.2.0', until: 'validate' });
    const other = runWorkflowJob(runner.main.wf, 'validate', {
      workspace: run.workspace,
      tempDir: path.join(run.dir, 'validate-branch'),
      baseEnv: toolEnv(path.join(run.dir, 'home'), run.gh.binDir, run.gh.env),
      inputs: { version: '1.2.0', prerelease: false, force_recreate: false },
      github: { repository: REPO, ref: 'refs/heads/feature', token: WORKFLOW_TOKEN },
      skip: ['action-updates'],
    });
    expect(other.failed?.id).toBe('branch');
    expect(other.failed?.output).toContain('::error title=Wrong branch::Releases are made from main; this run is on refs/heads/feature.');
  });
});
