import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { github, Project } from 'projen';
import { PythonReleasePipeline, PythonReleasePipelineOptions, ReleaseCredentials, ReleaseRehearsal, ReleaseRehearsalOptions } from '../src';
import { FakeGitHub } from './helpers/e2e/fake-gh';
import { E2E_TOOLS, synthRelease, testToolchain } from './helpers/e2e/pipelines';
import { git, SampleCopy, SampleRepo } from './helpers/e2e/sample-repo';
import { toolEnv } from './helpers/e2e/workflow-runner';
import { newProject, stepOf } from './helpers/project';
import { describeWithTools, NODE_BIN } from './helpers/tools';
import { RehearsalPlan } from '../src/rehearsal/rehearsal-plan';
import { stepRunner } from '../src/rehearsal/step-runner';

/** Pipeline options with rehearsal options (`PythonReleasePipeline` makes its rehearsal from them). */
function withRehearsal(options: PythonReleasePipelineOptions, rehearsal: ReleaseRehearsalOptions = {}): PythonReleasePipelineOptions {
  return { toolchain: testToolchain(), ...options, rehearsal } as PythonReleasePipelineOptions;
}

/** The pipeline's rehearsal: the one the pipeline made, never one a test builds itself. */
function rehearsalOf(pipeline: PythonReleasePipeline, _options: ReleaseRehearsalOptions = {}): ReleaseRehearsal {
  return pipeline.rehearsal;
}

/** Synthesizes a release pipeline with a rehearsal; returns the script, its plan and release.yml. */
function synthRehearsal(options: PythonReleasePipelineOptions = {}, rehearsalOptions: ReleaseRehearsalOptions = {}) {
  let rehearsal: ReleaseRehearsal | undefined;
  const synth = synthRelease(withRehearsal(options, rehearsalOptions), (pipeline) => {
    rehearsal = rehearsalOf(pipeline, rehearsalOptions);
  });
  const script = fs.readFileSync(path.join(synth.project.outdir, rehearsal!.scriptPath), 'utf-8');
  const engine = fs.readFileSync(path.join(synth.project.outdir, '.projen/pipelines-engine.cjs'), 'utf-8');
  const planRun = spawnSync(process.execPath, [path.join(synth.project.outdir, rehearsal!.scriptPath), '--plan'], { encoding: 'utf-8' });
  const plan: RehearsalPlan = JSON.parse(planRun.stdout);
  const tasks = JSON.parse(fs.readFileSync(path.join(synth.project.outdir, '.projen/tasks.json'), 'utf-8')).tasks;
  return { ...synth, rehearsal: rehearsal!, script, engine, plan, tasks };
}

describe('the rehearsal script (synthesized)', () => {
  const { plan, script, engine, wf, rehearsal, tasks } = synthRehearsal();

  test('adds the task release:rehearse, which runs the script with the user\'s arguments', () => {
    expect(rehearsal.scriptPath).toBe('.projen/release-rehearsal.cjs');
    expect(tasks['release:rehearse']).toEqual({
      name: 'release:rehearse',
      description: expect.stringContaining('nothing is pushed'),
      steps: [{ exec: 'node .projen/release-rehearsal.cjs', receiveArgs: true }],
    });
  });

  test('every script of the plan is byte-identical to its run: in release.yml, with the same env, if and working directory', () => {
    const runnable = (['validate', 'build', 'release'] as const).flatMap((job) => plan[job].steps.map((s) => [job, s] as const))
      .filter(([, s]) => s.run !== undefined);
    expect(runnable.map(([job, s]) => `${job}/${s.id}`)).toEqual([
      'validate/version',
      'build/set-version', 'build/changelog', 'build/commit', 'build/build', 'build/verify', 'build/checksums', 'build/stage',
      'release/checksums', 'release/release-commit',
    ]);
    for (const [job, step] of runnable) {
      const rendered = stepOf(wf, job, step.id);
      expect(step.run).toBe(rendered.run);
      expect(step.env).toEqual(rendered.env);
      expect(step.if).toEqual(rendered.if);
      expect(step.workingDirectory).toEqual(rendered['working-directory']);
    }
    expect(plan.build.env).toEqual(wf.jobs.build.env);
    expect(plan.release.env).toEqual(wf.jobs.release.env);
    expect(plan.validate.outputs).toEqual(wf.jobs.validate.outputs);
    expect(plan.build.outputs).toEqual(wf.jobs.build.outputs);
  });

  test('the push, release, delete and GitHub steps are named with a reason but carry no script', () => {
    const skippedIn = (job: 'validate' | 'build' | 'release') => Object.fromEntries(plan[job].steps.filter((s) => s.skip).map((s) => [s.id, s.skip]));
    expect(skippedIn('validate')).toEqual({
      'branch': expect.stringContaining('GitHub'),
      'tag-available': expect.stringContaining('local tags'),
      'action-updates': expect.stringContaining('asks GitHub'),
    });
    expect(skippedIn('build')).toEqual({
      'checkout': expect.stringContaining('actions/checkout'),
      'setup-uv': expect.stringContaining('astral-sh/setup-uv'),
      'install-release-tools': expect.stringContaining('PATH'),
      'upload': expect.stringContaining('actions/upload-artifact'),
    });
    expect(skippedIn('release')).toEqual({
      'checkout': expect.stringContaining('actions/checkout'),
      'download': expect.stringContaining('actions/download-artifact'),
      'delete-existing-release': expect.stringContaining('deletes'),
      'push': expect.stringContaining('pushes'),
      'github-release': expect.stringContaining('creates the GitHub release'),
    });
    for (const step of [...plan.validate.steps, ...plan.build.steps, ...plan.release.steps]) {
      if (step.skip) expect(Object.keys(step).sort()).toEqual(['id', 'name', 'skip']);
    }
    for (const id of ['push', 'github-release', 'delete-existing-release', 'tag-available']) {
      const run = stepOf(wf, id === 'tag-available' ? 'validate' : 'release', id).run!;
      expect(script).not.toContain(JSON.stringify(run).slice(1, -1));
    }
    expect(script).not.toMatch(/git push|gh release create|gh release delete|gh api/);
  });

  test('is self-contained: node\'s standard library only, and the engine the end-to-end tests use', () => {
    const requires = (text: string) => [...text.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]);
    expect(requires(script)).toEqual(['./pipelines-engine.cjs']);
    expect(new Set(requires(engine))).toEqual(new Set(['child_process', 'crypto', 'fs', 'os', 'path']));
    expect(engine).toContain(stepRunner.toString());
    expect(script.split('\n')[0]).toMatch(/^\/\/ ~~ Generated by projen/);
    expect(engine.split('\n')[0]).toMatch(/^\/\/ ~~ Generated by projen/);
  });

  test('knows the tools the scripts need and how the workflow installs them', () => {
    expect(plan.tools).toEqual(['git', 'twine', 'git-cliff', 'uv', 'python3', 'sha256sum']);
    expect(plan.toolsHint).toBe('pipx install twine==7.0.0 && pipx install git-cliff==2.14.2');
    expect(plan).toMatchObject({ workflow: 'release.yml', releaseBranch: 'main', changelogFile: 'CHANGELOG.md', notesFile: '${{ runner.temp }}/release-notes.md' });
  });

  test('a step that needs a token is not rehearsed', () => {
    const synth = synthRelease({}, (pipeline) => {
      pipeline.releaseJob.insertStepAfter('checksums', 'sign', { name: 'Sign', run: 'echo sign\n', env: { KEY: '${{ secrets.SIGNING_KEY }}' } });
      rehearsalOf(pipeline);
    });
    const signed = spawnSync(process.execPath, [path.join(synth.project.outdir, '.projen/release-rehearsal.cjs'), '--plan'], { encoding: 'utf-8' });
    expect(JSON.parse(signed.stdout).release.steps.find((s: any) => s.id === 'sign')).toEqual({ id: 'sign', name: 'Sign', skip: 'needs a token' });
  });

  test('a monorepo package gets its own task and script; GitHub App credentials are never rehearsed', () => {
    const mono = synthRehearsal({ packageDir: 'packages/sample-pkg', credentials: ReleaseCredentials.githubApp() });
    expect(mono.rehearsal.scriptPath).toBe('.projen/release-rehearsal-sample-pkg.cjs');
    expect(mono.tasks['release:rehearse:sample-pkg'].steps).toEqual([{ exec: 'node .projen/release-rehearsal-sample-pkg.cjs', receiveArgs: true }]);
    expect(mono.plan.build.workingDirectory).toBe('packages/sample-pkg');
    expect(mono.plan.build.steps.find((s) => s.id === 'changelog')?.workingDirectory).toBe('${{ github.workspace }}');
    expect(mono.plan.release.steps.find((s) => s.id === 'generate_token')?.skip).toMatch(/^action /);
    expect(mono.plan.changelogFile).toBe('packages/sample-pkg/CHANGELOG.md');
  });

  test('a script elsewhere in the project requires the shared engine by its relative path, and runs', () => {
    const elsewhere = synthRehearsal({}, { scriptPath: 'tools/rehearse-release.cjs' });
    expect(elsewhere.script).toContain('require("../.projen/pipelines-engine.cjs")');
    // synthRehearsal ran its --plan: the engine loaded from there
    expect(elsewhere.plan.workflow).toBe('release.yml');
  });

  test.each<[string, ReleaseRehearsalOptions, RegExp]>([
    ['bad task name', { taskName: 'release rehearse' }, /taskName "release rehearse"/],
    ['script outside the project', { scriptPath: '../x.cjs' }, /scriptPath "\.\.\/x\.cjs"/],
    ['script not .cjs', { scriptPath: '.projen/x.js' }, /ending in \.cjs/],
    ['task taken', { taskName: 'build' }, /already has a task "build"/],
  ])('bad options fail at synth time: %s', (_name, options, message) => {
    const project = newProject('sample-pkg');
    expect(() => rehearsalOf(new PythonReleasePipeline(project, withRehearsal({}, options)), options)).toThrow(message);
  });
});

describeWithTools('the rehearsal, run on a sample repository', E2E_TOOLS, () => {
  let root: string;
  let template: SampleRepo;
  let counter = 0;

  /**
   * A user's repository: the sample package as a projen project with the release pipeline and its
   * rehearsal synthesized and committed, cloned from a bare origin.
   */
  function userRepo(options: PythonReleasePipelineOptions = {}) {
    const dir = path.join(root, `user-${++counter}`);
    const copy = template.copy(dir);
    const repo = copy.clone('repo');
    const project = new Project({ name: 'sample-pkg', outdir: repo });
    new github.GitHub(project, { mergify: false, pullRequestLint: false });
    project.gitignore.exclude('dist/');
    rehearsalOf(new PythonReleasePipeline(project, withRehearsal(options)));
    project.synth();
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '--message', 'chore: synthesize the release workflow');
    git(repo, 'push', '--quiet', 'origin', 'main');
    const gh = new FakeGitHub(dir, copy.origin, 'acme/sample-pkg');
    const env = toolEnv(path.join(dir, 'home'), gh.binDir, gh.env);
    return { dir, copy, repo, gh, env };
  }

  interface Rehearsal {
    readonly status: number | null;
    readonly stdout: string;
  }

  function rehearseIn(repo: string, env: Record<string, string>, args: string[], viaProjen = false): Rehearsal {
    const command = viaProjen ? [path.join(NODE_BIN, 'projen'), 'release:rehearse', ...args] : [path.join(repo, '.projen/release-rehearsal.cjs'), ...args];
    const r = spawnSync(process.execPath, command, { cwd: repo, env: { ...env, NO_COLOR: '1' }, encoding: 'utf-8' });
    return { status: r.status, stdout: r.stdout + r.stderr };
  }

  /** Nothing of the user's repository, its origin or GitHub changed. */
  function expectUntouched(repo: string, copy: SampleCopy, gh: FakeGitHub, head: string) {
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'tag', '--list')).toBe('v1.1.0');
    expect(copy.tags()).toEqual(['v1.1.0']);
    expect(copy.commitOf('refs/heads/main')).toBe(head);
    expect(gh.calls).toEqual([]);
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-rehearsal-'));
    template = SampleRepo.create(path.join(root, 'template'), { versionSource: 'static' });
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The user's repository the read-only rehearsals share. */
  let user: ReturnType<typeof userRepo>;
  let head: string;
  beforeAll(() => {
    user = userRepo();
    head = git(user.repo, 'rev-parse', 'HEAD');
  });

  describe('npx projen release:rehearse --version 1.2.0', () => {
    let result: Rehearsal;
    beforeAll(() => {
      result = rehearseIn(user.repo, user.env, ['--version', '1.2.0'], true);
      if (process.env.SHOW_REHEARSAL) console.log(result.stdout); // eslint-disable-line no-console
    });

    test('passes, with one line per stage and its time, in the release job\'s order', () => {
      expect(result.status).toBe(0);
      const stages = result.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL|SKIP) /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
      expect(stages).toEqual([
        'PASS clone', 'PASS tools',
        'SKIP branch', 'PASS version', 'SKIP tag-available', 'SKIP action-updates', 'PASS local-tag',
        'SKIP checkout', 'SKIP setup-uv', 'SKIP install-release-tools',
        'PASS set-version', 'PASS changelog', 'PASS commit', 'PASS build', 'PASS verify', 'PASS checksums', 'PASS stage', 'SKIP upload',
        'SKIP checkout', 'SKIP download', 'PASS checksums', 'PASS release-commit', 'SKIP delete-existing-release', 'SKIP push', 'SKIP github-release',
      ]);
      expect(result.stdout).toMatch(/^ {2}PASS {2}build +Build the wheel and sdist +\d+\.\ds$/m);
      expect(result.stdout).toMatch(/^Rehearsal PASSED: 13 stages in \d+\.\ds\. Nothing was pushed, tagged or released/m);
    });

    test('prints the release notes, the changelog diff, the files and the tag', () => {
      const after = (title: string) => result.stdout.slice(result.stdout.indexOf(title));
      expect(after('== Release notes of v1.2.0 ==')).toMatch(/^## \[1\.2\.0\] - \d{4}-\d{2}-\d{2}$[\s\S]*- Add a farewell function/m);
      const commit = after('== The release commit: git show ');
      expect(commit).toMatch(/^ CHANGELOG\.md +\| +\d+ \+/m);
      expect(commit).toMatch(/^ pyproject\.toml +\| +2 \+-$/m);
      expect(commit).toMatch(/^ uv\.lock +\| +2 \+-$/m);
      expect(commit).toMatch(/^\+## \[1\.2\.0\]/m);
      expect(commit).toMatch(/^\+version = "1\.2\.0"  # set by the release workflow$/m);
      expect(after('== Files the GitHub release would attach ==')).toMatch(/^ {2}sample_pkg-1\.2\.0-py3-none-any\.whl +\d+ bytes +sha256 [0-9a-f]{16}\.\.\.\n {2}sample_pkg-1\.2\.0\.tar\.gz +\d+ bytes .*\n {2}SHA256SUMS +\d+ bytes /m);
      expect(after('== Tag ==')).toMatch(/^ {2}v1\.2\.0 -> [0-9a-f]{7} chore\(release\): v1\.2\.0$/m);
      expect(result.stdout).toContain('(prerelease: false) with the 3 files above');
    });

    test('changes nothing: no push, no tag, no GitHub call, the clone removed', () => {
      expectUntouched(user.repo, user.copy, user.gh, head);
      expect(fs.readdirSync(path.join(user.dir, 'home')).filter((f) => f.startsWith('release-rehearsal-'))).toEqual([]);
    });
  });

  test('a version that exists stops at the local tag check, naming --force-recreate', () => {
    const result = rehearseIn(user.repo, user.env, ['1.1.0']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^ {2}FAIL {2}local-tag/m);
    expect(result.stdout).toContain('Rehearsal FAILED at "local-tag"');
    expect(result.stdout).toContain('Reason: Tag v1.1.0 already exists in your repository: the release would refuse it. Rehearse a new version, or pass --force-recreate');
    expect(result.stdout).not.toMatch(/PASS {2}build/);
    expectUntouched(user.repo, user.copy, user.gh, head);
  });

  test('a build with the wrong version fails at verify with its output, like the workflow would', () => {
    const wrong = userRepo({ toolchain: testToolchain({ setVersion: 'echo "version $VERSION written elsewhere"' }) });
    const wrongHead = git(wrong.repo, 'rev-parse', 'HEAD');
    const result = rehearseIn(wrong.repo, wrong.env, ['--version', '1.2.0', '--prerelease']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^ {2}FAIL {2}verify/m);
    expect(result.stdout).toContain('--- output of "verify" (Verify the distributions) ---');
    expect(result.stdout).toContain('sample_pkg-1.1.0-py3-none-any.whl: version 1.1.0');
    expect(result.stdout).toContain('Reason: expected 1.2.0, but sample_pkg-1.1.0-py3-none-any.whl carries version 1.1.0');
    expect(result.stdout).not.toMatch(/SKIP {2}push|== Tag ==/);
    expectUntouched(wrong.repo, wrong.copy, wrong.gh, wrongHead);
  });

  test('an invalid version or no version: a clear message, exit 1 or 2', () => {
    const bad = rehearseIn(user.repo, user.env, ['--version', '1.2.0-rc.1']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('Reason: not a canonical PEP 440 version such as 1.2.0, 1.2.0rc1 or 1.2.0.post1');
    const none = rehearseIn(user.repo, user.env, []);
    expect(none.status).toBe(2);
    expect(none.stdout).toContain('say which version to rehearse, e.g. --version 1.2.0');
  });

  test('GIT_DIR and friends set (as git sets them for hooks) never reach the real repository', () => {
    const marker = path.join(user.dir, 'hook-ran');
    const hook = path.join(user.repo, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const origin = git(user.repo, 'remote', 'get-url', 'origin');
    try {
      const env = { ...user.env, GIT_DIR: path.join(user.repo, '.git'), GIT_WORK_TREE: user.repo, GIT_INDEX_FILE: path.join(user.repo, '.git', 'index'), GIT_CONFIG_PARAMETERS: "'user.name'='Hook'" };
      const result = rehearseIn(user.repo, env, ['--version', '1.2.0']);
      expect(result.stdout).toMatch(/Rehearsal PASSED/);
      expect(fs.existsSync(marker)).toBe(false);
      expect(git(user.repo, 'remote', 'get-url', 'origin')).toBe(origin);
      expect(spawnSync('git', ['config', '--local', '--get', 'user.name'], { cwd: user.repo, encoding: 'utf-8' }).stdout).toBe('');
      expectUntouched(user.repo, user.copy, user.gh, head);
    } finally {
      fs.rmSync(hook);
    }
  });

  test('missing release tools are named with how the workflow installs them', () => {
    const env = { ...user.env, PATH: ['/usr/bin', '/bin'].join(':') };
    const result = rehearseIn(user.repo, env, ['--version', '1.2.0']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Reason: Not on PATH: twine, git-cliff, uv. The workflow installs its release tools with: pipx install twine==7.0.0 && pipx install git-cliff==2.14.2');
    expectUntouched(user.repo, user.copy, user.gh, head);
  });
});
