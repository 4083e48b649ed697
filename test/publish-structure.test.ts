import * as fs from 'fs';
import * as path from 'path';
import { Job, PypiPublishPipeline } from '../src';
import { newProject, parseWorkflow, synthWorkflows } from './helpers/project';

const SRC = path.resolve(__dirname, '..', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const lines = (file: string) => fs.readFileSync(file, 'utf-8').split('\n').length;

describe('the publish side is split: one job builder per file, no file over ~300 lines', () => {
  test('no file of src/publish or of the publish scripts has more than 300 lines', () => {
    const files = [...filesUnder(path.join(SRC, 'publish')), ...filesUnder(path.join(SRC, 'scripts')).filter((f) => path.basename(f).startsWith('publish-'))];
    const long = files.map((f) => [path.relative(SRC, f), lines(f)] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  test.each([
    ['verify-job.ts', 'buildVerifyJob', "'verify'"],
    ['publish-job.ts', 'buildPublishJob', 'spec.id'],
    ['test-install-job.ts', 'buildTestInstallJob', "'test-install'"],
    ['summary-job.ts', 'buildSummaryJob', "'summary'"],
  ])('jobs/%s builds its job (%s), and no other file adds that job', (file, builder, id) => {
    const text = fs.readFileSync(path.join(SRC, 'publish', 'jobs', file), 'utf-8');
    expect(text).toContain(`export function ${builder}(`);
    expect(text).toContain(`ctx.addJob(${id}`);
    expect([...text.matchAll(/ctx\.addJob\(/g)]).toHaveLength(1);
  });

  test('the pipeline class composes the builders: it adds no job and no step itself', () => {
    const text = fs.readFileSync(path.join(SRC, 'publish', 'publish-pipeline.ts'), 'utf-8');
    expect(text).not.toMatch(/\.addStep\(/);
    expect(text).not.toMatch(/this\.addJob\('/);
  });

  test('the public API stays: job properties, options, and the overridable createXxxJob methods', () => {
    class Custom extends PypiPublishPipeline {
      protected createSummaryJob(): Job {
        const job = super.createSummaryJob();
        job.addStep('notify', { name: 'Notify', run: 'echo published\n' });
        return job;
      }
    }
    const project = newProject();
    const pipeline = new Custom(project, { distributionName: 'example-pkg', importName: 'example_pkg' });
    const jobs = [pipeline.verifyJob, pipeline.publishTestPypiJob, pipeline.testInstallJob, pipeline.publishPypiJob, pipeline.summaryJob];
    expect(jobs.map((j) => j?.jobId))
      .toEqual(['verify', 'publish-testpypi', 'test-install', 'publish-pypi', 'summary']);
    expect(pipeline.settings.distributionName).toBe('example-pkg');
    expect(pipeline.importName).toBe('example_pkg');
    expect(pipeline.pypiEnvironment.environmentName).toBe('pypi');
    const wf = parseWorkflow(synthWorkflows(project)['publish.yml']);
    expect(wf.jobs.summary.steps.map((s) => s.id)).toEqual(['summary', 'notify']);
    fs.rmSync(project.outdir, { recursive: true, force: true });
  });
});
