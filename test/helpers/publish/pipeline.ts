import * as fs from 'fs';
import { Project } from 'projen';
import { PypiPublishPipeline, PypiPublishPipelineOptions } from '../../../src';
import { allSteps, newProject, parseWorkflow, synthWorkflows, Workflow } from '../project';

/** publish.yml synthesized for a test: its parsed workflow, text, project and pipeline; and the checks every variant must pass. */

export interface Synth {
  wf: Workflow;
  text: string;
  project: Project;
  pipeline: PypiPublishPipeline;
}

/** Every project a test file makes (newProject's temporary directories), removed after that file (jest runs this module once per test file). */
const projects: Project[] = [];
export function tracked(name?: string): Project {
  const project = newProject(name);
  projects.push(project);
  return project;
}
afterAll(() => {
  for (const project of projects) fs.rmSync(project.outdir, { recursive: true, force: true });
});

export function publishWf(options: PypiPublishPipelineOptions = {}, project: Project = tracked()): Synth {
  const pipeline = new PypiPublishPipeline(project, options);
  const files = synthWorkflows(project);
  const text = files[pipeline.fileName];
  return { wf: parseWorkflow(text), text, project, pipeline };
}

/**
 * The test process's environment (bash started with a bare environment is slow on some sandboxes,
 * e.g. without SHLVL), without the variables a runner would set.
 */
export function machineEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GITHUB_') && !k.startsWith('GH_') && !k.startsWith('RUNNER_')) env[k] = v;
  }
  return env;
}

export const PYPI_ACTION = /^pypa\/gh-action-pypi-publish@[0-9a-f]{40}$/;
export const DOWNLOAD_ACTION = /^actions\/download-artifact@[0-9a-f]{40}$/;

/** The checks every variant of publish.yml must pass. */
export function expectHardened({ wf, text }: Synth, trusted: boolean): void {
  expect(wf.permissions).toEqual({});
  expect(wf.concurrency['cancel-in-progress']).toBe(false);
  for (const [id, job] of Object.entries(wf.jobs)) {
    expect(job.name).toBeTruthy();
    const publishing = id === 'publish-testpypi' || id === 'publish-pypi';
    // id-token only on the publishing jobs, and only with trusted publishing
    expect(job.permissions['id-token']).toBe(publishing && trusted ? 'write' : undefined);
    if (publishing) {
      expect(job.steps).toHaveLength(2);
      expect(job.steps[0].uses).toMatch(DOWNLOAD_ACTION);
      expect(job.steps.filter((s) => PYPI_ACTION.test(s.uses ?? ''))).toHaveLength(1);
      expect(job.steps[1].uses).toMatch(PYPI_ACTION);
      expect(Object.keys(job.permissions)).toEqual(trusted ? ['id-token'] : []);
    }
  }
  for (const { step } of allSteps(wf)) {
    if (step.run) expect(step.run).not.toContain('${{');
  }
  for (const line of text.split('\n').filter((l) => /^\s*uses:/.test(l))) {
    expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  }
  expect(text).not.toMatch(/actions\/cache@|cache:|--extra-index-url/);
  expect(text).not.toMatch(/actions\/checkout@/);
}
