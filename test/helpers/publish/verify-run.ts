import * as fs from 'fs';
import * as path from 'path';
import { AttestingGh } from './attesting-gh';
import { PypiPublishPipeline, PypiPublishPipelineOptions } from '../../../src';
import { AddReleaseOptions, FakeGitHub } from '../e2e/fake-gh';
import { git } from '../e2e/sample-repo';
import { JobRun, runWorkflowJob, toolEnv } from '../e2e/workflow-runner';
import { newProject, parseWorkflow, synthWorkflows, Workflow } from '../project';

export const REPO = 'acme/sample-pkg';
export const WORKFLOW_TOKEN = 'ghs-workflow-token';

/** publish.yml of a `sample-pkg` project (synthesized in a temporary directory, removed after). */
export function synthPublish(options: PypiPublishPipelineOptions = {}): Workflow {
  const project = newProject('sample-pkg');
  try {
    const pipeline = new PypiPublishPipeline(project, options);
    return parseWorkflow(synthWorkflows(project)[pipeline.fileName]);
  } finally {
    fs.rmSync(project.outdir, { recursive: true, force: true });
  }
}

/** A verify job run, with the stand-ins it talked to. */
export interface VerifyRun {
  readonly job: JobRun;
  readonly gh: FakeGitHub;
  readonly attestations: AttestingGh;
  readonly workspace: string;
}

/** How the run starts. */
export interface VerifyEvent {
  /** Run by hand with this `tag` input (else: the release `tag` is published). */
  readonly dispatch?: string;
  /** The ref of a dispatched run (default: the tag). */
  readonly ref?: string;
  readonly workflow?: Workflow;
  /** Attestations to record before the run (default: none). */
  readonly attest?: (gh: AttestingGh, assetsDir: string) => void;
}

/**
 * Runs publish.yml's verify job (its `run:` steps, with bash) against a `gh` stand-in holding
 * one release `tag` with `release.assets`, and an attestation stand-in.
 */
export class VerifyRunner {
  private counter = 0;
  private readonly origin: string;

  public constructor(private readonly root: string, private readonly wf: Workflow) {
    this.origin = path.join(root, 'origin.git');
    fs.mkdirSync(root, { recursive: true });
    if (!fs.existsSync(this.origin)) git(root, 'init', '--quiet', '--bare', this.origin);
  }

  public run(tag: string | undefined, release: AddReleaseOptions & { draft?: boolean }, event: VerifyEvent = {}): VerifyRun {
    const dir = path.join(this.root, `run-${++this.counter}`);
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const gh = new FakeGitHub(dir, this.origin, REPO);
    if (tag !== undefined) gh.addRelease(tag, release);
    if (tag !== undefined && release.draft) {
      const state = path.join(dir, 'fake-gh-state.json');
      const json = JSON.parse(fs.readFileSync(state, 'utf-8'));
      json.releases[tag].draft = true;
      fs.writeFileSync(state, JSON.stringify(json));
    }
    const attestations = new AttestingGh(dir, path.join(gh.binDir, 'gh'));
    if (event.attest && tag !== undefined) event.attest(attestations, path.join(dir, 'fake-gh-assets', tag));
    const github = event.dispatch !== undefined
      ? { event_name: 'workflow_dispatch', ref: event.ref ?? `refs/tags/${event.dispatch}`, event: {} }
      : { event_name: 'release', ref: `refs/tags/${tag}`, event: { release: { tag_name: tag } } };
    const job = runWorkflowJob(event.workflow ?? this.wf, 'verify', {
      workspace,
      tempDir: path.join(dir, 'verify'),
      baseEnv: toolEnv(path.join(dir, 'home'), attestations.binDir, { ...gh.env, ...attestations.env }),
      inputs: event.dispatch !== undefined ? { tag: event.dispatch } : {},
      github: { repository: REPO, token: WORKFLOW_TOKEN, server_url: 'https://github.com', ...github },
      skip: ['install-tools'],
    });
    return { job, gh, attestations, workspace };
  }
}

/** Attests every file of a release's assets as release.yml on `main` of `REPO` would. */
export function attestAll(gh: AttestingGh, assetsDir: string, workflow = `${REPO}/.github/workflows/release.yml`, sourceRef = 'refs/heads/main'): void {
  for (const f of fs.readdirSync(assetsDir)) gh.attest(path.join(assetsDir, f), { repo: REPO, workflow, sourceRef });
}

/** Lines of output that GitHub's runner would take for workflow commands (`::x::`, after leading blanks). */
export function workflowCommands(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::'));
}
