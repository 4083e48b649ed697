/**
 * The types of the step runner (`step-runner.ts`): what it runs, what expressions read, and what
 * became of each step and job. Types only, so that the runner's module stays one function.
 */

/** A step as rendered into a workflow: the part the runner needs. */
export interface RunnableStep {
  readonly id: string;
  readonly name: string;
  readonly run?: string;
  readonly uses?: string;
  readonly env?: { [key: string]: string };
  readonly if?: string;
  readonly workingDirectory?: string;
}

/** What `${{ }}` expressions can read. */
export interface ExpressionContext {
  readonly inputs?: { [key: string]: unknown };
  readonly needs?: { [job: string]: { outputs: { [key: string]: string } } };
  readonly steps?: { [id: string]: { outputs: { [key: string]: string }; outcome: string; conclusion: string } };
  readonly secrets?: { [key: string]: string };
  readonly github?: { [key: string]: unknown };
  readonly runner?: { [key: string]: string };
  readonly env?: { [key: string]: string };
  readonly matrix?: { [key: string]: unknown };
  readonly vars?: { [key: string]: string };
}

/** How a job's steps are run. */
export interface RunJobOptions {
  /** The steps, in order. */
  readonly steps: RunnableStep[];
  /** The job's `env:` (expressions allowed). */
  readonly env?: { [key: string]: string };
  /** The job's `defaults.run.working-directory`, relative to the workspace. */
  readonly workingDirectory?: string;
  /** The repository checkout (`github.workspace`). */
  readonly workspace: string;
  /** A scratch directory for scripts, output files and `runner.temp`. */
  readonly tempDir: string;
  /** The process environment the steps start from (PATH, HOME...). */
  readonly baseEnv: { [key: string]: string | undefined };
  /** inputs, needs, secrets, github... (`steps`, `env` and `runner` are filled in). */
  readonly context: ExpressionContext;
  /** Returns why a step is not run (e.g. "uses: an action"), or undefined to run it. */
  readonly skip?: (step: RunnableStep) => string | undefined;
  /** Called before each step that runs. */
  readonly beforeStep?: (step: RunnableStep) => void;
  /** Called after each step (run, skipped or not taken). */
  readonly afterStep?: (result: StepResult) => void;
  /** Seconds before a step is killed. */
  readonly timeoutSeconds?: number;
}

/** What became of a step. */
export interface StepResult {
  readonly id: string;
  readonly name: string;
  /** `success`, `failure` or `skipped`. */
  readonly status: string;
  /** Why it was skipped. */
  readonly reason?: string;
  readonly exitCode?: number;
  /** stdout and stderr, interleaved as written. */
  readonly output: string;
  readonly seconds: number;
  /** What it wrote to `$GITHUB_OUTPUT`. */
  readonly outputs: { [key: string]: string };
}

/** What became of a job. */
export interface JobResult {
  readonly ok: boolean;
  readonly results: StepResult[];
  /** The first step that failed. */
  readonly failed?: StepResult;
  /** The context after the job (with `steps` and `env`), for evaluating job outputs. */
  readonly context: ExpressionContext;
}

/** The engine's functions. */
export interface StepRunner {
  /** Evaluates the expression inside `${{ }}`. */
  evaluate(expression: string, context: ExpressionContext, failed?: boolean): unknown;
  /** Replaces every `${{ }}` in a text with its value as a string. */
  interpolate(text: string, context: ExpressionContext): string;
  /** Whether a step with this `if:` runs, after earlier steps did (not) fail. */
  condition(ifText: string | undefined, context: ExpressionContext, failed: boolean): boolean;
  /** Runs the steps of a job in order with bash, stopping at the first failure (except `if: always()`). */
  runJob(options: RunJobOptions): JobResult;
}
