import { Project } from 'projen';
import { STEP_SNIPPETS } from './snippets';
import type { CredentialsSpec, EditSpec, EnvironmentSpec, ProjectSpec, PublishSpec, ReleaseSpec, SetupStepSpec, StepSpec, ToolchainSpec } from './specs';
import { ActionPin, ActionPins, DeploymentPolicy, Environment, EnvironmentOptions, Job, Permission, PipelineWorkflow, PublishAuth, PublishEnvironments, PypiPublishPipeline, PypiPublishPipelineOptions, PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, QualityCheck, ReleaseCredentials, StepOptions, TestPypiPolicy, ToolchainStep, VersionScheme, VersionStrategy } from '../../../src';

// Building a project from a spec.

/** A projen project as the spec says, not yet synthesized. */
export function buildProject(spec: ProjectSpec, project: Project): { release: PythonReleasePipeline[]; publish: PypiPublishPipeline[] } {
  const release: PythonReleasePipeline[] = [];
  const publish: PypiPublishPipeline[] = [];
  spec.packages.forEach((pkg, i) => {
    const r = new PythonReleasePipeline(project, releaseOptions(pkg.release));
    release.push(r);
    if (pkg.publish) {
      const p = new PypiPublishPipeline(project, publishOptions(project, pkg.release, pkg.publish, r, i));
      publish.push(p);
      applyEdits(p, pkg.publishEdits, 'p');
    }
    applyEdits(r, pkg.releaseEdits, 'r');
  });
  for (const pin of spec.pins) PipelineWorkflow.pinAction(project, ActionPin.of(pin.name, pin.sha, pin.version));
  return { release, publish };
}

function toolchainOf(t: ToolchainSpec): PythonToolchain {
  const base = { commands: t.commands as any, skip: t.skip as QualityCheck[] };
  switch (t.kind) {
    case 'pixi': return PythonToolchain.pixi({ ...base, pixiVersion: t.pixiVersion, environments: t.environments });
    case 'uv': return PythonToolchain.uv({ ...base, uvVersion: t.uvVersion, pythonVersion: t.pythonVersion });
    case 'hatch': return PythonToolchain.hatch({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'poetry': return PythonToolchain.poetry({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'pip': return PythonToolchain.pip({ ...base, pythonVersion: t.pythonVersion, toolVersion: t.toolVersion });
    case 'custom': return PythonToolchain.custom({
      ...base,
      name: t.customName!,
      checkSetup: (t.checkSetup ?? []).map(toolchainStep),
      releaseSetup: t.releaseSetup?.map(toolchainStep),
    });
  }
}

function toolchainStep(s: SetupStepSpec): ToolchainStep {
  return { id: s.id, step: { name: s.name, uses: s.uses, with: s.with, run: s.run } };
}

function credentialsOf(c: CredentialsSpec | undefined): ReleaseCredentials | undefined {
  if (!c) return undefined;
  return c.kind === 'pat'
    ? ReleaseCredentials.personalAccessToken(c.secretName)
    : ReleaseCredentials.githubApp({ appIdSecret: c.appIdSecret, privateKeySecret: c.privateKeySecret });
}

function releaseOptions(r: ReleaseSpec): PythonReleasePipelineOptions {
  const scheme = { allowVPrefix: r.allowVPrefix };
  return {
    toolchain: toolchainOf(r.toolchain),
    versionScheme: r.versionScheme === 'semver' ? VersionScheme.semver(scheme) : VersionScheme.pep440(scheme),
    versionStrategy: r.versionStrategy === 'fromTag' ? VersionStrategy.fromTag()
      : r.versionStrategy === 'verifyOnly' ? VersionStrategy.verifyOnly() : VersionStrategy.pyproject(),
    distributionName: r.distributionName,
    packageDir: r.packageDir,
    tagPrefix: r.tagPrefix,
    releaseBranch: r.releaseBranch,
    credentials: credentialsOf(r.credentials),
    changelog: r.changelogFile || r.changelogConfigFile ? { file: r.changelogFile, configFile: r.changelogConfigFile } : undefined,
    coverageReport: r.coverageReport,
    pythonVersions: r.pythonVersions,
    workflowName: r.workflowName,
    fileName: r.fileName,
    runsOn: r.runsOn,
    gitIdentity: r.gitIdentity,
    releaseTools: r.releaseTools,
  };
}

function environmentOf(project: Project, id: string, e: EnvironmentSpec, tagPrefix: string): Environment {
  let policy: DeploymentPolicy;
  if (e.policy === 'any') policy = DeploymentPolicy.anyRef();
  else if (e.policy === 'release-tags') policy = DeploymentPolicy.releaseTags(tagPrefix);
  else policy = DeploymentPolicy.tags(...e.policy.replace(/^tags:/, '').split(',').filter((x, i) => x || i === 0));
  const options: EnvironmentOptions = {
    name: e.name,
    url: e.url,
    reviewers: e.reviewers,
    preventSelfReview: e.preventSelfReview,
    waitTimerMinutes: e.waitTimerMinutes,
    deploymentPolicy: policy,
    secrets: e.secrets,
    variables: e.variables,
  };
  return new Environment(project, id, options);
}

function publishOptions(project: Project, r: ReleaseSpec, p: PublishSpec, release: PythonReleasePipeline, i: number): PypiPublishPipelineOptions {
  // a publishing environment admits this package's tags (a wrong policy is refused at synth)
  const prefix = release.settings.tagPrefix;
  const pypi = p.pypiEnvironment ? environmentOf(project, `PypiEnv${i}`, p.pypiEnvironment, prefix) : undefined;
  const testPypi = p.testPypiEnvironment ? environmentOf(project, `TestPypiEnv${i}`, p.testPypiEnvironment, prefix) : undefined;
  return {
    // The same package as the release pipeline, as a user would configure it.
    distributionName: release.settings.distributionName,
    packageDir: r.packageDir,
    tagPrefix: r.tagPrefix,
    releaseWorkflowFile: release.fileName,
    releaseBranch: release.releaseBranch,
    versionScheme: r.versionScheme === 'semver' ? VersionScheme.semver() : VersionScheme.pep440(),
    auth: p.auth === 'trusted' ? PublishAuth.trustedPublishing() : PublishAuth.apiTokens({ testPypiSecret: p.testPypiSecret, pypiSecret: p.pypiSecret }),
    testPypi: p.testPypi === 'skip' ? TestPypiPolicy.skip()
      : p.testPypi === 'keepPrereleasesOnTestPypi' ? TestPypiPolicy.keepPrereleasesOnTestPypi() : TestPypiPolicy.always(),
    environments: p.environments === 'shared' ? PublishEnvironments.shared({ pypi }) : PublishEnvironments.separate({ pypi, testPypi }),
    importName: p.importName,
    smokeCommand: p.smokeCommand,
    pythonVersion: p.pythonVersion,
    testPypiWaitMinutes: p.testPypiWaitMinutes,
    twineVersion: p.twineVersion,
    workflowName: p.workflowName,
    fileName: p.fileName,
    runsOn: p.runsOn,
  };
}

/** Whether a job calls the PyPI publish action (user steps stay out of those jobs). */
function isPublishingJob(job: Job): boolean {
  return job.steps.some((s) => s.options.uses?.startsWith(`${ActionPins.PYPI_PUBLISH.name}@`));
}

/** Step ids the job's steps or outputs read (`steps.<id>.`): removing those would break them. */
function referencedSteps(job: Job): string[] {
  const text = JSON.stringify([job.steps.map((s) => s.options), job.render().outputs ?? {}]);
  return [...text.matchAll(/steps\.([A-Za-z_][\w-]*)\.|"stepId":"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
}

/** The step options of a user step spec; `${{ }}` only in `env`. */
export function stepOptions(spec: StepSpec, id: string): StepOptions {
  if (spec.raw) return spec.raw as StepOptions;
  const s = STEP_SNIPPETS[spec.snippet];
  return {
    name: s.name,
    run: s.run,
    uses: s.uses,
    with: s.uses === ActionPins.UPLOAD_ARTIFACT.ref ? { ...s.with, name: `logs-${id}` } : s.with,
    env: s.env,
    if: s.if,
    permissions: s.readsContents ? [Permission.read('contents')] : undefined,
  };
}

/** Applies user edits through the public API (Job.addStep & co, PipelineWorkflow.addJob). */
export function applyEdits(pipeline: PipelineWorkflow, edits: EditSpec[], prefix: string): void {
  edits.forEach((edit, i) => {
    const id = `${prefix}${i}-user`;
    // jobs that hold a secret (publishing, release) take no user steps: those run no project code
    const jobs = pipeline.jobs.filter((j) => !isPublishingJob(j) && !j.environment);
    if (edit.op === 'addJob') {
      if (pipeline.tryFindJob(edit.id)) return;
      const all = pipeline.jobs;
      const needs = [...new Set(edit.needs.map((n) => all[n % all.length]))];
      const job = pipeline.addJob(edit.id, {
        name: edit.name,
        needs,
        if: edit.if,
        concurrencyGroup: edit.concurrencyGroup,
        timeoutMinutes: edit.timeoutMinutes,
        runsOn: edit.runsOn,
      });
      edit.steps.forEach((s, k) => job.addStep(`${id}-${k}`, stepOptions(s, `${id}-${k}`)));
      if (edit.gate) {
        const last = pipeline.jobs.filter((j) => j !== job && !needs.includes(j) && !isPublishingJob(j)).pop();
        // Only gate a job that does not (transitively) lead to this one: keep the graph acyclic.
        if (last && !dependsOn(job, last)) last.addNeeds(job);
      }
      return;
    }
    const job = jobs[edit.job % jobs.length];
    if (edit.op === 'addStep') {
      job.addStep(edit.id ?? id, stepOptions(edit.step, edit.id ?? id));
      return;
    }
    const anchor = ('anchorId' in edit ? edit.anchorId : undefined) ?? job.steps[edit.anchor % job.steps.length].stepId;
    switch (edit.op) {
      case 'insertStepBefore': job.insertStepBefore(anchor, edit.id ?? id, stepOptions(edit.step, edit.id ?? id)); break;
      case 'insertStepAfter': job.insertStepAfter(anchor, edit.id ?? id, stepOptions(edit.step, edit.id ?? id)); break;
      case 'replaceStep':
        if (referencedSteps(job).includes(anchor)) return; // would leave a reader without its outputs
        job.replaceStep(anchor, stepOptions(edit.step, anchor));
        break;
      case 'removeStep':
        // a step the pipeline relies on is removed only with a replacement named (an invalid edit below)
        if (job.steps.length > 1 && !referencedSteps(job).includes(anchor) && !job.isStepProtected(anchor)) job.removeStep(anchor);
        break;
    }
  });
}

function dependsOn(job: Job, other: Job): boolean {
  return job.needs.some((n) => n === other || dependsOn(n, other));
}
