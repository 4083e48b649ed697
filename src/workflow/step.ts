import { github } from 'projen';
import { Permission } from './permission';

/** Inputs of well-known actions that are code: an expression there is script injection. */
const SCRIPT_INPUTS: { [action: string]: string[] } = {
  'actions/github-script': ['script'],
  'actions/script': ['script'],
};

/** A step's id: what GitHub accepts in `steps[*].id`. */
export const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * What a step does: either a `run:` script or a `uses:` action.
 */
export interface StepOptions {
  /** The step's display name. */
  readonly name: string;
  /**
   * A bash script. It must not contain `${{ }}` expressions: pass values through `env`.
   * Exactly one of `run` and `uses` is set.
   * @default - none
   */
  readonly run?: string;
  /**
   * An action, `owner/repo@<sha>`, best taken from `ActionPins` (`ActionPins.CHECKOUT.ref`).
   * It is resolved through `project.github.actions`, so overrides apply.
   * @default - none
   */
  readonly uses?: string;
  /**
   * Inputs of the action.
   * @default - none
   */
  readonly with?: { [key: string]: any };
  /**
   * Environment variables of the step; the way values reach a `run:` script.
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Condition for the step.
   * @default - always runs when the previous steps succeeded
   */
  readonly if?: string;
  /**
   * Working directory of a `run:` step.
   * @default - the job's default (the repository root)
   */
  readonly workingDirectory?: string;
  /**
   * The `GITHUB_TOKEN` permissions this step needs; the job is granted their union.
   * @default - none
   */
  readonly permissions?: Permission[];
  /**
   * Minutes before the step is cancelled.
   * @default - the job's timeout
   */
  readonly timeoutMinutes?: number;
  /**
   * Let the job go on when this step fails.
   * @default false
   */
  readonly continueOnError?: boolean;
}

/**
 * One step of a `Job`, made by `Job.addStep()` and its siblings. Its id is the step's `id:` in the
 * workflow, so other steps and presets can find it, insert around it, replace or remove it. A
 * step is a plain object held by its job, not a construct: projen walks the whole construct tree
 * for every file it creates, and steps would be most of that tree (61 of a package's 95 nodes).
 */
export class Step {
  /** The step's `id:` in the workflow. */
  public readonly stepId: string;
  /** What the step does. */
  public readonly options: StepOptions;

  /** Checks the options; throws naming the step and what to fix. */
  public constructor(id: string, options: StepOptions) {
    const where = `step "${id}"`;
    if (!STEP_ID.test(id)) {
      throw new Error(`Invalid step id "${id}": use letters, digits, "-" and "_", starting with a letter or "_".`);
    }
    if (!options.name?.trim()) {
      throw new Error(`${where}: "name" is required.`);
    }
    if ((options.run === undefined) === (options.uses === undefined)) {
      throw new Error(`${where}: set exactly one of "run" (a script) and "uses" (an action).`);
    }
    if (options.run !== undefined) {
      if (!options.run.trim()) {
        throw new Error(`${where}: "run" is empty.`);
      }
      if (options.run.includes('${{')) {
        throw new Error(`${where}: "run" contains a \${{ }} expression, which GitHub would paste into the script (script injection). Pass the value through "env" and use "$NAME" in the script.`);
      }
      if (options.with !== undefined) {
        throw new Error(`${where}: "with" only applies to "uses" steps.`);
      }
    }
    for (const input of SCRIPT_INPUTS[(options.uses ?? '').split('@')[0]] ?? []) {
      if (String(options.with?.[input] ?? '').includes('${{')) {
        throw new Error(`${where}: input "${input}" of ${options.uses!.split('@')[0]} is a script, and it contains a \${{ }} expression, which GitHub would paste into the code (script injection). Pass the value through "env" and read it in the script (process.env.NAME).`);
      }
    }
    if (options.uses !== undefined && !/^[^@\s]+@[^@\s]+$/.test(options.uses)) {
      throw new Error(`${where}: "uses" must be "owner/repo@<sha>", got "${options.uses}".`);
    }
    for (const key of Object.keys(options.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        throw new Error(`${where}: env name "${key}" is not a valid variable name.`);
      }
    }
    this.stepId = id;
    this.options = options;
  }

  /** Whether this is a `run:` step. */
  public get isScript(): boolean {
    return this.options.run !== undefined;
  }

  /** The permissions this step needs. */
  public get permissions(): Permission[] {
    return [...(this.options.permissions ?? [])];
  }

  /** The step as projen renders it. */
  public render(): github.workflows.JobStep {
    const o = this.options;
    return {
      id: this.stepId,
      name: o.name,
      if: o.if,
      uses: o.uses,
      with: o.with,
      env: o.env && Object.keys(o.env).length ? o.env : undefined,
      run: o.run === undefined ? undefined : o.run.trimEnd() + '\n',
      workingDirectory: o.workingDirectory,
      timeoutMinutes: o.timeoutMinutes,
      continueOnError: o.continueOnError,
    };
  }
}
