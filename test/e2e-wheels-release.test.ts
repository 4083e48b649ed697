import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Distributions } from '../src';
import { FakeGitHub } from './helpers/e2e/fake-gh';
import { E2E_TOOLS, synthRelease } from './helpers/e2e/pipelines';
import { PAT, REPO, WORKFLOW_TOKEN } from './helpers/e2e/release-run';
import { git, SampleRepo } from './helpers/e2e/sample-repo';
import { JobRun, runWorkflowJob, toolEnv } from './helpers/e2e/workflow-runner';
import { makeStandInWheel } from './helpers/real/native-tools';
import { describeWithTools } from './helpers/tools';

/**
 * A compiled release.yml run job by job, as GitHub would run it, with the rehearsal's step runner
 * on the sample repository (uv, git-cliff, pyproject-build, twine, git for real; `gh` stood in):
 * validate, prepare (the version, the changelog and the release commit, once), each entry of the
 * wheel matrix and the sdist job in fresh shallow clones of the run's commit that check out the
 * release commit from the bundle, gather, and the release job, which pushes and attaches every
 * file. Artifacts are handed over by copying folders. The cibuildwheel action itself is stood in:
 * after each wheel job, wheels named as cibuildwheel names them are made from the version of the
 * checkout that job left (so they carry what the job would build from).
 */
describeWithTools('release.yml of a compiled package, end to end', E2E_TOOLS, () => {
  const distributions = Distributions.cibuildwheel({ platforms: ['linux', 'windows'], pythons: ['3.11', '3.12'], archs: { linux: ['x86_64', 'aarch64'] } });
  let root: string;
  let gh: FakeGitHub;
  let jobs: Record<string, JobRun>;
  let origin: string;
  let mainBefore: string;
  const checkouts: Record<string, string> = {};

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-e2e-wheels-'));
    const { wf, cliffToml } = synthRelease({ distributions });
    const template = SampleRepo.create(path.join(root, 'template'), { versionSource: 'static', extraFiles: { 'cliff.toml': cliffToml } });
    const copy = template.copy(path.join(root, 'run'));
    origin = copy.origin;
    gh = new FakeGitHub(path.join(root, 'run'), copy.origin, REPO);
    mainBefore = copy.commitOf('refs/heads/main')!;
    const common = {
      baseEnv: toolEnv(path.join(root, 'home'), gh.binDir, gh.env),
      inputs: { version: '1.2.0', prerelease: false, draft: false, force_recreate: false },
      secrets: { RELEASE_PAT: PAT },
      github: { repository: REPO, ref: 'refs/heads/main', token: WORKFLOW_TOKEN, sha: mainBefore },
    };
    /** A job in its own scratch directory, with the artifacts it downloads copied in. */
    const runJob = (id: string, name: string, workspace: string, needs: Record<string, JobRun>, artifacts: Array<[string, string]> = []) => {
      const tempDir = path.join(root, name);
      for (const [from, to] of artifacts) fs.cpSync(from, path.join(tempDir, 'runner-temp', to), { recursive: true });
      checkouts[name] = workspace;
      const run = runWorkflowJob(wf, id, {
        ...common,
        workspace,
        tempDir,
        needs: Object.fromEntries(Object.entries(needs).map(([k, v]) => [k, { outputs: v.outputs }])),
        skip: ['action-updates', 'install-release-tools'],
      });
      if (!run.ok) throw new Error(`${name} failed at ${run.failed?.id}:\n${run.log()}`);
      return run;
    };
    jobs = {};
    jobs.validate = runJob('validate', 'validate', copy.clone('validate'), {});
    jobs.prepare = runJob('prepare', 'prepare', copy.clone('prepare'), { validate: jobs.validate });
    const releaseCommit: [string, string] = [path.join(root, 'prepare', 'runner-temp', 'release-commit'), 'release-commit'];
    const dist = path.join(root, 'artifacts', 'dist');
    fs.mkdirSync(dist, { recursive: true });
    for (const build of distributions.wheelBuilds()) {
      const name = `wheels-${build.name}`;
      const run = runJob('wheels', name, copy.shallowClone(name), { validate: jobs.validate, prepare: jobs.prepare }, [releaseCommit]);
      jobs[name] = run;
      // cibuildwheel, stood in: its wheels, from the version of the checkout the job left
      const version = /^version = "([^"]*)"/m.exec(fs.readFileSync(path.join(checkouts[name], 'pyproject.toml'), 'utf-8'))![1];
      for (const id of build.settings.build.split(' ')) {
        const [py, platform] = [id.split('-')[0], id.slice(id.indexOf('-') + 1)];
        const tag = platform.startsWith('manylinux_') ? `manylinux_2_17_${platform.slice('manylinux_'.length)}.manylinux2014_${platform.slice('manylinux_'.length)}` : platform;
        makeStandInWheel('sample-pkg', `sample_pkg-${version}-${py}-${py}-${tag}.whl`, version, dist);
      }
    }
    jobs.sdist = runJob('sdist', 'sdist', copy.shallowClone('sdist'), { validate: jobs.validate, prepare: jobs.prepare }, [releaseCommit]);
    for (const f of fs.readdirSync(path.join(checkouts.sdist, 'dist'))) fs.copyFileSync(path.join(checkouts.sdist, 'dist', f), path.join(dist, f));
    // gather checks nothing out: an empty workspace
    jobs.gather = runJob('gather', 'gather', fs.mkdtempSync(path.join(root, 'gather-workspace-')), { validate: jobs.validate, prepare: jobs.prepare }, [releaseCommit, [dist, 'dist']]);
    jobs.release = runJob('release', 'release', copy.shallowClone('release'), { validate: jobs.validate, gather: jobs.gather },
      [[path.join(root, 'gather', 'runner-temp', 'release-files'), 'release-files']]);
  }, 600_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('prepare makes the one release commit; every wheel job and the sdist job build exactly it', () => {
    const commit = jobs.prepare.outputs.commit;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(commit).not.toBe(mainBefore);
    for (const name of ['wheels-linux-x86_64', 'wheels-linux-aarch64', 'wheels-windows-amd64', 'sdist']) {
      expect(jobs[name].step('checkout-release-commit').output).toContain(`Building the release commit ${commit} (chore(release): v1.2.0)`);
      expect(git(checkouts[name], 'rev-parse', 'HEAD')).toBe(commit);
      expect(fs.readFileSync(path.join(checkouts[name], 'pyproject.toml'), 'utf-8')).toMatch(/^version = "1\.2\.0"/m);
    }
    expect(fs.readdirSync(path.join(checkouts.sdist, 'dist'))).toEqual(['sample_pkg-1.2.0.tar.gz']);
  });

  test('gather finds exactly the 6 expected wheels, twine-checks all 7 files at 1.2.0 and writes SHA256SUMS over them', () => {
    expect(jobs.gather.step('wheel-set').output).toContain('All 6 expected wheels are here, and no other.');
    expect(jobs.gather.step('verify').output.match(/: version 1\.2\.0/g)).toHaveLength(7);
    expect(jobs.gather.outputs.commit).toBe(jobs.prepare.outputs.commit);
  });

  test('the release job pushes the release commit with its tag and attaches every file', () => {
    expect(git(origin, 'rev-parse', 'refs/heads/main')).toBe(jobs.prepare.outputs.commit);
    expect(git(origin, 'rev-parse', 'refs/tags/v1.2.0^{commit}')).toBe(jobs.prepare.outputs.commit);
    const assets = Object.keys(gh.releases['v1.2.0'].assets).sort();
    expect(assets).toEqual([
      'SHA256SUMS',
      'sample_pkg-1.2.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
      'sample_pkg-1.2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'sample_pkg-1.2.0-cp311-cp311-win_amd64.whl',
      'sample_pkg-1.2.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
      'sample_pkg-1.2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'sample_pkg-1.2.0-cp312-cp312-win_amd64.whl',
      'sample_pkg-1.2.0.tar.gz',
    ]);
    const sums = fs.readFileSync(gh.releases['v1.2.0'].assets.SHA256SUMS, 'utf-8').trim().split('\n');
    expect(sums).toHaveLength(7);
  });
});
