import * as fs from 'fs';
import * as path from 'path';
import { FakeGitHub } from './fake-gh';
import { synthRelease, SynthesizedRelease } from './pipelines';
import { SampleCopy, SampleOptions, SampleRepo } from './sample-repo';
import { JobRun, runWorkflowJob, toolEnv } from './workflow-runner';
import { RunnableStep } from '../../../src/rehearsal/step-runner';
import { Workflow } from '../project';

export const REPO = 'acme/sample-pkg';
export const PAT = 'pat-release-token';
export const WORKFLOW_TOKEN = 'ghs-workflow-token';

/** One run of release.yml against a copy of the sample repository. */
export interface ReleaseRun {
  /** Scratch directory of the run. */
  readonly dir: string;
  readonly copy: SampleCopy;
  readonly gh: FakeGitHub;
  /** The build job's checkout (full history). */
  readonly workspace: string;
  /** main of origin before the run (the run's commit, `GITHUB_SHA`). */
  readonly mainBefore: string;
  readonly validate: JobRun;
  /** The build job, when validate passed. */
  readonly build?: JobRun;
  /** The release job, when the build passed. */
  readonly release?: JobRun;
  /** The release files the build job staged (the artifact), as the release job received them. */
  readonly releaseFiles: string;
}

export interface RunOptions {
  readonly version: string;
  readonly prerelease?: boolean;
  readonly draft?: boolean;
  readonly forceRecreate?: boolean;
  /** Stop after this job. */
  readonly until?: 'validate' | 'build';
  readonly wf?: Workflow;
  readonly template?: SampleRepo;
  /** Run again on the origin and GitHub that an earlier run left. */
  readonly after?: ReleaseRun;
  /** Changes origin and GitHub before the run (existing releases...). */
  readonly setup?: (copy: SampleCopy, gh: FakeGitHub) => void;
  /** Called before each step of the build and release jobs, with the job's checkout. */
  readonly beforeStep?: (job: string, step: RunnableStep, copy: SampleCopy, workspace: string) => void;
  /** Changes the artifact between the build and the release job (an attacker with artifact access). */
  readonly tamper?: (releaseFiles: string, copy: SampleCopy, mainBefore: string) => void;
  /** Changes the build job's outputs before the release job reads them (a build job that lies). */
  readonly buildOutputs?: (outputs: Record<string, string>, copy: SampleCopy, mainBefore: string) => Record<string, string>;
}

/**
 * Runs release.yml's jobs as GitHub would, with the rehearsal's step runner and real git, uv,
 * git-cliff and twine (`gh` stood in): validate in a checkout; the build job in a full clone
 * (`uses:` steps skipped: the clone is the checkout, the tools environment the setup); the
 * `release-files` artifact handed over by copying the staged folder (the attest job is an action
 * and is not run); the release job in a fresh shallow clone of the run's commit.
 */
export class ReleaseRunner {
  /** The default workflow of the tests. */
  public readonly main: SynthesizedRelease;
  private readonly templates: Record<string, SampleRepo> = {};
  private counter = 0;

  public constructor(private readonly root: string) {
    this.main = synthRelease();
  }

  /** The sample repository (made once per runner and kind), with the generated cliff.toml. */
  public template(kind: SampleOptions['versionSource'], options: Partial<SampleOptions> = {}, name: string = kind): SampleRepo {
    this.templates[name] ??= SampleRepo.create(path.join(this.root, `template-${name}`), {
      versionSource: kind,
      ...options,
      extraFiles: { 'cliff.toml': this.main.cliffToml, ...options.extraFiles },
    });
    return this.templates[name];
  }

  public run(options: RunOptions): ReleaseRun {
    const dir = path.join(this.root, `run-${++this.counter}`);
    fs.mkdirSync(dir, { recursive: true });
    const copy = options.after?.copy ?? (options.template ?? this.template('static')).copy(dir);
    const gh = options.after?.gh ?? new FakeGitHub(dir, copy.origin, REPO);
    options.setup?.(copy, gh);
    const wf = options.wf ?? this.main.wf;
    const workspace = copy.clone(`workspace-${this.counter}`);
    const mainBefore = copy.commitOf('refs/heads/main')!;
    const common = {
      baseEnv: toolEnv(path.join(dir, 'home'), gh.binDir, gh.env),
      inputs: {
        version: options.version,
        prerelease: options.prerelease ?? false,
        draft: options.draft ?? false,
        force_recreate: options.forceRecreate ?? false,
      },
      secrets: { RELEASE_PAT: PAT },
      github: { repository: REPO, ref: 'refs/heads/main', token: WORKFLOW_TOKEN, sha: mainBefore },
    };
    const releaseFiles = path.join(dir, 'release', 'runner-temp', 'release-files');
    const validate = runWorkflowJob(wf, 'validate', { ...common, workspace, tempDir: path.join(dir, 'validate'), skip: ['action-updates'] });
    if (!validate.ok || options.until === 'validate') return { dir, copy, gh, workspace, mainBefore, validate, releaseFiles };
    const needs = { validate: { outputs: validate.outputs } };
    const build = runWorkflowJob(wf, 'build', {
      ...common,
      workspace,
      tempDir: path.join(dir, 'build'),
      needs,
      skip: ['install-release-tools'],
      beforeStep: (step) => options.beforeStep?.('build', step, copy, workspace),
    });
    if (!build.ok || options.until === 'build') return { dir, copy, gh, workspace, mainBefore, validate, build, releaseFiles };
    fs.cpSync(path.join(dir, 'build', 'runner-temp', 'release-files'), releaseFiles, { recursive: true });
    options.tamper?.(releaseFiles, copy, mainBefore);
    const releaseWorkspace = copy.shallowClone(`release-${this.counter}`);
    const buildOutputs = options.buildOutputs?.({ ...build.outputs }, copy, mainBefore) ?? build.outputs;
    const release = runWorkflowJob(wf, 'release', {
      ...common,
      workspace: releaseWorkspace,
      tempDir: path.join(dir, 'release'),
      needs: { ...needs, build: { outputs: buildOutputs } },
      beforeStep: (step) => options.beforeStep?.('release', step, copy, releaseWorkspace),
    });
    return { dir, copy, gh, workspace, mainBefore, validate, build, release, releaseFiles };
  }
}

/** Throws the job's log unless it succeeded (or, when it did not run, the log of the job that stopped the run). */
export function expectSuccess(run: JobRun | undefined, of?: ReleaseRun): JobRun {
  if (!run) {
    const stopped = of && [of.validate, of.build].find((j) => j && !j.ok);
    throw new Error(stopped ? `the job did not run: an earlier job failed at ${stopped.failed?.id}:\n${stopped.log()}` : 'the job did not run');
  }
  if (!run.ok) throw new Error(`job failed at ${run.failed?.id}:\n${run.log()}`);
  return run;
}

/** Tags origin's main as v1.2.0 and makes a GitHub release of it: a release that already exists. */
export function existingRelease(options: { immutable?: boolean } = {}) {
  return (copy: SampleCopy, gh: FakeGitHub) => {
    copy.tagMain('v1.2.0');
    gh.addRelease('v1.2.0', { assets: { 'sample_pkg-1.2.0.tar.gz': 'old sdist' }, immutable: options.immutable });
  };
}
