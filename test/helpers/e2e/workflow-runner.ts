import * as fs from 'fs';
import * as path from 'path';
import { ExpressionContext, JobResult, RunnableStep, stepRunner, StepResult } from '../../../src/rehearsal/step-runner';
import { Workflow, WorkflowStep } from '../project';
import { networkEnv, TOOLS_BIN, TOOLS_PYTHON, UV_CACHE } from '../tools';

const engine = stepRunner();

/** How to run one job of a synthesized workflow. */
export interface RunJobInput {
  /** The checkout (`github.workspace`). */
  readonly workspace: string;
  /** Scratch directory of this job run. */
  readonly tempDir: string;
  /** The process environment steps start from (see `toolEnv`). */
  readonly baseEnv: Record<string, string>;
  readonly inputs?: Record<string, unknown>;
  readonly needs?: Record<string, { outputs: Record<string, string> }>;
  readonly secrets?: Record<string, string>;
  /** `github.*` (repository, ref, token, event_name, event...; workspace is set for you). */
  readonly github?: Record<string, unknown>;
  /** Ids of `run:` steps not to run (e.g. the tool installation the test replaces). */
  readonly skip?: string[];
  /** Called before a step runs. */
  readonly beforeStep?: (step: RunnableStep) => void;
}

/** The outcome of a job, with helpers for assertions. */
export interface JobRun extends JobResult {
  /** The job's own `if:` was false, so none of its steps ran. */
  readonly jobSkipped: boolean;
  /** The job's outputs (its `outputs:` evaluated). */
  readonly outputs: Record<string, string>;
  /** Ids of the steps that ran (success or failure), in order. */
  readonly ran: string[];
  /** The result of step `id`; throws when it is unknown. */
  step(id: string): StepResult;
  /** Every step's output, for failure messages. */
  log(): string;
}

function toRunnable(step: WorkflowStep): RunnableStep {
  return {
    id: step.id,
    name: step.name,
    run: step.run,
    uses: step.uses,
    env: step.env,
    if: step.if === undefined ? undefined : String(step.if),
    workingDirectory: step['working-directory'],
  };
}

/**
 * Runs one job of a synthesized workflow with the rehearsal's engine: its `run:` steps in order
 * with bash, `uses:` steps skipped (the test stands in for checkout and setup), expressions in
 * `env:`, `if:` and `working-directory:` evaluated, step outputs through `$GITHUB_OUTPUT`.
 */
export function runWorkflowJob(wf: Workflow, jobId: string, input: RunJobInput): JobRun {
  const job = wf.jobs[jobId];
  if (!job) throw new Error(`no job ${jobId}; jobs: ${Object.keys(wf.jobs).join(', ')}`);
  fs.mkdirSync(input.tempDir, { recursive: true });
  const context: ExpressionContext = {
    inputs: input.inputs ?? {},
    needs: input.needs ?? {},
    secrets: input.secrets ?? {},
    github: { workspace: input.workspace, ...input.github },
  };
  const skip = new Set(input.skip ?? []);
  const jobSkipped = job.if !== undefined && !engine.condition(String(job.if), context, false);
  const result = engine.runJob({
    steps: job.steps.map(toRunnable),
    env: job.env,
    workingDirectory: job.defaults?.run?.['working-directory'],
    workspace: input.workspace,
    tempDir: input.tempDir,
    baseEnv: input.baseEnv,
    context,
    skip: (step) => (jobSkipped ? `job if: ${job.if}` : skip.has(step.id) ? 'skipped by the test' : undefined),
    beforeStep: input.beforeStep,
  });
  const outputs: Record<string, string> = {};
  for (const [name, expression] of Object.entries(job.outputs ?? {})) outputs[name] = engine.interpolate(String(expression), result.context);
  const log = () => result.results.map((r) => `--- ${r.id} (${r.status}${r.reason ? `: ${r.reason}` : ''}) ---\n${r.output}`).join('\n');
  return {
    ...result,
    jobSkipped,
    outputs,
    ran: result.results.filter((r) => r.status !== 'skipped').map((r) => r.id),
    log,
    step: (id: string) => {
      const found = result.results.find((r) => r.id === id);
      if (!found) throw new Error(`no step ${id}; steps: ${result.results.map((r) => r.id).join(', ')}`);
      return found;
    },
  };
}

/**
 * The environment steps start from: the `gh` stand-in first on PATH, then the tools
 * environment (python3 with build, twine, hatchling; git-cliff, uv, poetry, hatch) before anything else;
 * no user or system git config.
 */
export function toolEnv(home: string, ghBinDir: string, extra: Record<string, string> = {}): Record<string, string> {
  fs.mkdirSync(home, { recursive: true });
  return {
    PATH: [ghBinDir, TOOLS_BIN, path.dirname(process.execPath), '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':'),
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    // uv: the tools environment's Python, a cache shared by the test runs, no downloads of Pythons
    UV_PYTHON: TOOLS_PYTHON,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_CACHE_DIR: UV_CACHE,
    PIP_CONFIG_FILE: '/dev/null',
    ...networkEnv(),
    ...extra,
  };
}
