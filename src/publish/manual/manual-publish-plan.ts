import type { ManualPublishTarget } from './manual-publish-target';
import type { PlanJob, PlanStep } from '../../rehearsal/rehearsal-plan';
import { PYPI_SIMPLE_INDEX, TESTPYPI_JSON_API, TESTPYPI_SIMPLE_INDEX } from '../../scripts/publish-install-scripts';
import type { Job } from '../../workflow/job';

/** One upload of the manual publication: the index, and the publish action's inputs in publish.yml. */
export interface ManualUpload {
  /** `testpypi` or `pypi`. */
  readonly index: string;
  /** The publishing job in publish.yml. */
  readonly jobId: string;
  /** The action's `with:` as rendered (repository-url, skip-existing...). */
  readonly inputs: { [key: string]: unknown };
  /** The job's `if:` (e.g. prereleases stay on TestPyPI). */
  readonly if?: string;
}

/** What `publish:manual` runs: computed at synth time from the pipeline's own jobs. */
export interface ManualPublishPlan {
  /** The workflow the steps come from. */
  readonly workflow: string;
  readonly distributionName: string;
  readonly tagPrefix: string;
  /** publish.yml's verify job, its steps exactly as rendered. */
  readonly verify: PlanJob;
  /** publish.yml's test-install job (absent when TestPyPI is skipped). */
  readonly testInstall?: PlanJob;
  /** TestPyPI first (when used), then PyPI. */
  readonly uploads: ManualUpload[];
  /** Commands the steps and uploads need on PATH. */
  readonly tools: string[];
  /**
   * Index URLs in the steps' `env:` that an environment variable of the same name replaces
   * (another index for a trial run: devpi, pypiserver).
   */
  readonly indexes: { [envName: string]: string };
}

/** Steps that exist for the runner only: the manual publication does without them. */
const NOT_LOCAL: { [id: string]: string } = {
  'install-tools': 'installs twine on the runner; have twine on your PATH',
};

function planJob(job: Job): PlanJob {
  const rendered = job.render();
  const outputs: { [key: string]: string } = {};
  for (const [name, out] of Object.entries((rendered.outputs ?? {}) as { [key: string]: { stepId: string; outputName: string } })) {
    outputs[name] = `\${{ steps.${out.stepId}.outputs.${out.outputName} }}`;
  }
  const steps = job.steps.map((step): PlanStep => {
    const r = step.render();
    const base = { id: step.stepId, name: step.options.name };
    if (NOT_LOCAL[step.stepId]) return { ...base, skip: NOT_LOCAL[step.stepId] };
    if (!step.isScript) return { ...base, skip: `action ${String(r.uses).split('@')[0]}` };
    const env = (r.env ?? {}) as { [key: string]: string };
    return { ...base, run: r.run, env: Object.keys(env).length ? env : undefined, if: r.if, workingDirectory: r.workingDirectory };
  });
  return {
    id: job.jobId,
    env: (rendered.env ?? {}) as { [key: string]: string },
    workingDirectory: rendered.defaults?.run?.workingDirectory,
    outputs,
    steps,
  };
}

function upload(job: Job | undefined, index: string): ManualUpload[] {
  if (!job) return [];
  const publish = job.tryFindStep('publish');
  const { password: _password, ...inputs } = (publish?.options.with ?? {}) as { [key: string]: unknown };
  return [{ index, jobId: job.jobId, inputs, if: job.render().if as string | undefined }];
}

/**
 * The manual publication's plan: publish.yml's verify and test-install jobs exactly as rendered
 * (same `run:` text, `env:`, `if:`), the runner-only steps reduced to their name and reason, and
 * the publishing jobs' upload inputs.
 */
export function manualPublishPlan(pipeline: ManualPublishTarget): ManualPublishPlan {
  const verify = planJob(pipeline.verifyJob);
  const testInstall = pipeline.testInstallJob ? planJob(pipeline.testInstallJob) : undefined;
  const scripts = [...verify.steps, ...(testInstall?.steps ?? [])].map((s) => s.run ?? '').join('\n');
  const tools = ['gh', 'twine'];
  for (const command of ['python3', 'sha256sum']) {
    if (new RegExp(`(^|[\\s;(|&])${command}\\b`, 'm').test(scripts)) tools.push(command);
  }
  return {
    workflow: pipeline.fileName,
    distributionName: pipeline.settings.distributionName,
    tagPrefix: pipeline.settings.tagPrefix,
    verify,
    testInstall,
    uploads: [...upload(pipeline.publishTestPypiJob, 'testpypi'), ...upload(pipeline.publishPypiJob, 'pypi')],
    tools,
    indexes: { PUBLISH_TESTPYPI_INDEX: TESTPYPI_SIMPLE_INDEX, PUBLISH_PYPI_INDEX: PYPI_SIMPLE_INDEX, PUBLISH_TESTPYPI_JSON: TESTPYPI_JSON_API },
  };
}
