import type { RehearsalTarget } from './rehearsal-target';
import type { RunnableStep } from './step-runner';
import type { Job } from '../workflow/job';


/** A step of the plan: runnable, or only named with the reason it is not rehearsed (no script). */
export interface PlanStep extends RunnableStep {
  /** Why the rehearsal does not run it; such a step carries no `run`. */
  readonly skip?: string;
}

/** One job of the plan, as rendered into the workflow. */
export interface PlanJob {
  readonly id: string;
  readonly env: { [key: string]: string };
  readonly workingDirectory?: string;
  /** Job outputs, as expressions. */
  readonly outputs: { [key: string]: string };
  readonly steps: PlanStep[];
}

/** What the rehearsal script runs: computed at synth time from the pipeline's own steps. */
export interface RehearsalPlan {
  /** The workflow file the scripts come from. */
  readonly workflow: string;
  readonly distributionName: string;
  /** The branch the real release runs on and pushes to. */
  readonly releaseBranch?: string;
  readonly validate: PlanJob;
  readonly build: PlanJob;
  /** Jobs run after the build job, in order (compiled distributions: the host's wheel, then gather). */
  readonly afterBuild?: PlanJob[];
  /** The release job's checks of what the build handed on (the push and the release are not rehearsed). */
  readonly release: PlanJob;
  /** The changelog (from the repository root), for the diff. */
  readonly changelogFile?: string;
  /** Where the changelog step writes the release notes (an expression). */
  readonly notesFile?: string;
  /** Commands the scripts need on PATH. */
  readonly tools: string[];
  /** How to install the release tools the workflow installs. */
  readonly toolsHint?: string;
}

/** Validate-job steps that ask GitHub about the run, replaced by local checks. */
const VALIDATE_ONLY_ON_GITHUB: { [id: string]: string } = {
  'branch': 'checks the branch of the GitHub run',
  'tag-available': 'asks GitHub; the rehearsal checks your local tags instead',
  'action-updates': 'asks GitHub for newer action releases',
};

/** Build-job steps that change the runner: never part of a rehearsal. */
const BUILD_NEVER: { [id: string]: string } = {
  'install-release-tools': 'installs tools on the runner; have them on your PATH',
};

/** Release-job steps that change GitHub: never part of a rehearsal. */
const RELEASE_NEVER: { [id: string]: string } = {
  'delete-existing-release': 'deletes the release and tag on GitHub',
  'push': 'pushes the commit and the tag',
  'github-release': 'creates the GitHub release',
};

type EnvOverrides = { [jobStep: string]: { [key: string]: string } };

function planJob(job: Job, never: { [id: string]: string }, stopAt: string[], envOverrides: EnvOverrides = {}): PlanJob {
  const rendered = job.render();
  const outputs: { [key: string]: string } = {};
  for (const [name, out] of Object.entries((rendered.outputs ?? {}) as { [key: string]: { stepId: string; outputName: string } })) {
    outputs[name] = `\${{ steps.${out.stepId}.outputs.${out.outputName} }}`;
  }
  let stopped = false;
  const steps = job.steps.map((step): PlanStep => {
    const r = step.render();
    const base = { id: step.stepId, name: step.options.name };
    if (stopAt.includes(step.stepId)) stopped = true;
    if (never[step.stepId]) return { ...base, skip: never[step.stepId] };
    if (stopped) return { ...base, skip: 'comes after the push' };
    if (!step.isScript) return { ...base, skip: `action ${String(r.uses).split('@')[0]}` };
    const env = { ...(r.env ?? {}), ...envOverrides[`${job.jobId}/${step.stepId}`] } as { [key: string]: string };
    if (Object.values(env).some((v) => /\$\{\{\s*(secrets\.|github\.token)/.test(String(v)))) {
      return { ...base, skip: 'needs a token' };
    }
    return {
      ...base,
      run: r.run,
      env: Object.keys(env).length ? env : undefined,
      if: r.if,
      workingDirectory: r.workingDirectory,
    };
  });
  return {
    id: job.jobId,
    env: (rendered.env ?? {}) as { [key: string]: string },
    workingDirectory: rendered.defaults?.run?.workingDirectory,
    outputs,
    steps,
  };
}

/**
 * The rehearsal plan of a release pipeline: the validate and build jobs' steps and the release
 * job's checks exactly as they are rendered into the workflow (same `run:` text, `env:`, `if:`,
 * working directory), with the steps that would touch GitHub, the runner or the remote reduced to
 * their name and the reason.
 */
export function rehearsalPlan(target: RehearsalTarget): RehearsalPlan {
  const validate = planJob(target.validateJob, VALIDATE_ONLY_ON_GITHUB, []);
  const build = planJob(target.buildJob, BUILD_NEVER, []);
  const afterBuild = (target.afterBuildJobs ?? []).map((job) => planJob(job, BUILD_NEVER, [], target.stepEnvOverrides));
  const release = planJob(target.releaseJob, RELEASE_NEVER, ['push', 'github-release']);
  const buildJobs = [target.buildJob, ...(target.afterBuildJobs ?? [])];
  const envOf = (job: Job, id: string): { [key: string]: string } => job.tryFindStep(id)?.options.env ?? {};
  const changelog = envOf(target.buildJob, 'changelog');
  const releaseTools = [...new Set(buildJobs.flatMap((job) => (envOf(job, 'install-release-tools').RELEASE_TOOLS ?? '').split(/\s+/).filter(Boolean)))];
  const buildSteps = [...build.steps, ...afterBuild.flatMap((j) => j.steps)];
  const runs = [...validate.steps, ...buildSteps, ...release.steps].map((s) => s.run ?? '');
  const tools = ['git', ...releaseTools.map((t) => t.split(/[=<>!~]/)[0])];
  // The toolchain's own binaries (uv, poetry, hatch, pixi...): the first word of its commands.
  for (const id of ['set-version', 'build']) {
    const first = /^\s*([A-Za-z0-9_.-]+)/.exec(build.steps.find((s) => s.id === id)?.run?.replace(/^set -euo pipefail\n/, '') ?? '')?.[1];
    if (first && !['python3', 'python', 'set'].includes(first) && !tools.includes(first)) tools.push(first);
  }
  for (const extra of target.extraTools ?? []) if (!tools.includes(extra)) tools.push(extra);
  for (const command of ['python3', 'sha256sum']) {
    if (runs.some((r) => new RegExp(`(^|[\\s;(|&])${command}\\b`, 'm').test(r)) && !tools.includes(command)) tools.push(command);
  }
  return {
    workflow: target.fileName,
    distributionName: target.distributionName,
    releaseBranch: target.releaseBranch,
    validate,
    build,
    afterBuild: afterBuild.length ? afterBuild : undefined,
    release,
    changelogFile: changelog.CHANGELOG_FILE,
    notesFile: changelog.NOTES_FILE,
    tools,
    toolsHint: releaseTools.length ? `pipx install ${releaseTools.join(' && pipx install ')}` : undefined,
  };
}
