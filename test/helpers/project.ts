import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { github, Project } from 'projen';
import { parse } from 'yaml';

const made: string[] = [];
// The directories of tempDir() and newProject() go when the test file is done (outside jest, never).
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh directory under os.tmpdir() (which follows TMPDIR), removed after the test file. */
export function tempDir(prefix = 'ppp-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * A projen project with a GitHub component, in `outdir` (default: a fresh temporary directory,
 * removed after the test file).
 */
export function newProject(name = 'example-pkg', outdir: string = tempDir('ppp-synth-')): Project {
  const project = new Project({ name, outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  return project;
}

/** Synthesizes the project and returns its generated workflow files (`file name` -> text). */
export function synthWorkflows(project: Project): Record<string, string> {
  project.synth();
  const dir = path.join(project.outdir, '.github', 'workflows');
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(dir)) files[f] = fs.readFileSync(path.join(dir, f), 'utf-8');
  return files;
}

/** A parsed workflow. */
export interface Workflow {
  name: string;
  on: any;
  permissions: any;
  concurrency: any;
  jobs: Record<string, WorkflowJob>;
}
export interface WorkflowJob {
  'name': string;
  'needs'?: string | string[];
  'permissions': Record<string, string>;
  'environment'?: { name: string; url?: string };
  'steps': WorkflowStep[];
  'env'?: Record<string, string>;
  'if'?: string;
  'outputs'?: Record<string, string>;
  'strategy'?: any;
  'runs-on': string | string[];
  'defaults'?: any;
  'timeout-minutes'?: number;
}
export interface WorkflowStep {
  'id': string;
  'name': string;
  'run'?: string;
  'uses'?: string;
  'with'?: Record<string, any>;
  'env'?: Record<string, string>;
  'if'?: string;
  'working-directory'?: string;
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

/** Every step of every job, with its job id. */
export function allSteps(wf: Workflow): Array<{ jobId: string; step: WorkflowStep }> {
  return Object.entries(wf.jobs).flatMap(([jobId, job]) => job.steps.map((step) => ({ jobId, step })));
}

/** A step by job and step id; throws when missing. */
export function stepOf(wf: Workflow, jobId: string, stepId: string): WorkflowStep {
  const job = wf.jobs[jobId];
  if (!job) throw new Error(`no job ${jobId}; jobs: ${Object.keys(wf.jobs).join(', ')}`);
  const step = job.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId} in ${jobId}; steps: ${job.steps.map((s) => s.id).join(', ')}`);
  return step;
}

/** The needs of a job as an array. */
export function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}
