import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createProject } from '../examples/pixi-project/.projenrc';
import { JobGraph, PipelineWorkflow, PypiPublishPipeline, PythonReleasePipeline } from '../src';

/** The job graph of the pixi example, as JobGraph draws it. */
function exampleGraph(): { text: string; pipelines: PipelineWorkflow[] } {
  const project = createProject(fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-graph-')));
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
