import * as fs from 'fs';
import * as path from 'path';
import { createProject } from '../examples/pixi-project/.projenrc';
import { Job, JobGraph, PipelineWorkflow, PypiPublishPipeline, PythonReleasePipeline } from '../src';
import { newProject, tempDir } from './helpers/project';

/** The job graph of the pixi example, as JobGraph draws it. */
function exampleGraph(): { text: string; pipelines: PipelineWorkflow[] } {
  const project = createProject(tempDir('ppp-graph-'));
  const release = project.node.findAll().find((c): c is PythonReleasePipeline => c instanceof PythonReleasePipeline)!;
  const publish = project.node.findAll().find((c): c is PypiPublishPipeline => c instanceof PypiPublishPipeline)!;
  const text = JobGraph.mermaid([release, publish], [{ from: release.releaseJob, to: publish.verifyJob, label: 'release published' }]);
  return { text, pipelines: [release, publish] };
}

describe('JobGraph', () => {
  const { text, pipelines } = exampleGraph();

  test('draws every job once and every needs edge', () => {
    for (const wf of pipelines) {
      for (const job of wf.jobs) {
        expect(text.match(new RegExp(`__${job.jobId.replace(/-/g, '_')}\\["`, 'g'))).toHaveLength(1);
        for (const need of job.needs) expect(text).toContain(`__${need.jobId.replace(/-/g, '_')} --> `);
      }
    }
    expect(text).toContain('release__release -. "release published" .-> publish__verify');
  });

  test('the diagram in the README is the current one (paste the expected text into README.md)', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf-8');
    const block = readme.match(/```mermaid\n([\s\S]*?)```/)?.[1];
    expect(block).toBe(text);
  });
});

describe('JobGraph.criticalPath', () => {
  function diamond() {
    const wf = new PipelineWorkflow(newProject(), 'Test', { workflowName: 'Test', fileName: 'test.yml', concurrencyGroup: 'test' });
    const job = (id: string, ...needs: Job[]) => {
      const j = wf.addJob(id, { name: id, needs });
      j.addStep('s', { name: 'S', run: 'true' });
      return j;
    };
    const a = job('a');
    const b = job('b', a);
    const c = job('c', a);
    const d = job('d', b, c);
    const e = job('e', d);
    job('f', a);
    return { wf, jobs: { a, b, c, d, e } };
  }

  test('is the longest needs chain, first job first (of equal chains, the one through the jobs added first)', () => {
    const { wf, jobs } = diamond();
    expect(JobGraph.criticalPath(wf).map((j) => j.jobId)).toEqual(['a', 'b', 'd', 'e']);
    jobs.c.addNeeds(jobs.b); // now a → b → c → d → e
    expect(JobGraph.criticalPath(wf).map((j) => j.jobId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a needs cycle is reported with a job on it', () => {
    const { wf, jobs } = diamond();
    jobs.a.addNeeds(jobs.e);
    expect(() => JobGraph.criticalPath(wf)).toThrow(/test\.yml has a needs cycle through job "[abde]"/);
  });

  test('of the example pipelines: a chain of needs that no job extends', () => {
    const { pipelines } = exampleGraph();
    for (const wf of pipelines) {
      const chain = JobGraph.criticalPath(wf);
      chain.slice(1).forEach((job, i) => expect(job.needs).toContain(chain[i]));
      const depth = new Map<Job, number>();
      const depthOf = (job: Job): number => depth.get(job) ?? (depth.set(job, 1 + Math.max(0, ...job.needs.map(depthOf))), depth.get(job)!);
      expect(chain.length).toBe(Math.max(...wf.jobs.map(depthOf)));
    }
  });
});
