import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { needsOf, newProject, parseWorkflow, synthWorkflows, Workflow } from './helpers/project';
import { ACME_RUNNER, acmePythonPackage } from '../examples/org-preset/acme-preset';
import { PypiPublishPipeline, PythonReleasePipeline, ReleaseCredentials } from '../src';

/** The preset's project, and the same package with the pipelines' defaults. */
function synth(configure: (p: Project) => void) {
  const project = newProject('acme-widgets');
  configure(project);
  const files = synthWorkflows(project);
  const environments = JSON.parse(fs.readFileSync(path.join(project.outdir, '.github/environments/environments.json'), 'utf-8'));
  return { files, release: parseWorkflow(files['release.yml']), publish: parseWorkflow(files['publish.yml']), environments };
}

const preset = synth((p) => acmePythonPackage(p, { distributionName: 'acme-widgets', importName: 'acme_widgets' }));
const plain = synth((p) => {
  new PythonReleasePipeline(p, {
    distributionName: 'acme-widgets',
    credentials: ReleaseCredentials.githubApp({ clientIdSecret: 'ACME_RELEASE_APP_CLIENT_ID', privateKeySecret: 'ACME_RELEASE_APP_KEY' }),
  });
  new PypiPublishPipeline(p, { distributionName: 'acme-widgets', importName: 'acme_widgets' });
});

/** A deep copy of a workflow with the given runner put back to the default. */
function withDefaultRunner(wf: Workflow): Workflow {
  const copy: Workflow = JSON.parse(JSON.stringify(wf));
  for (const job of Object.values(copy.jobs)) job['runs-on'] = 'ubuntu-24.04';
  return copy;
}

describe('the Acme org preset (examples/org-preset)', () => {
  test('every job of both workflows runs on the Acme runner', () => {
    for (const wf of [preset.release, preset.publish]) {
      for (const job of Object.values(wf.jobs)) expect(job['runs-on']).toBe(ACME_RUNNER[0]);
    }
  });

  test('the audit runs in the build job right before the build, and nowhere else', () => {
    const ids = preset.release.jobs.build.steps.map((s) => s.id);
    expect(ids.indexOf('audit')).toBe(ids.indexOf('build') - 1);
    expect(preset.release.jobs.build.steps[ids.indexOf('audit')]).toMatchObject({ name: 'Audit the dependencies (Acme policy)', run: 'pixi run audit\n' });
    expect(preset.files['release.yml'].match(/pixi run audit/g)).toHaveLength(1);
  });

  test('release.yml moves nowhere else', () => {
    const expected = withDefaultRunner(preset.release);
    expected.jobs.build.steps = expected.jobs.build.steps.filter((s) => s.id !== 'audit');
    expect(expected).toEqual(plain.release);
  });

  test('an announce job runs after PyPI, with the tag from verify and the webhook secret from its own environment', () => {
    const announce = preset.publish.jobs.announce;
    expect(needsOf(announce).sort()).toEqual(['publish-pypi', 'verify']);
    expect(announce.permissions).toEqual({});
    expect(announce.environment).toEqual({ name: 'announce' });
    const channel = preset.environments.environments.find((e: any) => e.name === 'announce');
    expect(channel).toMatchObject({ secrets: ['ACME_RELEASE_WEBHOOK'], deploymentPolicy: { kind: 'custom', rules: [{ name: 'v*', type: 'tag' }] } });
    expect(announce.steps.map((s) => s.run ?? s.uses).join('\n')).not.toMatch(/\b(pixi|python3?|pip|uv|checkout)\b/);
    expect(announce.steps[0].env).toMatchObject({ VERSION: '${{ needs.verify.outputs.version }}', WEBHOOK_URL: '${{ secrets.ACME_RELEASE_WEBHOOK }}' });
  });

  test('publish.yml moves nowhere else', () => {
    const expected = withDefaultRunner(preset.publish);
    delete expected.jobs.announce;
    expect(expected).toEqual(plain.publish);
  });

  test('the pypi environment gains the reviewers and the wait timer, and nothing else changes', () => {
    const acme = preset.environments.environments.find((e: any) => e.name === 'pypi');
    const base = plain.environments.environments.find((e: any) => e.name === 'pypi');
    expect(acme.reviewers).toEqual(['acme-corp/release-managers']);
    expect(acme.waitTimerMinutes).toBe(5);
    expect(acme.preventSelfReview).toBe(true);
    const strip = (env: any) => JSON.parse(JSON.stringify({
      ...env, reviewers: undefined, waitTimerMinutes: undefined, preventSelfReview: undefined, requests: undefined,
    }));
    expect(strip(acme)).toEqual(strip(base));
  });

  test('the preset output passes actionlint and shellcheck', async () => {
    expect(formatFindings(await lintWorkflows(preset.files))).toBe('');
  });
});

describe('subclassing', () => {
  /** A preset as a subclass: overrides one factory method and keeps everything else. */
  class DocsCheckingRelease extends PythonReleasePipeline {
    protected createCheckJobs() {
      const jobs = super.createCheckJobs();
      const docs = this.addJob('docs', { name: 'Docs build', needs: [this.validateJob] });
      docs.addStep('build-docs', { name: 'Build the docs', run: 'set -euo pipefail\nmake -C docs html' });
      return [...jobs, docs];
    }
  }

  test('an overridden createCheckJobs adds a check the build job waits for', async () => {
    const project = newProject('acme-widgets');
    new DocsCheckingRelease(project, { distributionName: 'acme-widgets' });
    const files = synthWorkflows(project);
    const wf = parseWorkflow(files['release.yml']);
    expect(needsOf(wf.jobs.docs)).toEqual(['validate']);
    expect(needsOf(wf.jobs.build)).toContain('docs');
    expect(wf.jobs.docs.permissions).toEqual({});
    const base = newProject('acme-widgets');
    new PythonReleasePipeline(base, { distributionName: 'acme-widgets' });
    const plainWf = parseWorkflow(synthWorkflows(base)['release.yml']);
    const { docs, ...others } = wf.jobs;
    expect(Object.keys(others)).toEqual(Object.keys(plainWf.jobs));
    expect(formatFindings(await lintWorkflows(files))).toBe('');
  });
});
