import { Construct } from 'constructs';
import { github } from 'projen';
import { Environment } from './environment';
import { Permission, PermissionGrant, mergePermissions } from './permission';
import { secretReads } from './secret-reads';
import { Step, StepOptions } from './step';

/** A job's id: what GitHub accepts as a key under `jobs:`. */
const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The runner our jobs use unless told otherwise. */
export const DEFAULT_RUNNER = 'ubuntu-24.04';

/** A job output taken from a step output. */
export interface JobOutput {
  /** The id of the step that sets the output. */
  readonly stepId: string;
  /** The name of the step's output. */
  readonly outputName: string;
}

/** Options of a `Job`. */
export interface JobOptions {
  /** The job's display name. */
  readonly name: string;
  /**
   * Runner labels.
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];
  /**
   * Jobs that must succeed first.
   * @default - none
   */
  readonly needs?: Job[];
  /**
   * The deployment environment the job runs in.
   * @default - none
   */
  readonly environment?: Environment;
  /**
   * URL shown for the deployment, e.g. the package's PyPI page.
   * @default - the environment's URL
   */
  readonly environmentUrl?: string;
  /**
   * Condition for the job.
   * @default - runs when its needs succeeded
   */
  readonly if?: string;
  /**
   * Permissions beyond those its steps declare.
   * @default - none
   */
  readonly permissions?: Permission[];
  /**
   * Minutes before the job is cancelled.
   * @default 30
   */
  readonly timeoutMinutes?: number;
  /**
   * Job-level concurrency group.
   * @default - none (the workflow's group applies)
   */
  readonly concurrencyGroup?: string;
  /**
   * Job outputs, by name.
   * @default - none
   */
  readonly outputs?: { [name: string]: JobOutput };
  /**
   * Environment variables for every step.
   * @default - none
   */
  readonly env?: { [key: string]: string };
  /**
   * Directory `run:` steps start in.
   * @default - the repository root
   */
  readonly workingDirectory?: string;
  /**
   * A build matrix.
   * @default - none
   */
  readonly strategy?: github.workflows.JobStrategy;
}

/**
 * A job: an ordered list of `Step`s plus where and when it runs. Its construct id is its key
 * under `jobs:`. Its `permissions:` are the union of what its steps need and what it is given.
 */
export class Job extends Construct {
  /** Returns whether `x` is a `Job`. */
  public static isJob(x: any): x is Job {
    return x instanceof Job;
  }

  /** The job's display name. */
  public readonly name: string;
  private readonly options: JobOptions;
  private readonly stepList: Step[] = [];
  private readonly needList: Job[] = [];
  private readonly extraPermissions: Permission[] = [];
  private readonly outputMap: { [name: string]: JobOutput } = {};
  private readonly protectedSteps = new Map<string, string>();

  public constructor(scope: Construct, id: string, options: JobOptions) {
    super(scope, id);
    if (!JOB_ID.test(id)) {
      throw new Error(`Invalid job id "${id}": use letters, digits, "-" and "_", starting with a letter or "_".`);
    }
    if (!options.name?.trim()) {
      throw new Error(`job "${id}": "name" is required.`);
    }
    if (options.timeoutMinutes !== undefined && !(options.timeoutMinutes > 0 && options.timeoutMinutes <= 360)) {
      throw new Error(`job "${id}": timeoutMinutes must be between 1 and 360, got ${options.timeoutMinutes}.`);
    }
    if (options.runsOn !== undefined && options.runsOn.length === 0) {
      throw new Error(`job "${id}": runsOn must name at least one runner label.`);
    }
    this.name = options.name;
    this.options = options;
    this.addNeeds(...(options.needs ?? []));
    this.addPermissions(...(options.permissions ?? []));
    for (const [name, output] of Object.entries(options.outputs ?? {})) {
      this.addOutput(name, output.stepId, output.outputName);
    }
  }

  /** The job's key under `jobs:`. */
  public get jobId(): string {
    return this.node.id;
  }

  /** The steps, in order. */
  public get steps(): Step[] {
    return [...this.stepList];
  }

  /** The jobs this one needs. */
  public get needs(): Job[] {
    return [...this.needList];
  }

  /** The deployment environment, if any. */
  public get environment(): Environment | undefined {
    return this.options.environment;
  }

  /** Appends a step. */
  public addStep(id: string, options: StepOptions): Step {
    return this.placeStep(this.stepList.length, id, options);
  }

  /** Inserts a step before the step `beforeId`. */
  public insertStepBefore(beforeId: string, id: string, options: StepOptions): Step {
    return this.placeStep(this.indexOf(beforeId), id, options);
  }

  /** Inserts a step after the step `afterId`. */
  public insertStepAfter(afterId: string, id: string, options: StepOptions): Step {
    return this.placeStep(this.indexOf(afterId) + 1, id, options);
  }

  /** Replaces the step `id` in place, keeping its id. */
  public replaceStep(id: string, options: StepOptions): Step {
    const index = this.indexOf(id);
    this.stepList.splice(index, 1);
    return this.placeStep(index, id, options);
  }

  /**
   * Removes the step `id`. A step the pipeline relies on (see `protectStep`) is removed only when
   * you say what takes its place.
   * @param replacedBy for a protected step: what now does its work (e.g. "step sign-and-verify"),
   * recorded in the error-free path only so that the removal is deliberate
   */
  public removeStep(id: string, replacedBy?: string): void {
    const index = this.indexOf(id);
    const reason = this.protectedSteps.get(id);
    if (reason && !replacedBy?.trim()) {
      throw new Error(`job "${this.jobId}": step "${id}" cannot be removed silently (${reason}). Use replaceStep("${id}", ...) to do its work differently, or removeStep("${id}", "<what replaces it>") if another step now does it.`);
    }
    this.stepList.splice(index, 1);
    this.protectedSteps.delete(id);
  }

  /** Whether the step `id` is one the pipeline relies on (see `protectStep`). */
  public isStepProtected(id: string): boolean {
    return this.protectedSteps.has(id);
  }

  /**
   * Marks the step `id` as one the pipeline relies on: `removeStep` then refuses it unless told
   * what replaces it (`replaceStep` keeps it protected).
   */
  public protectStep(id: string, reason: string): void {
    this.indexOf(id);
    this.protectedSteps.set(id, reason);
  }

  /** The step `id`, or undefined. */
  public tryFindStep(id: string): Step | undefined {
    return this.stepList.find((s) => s.stepId === id);
  }

  /** The step `id`; throws naming the steps there are when it is missing. */
  public findStep(id: string): Step {
    return this.stepList[this.indexOf(id)];
  }

  /** Adds jobs this one must wait for. */
  public addNeeds(...jobs: Job[]): void {
    for (const job of jobs) {
      if (job === this) throw new Error(`job "${this.jobId}" cannot need itself.`);
      if (!this.needList.includes(job)) this.needList.push(job);
    }
  }

  /** Grants permissions beyond those the steps declare. */
  public addPermissions(...permissions: Permission[]): void {
    this.extraPermissions.push(...permissions);
  }

  /** Exposes a step output as a job output. */
  public addOutput(name: string, stepId: string, outputName: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      throw new Error(`job "${this.jobId}": output name "${name}" is not a valid identifier.`);
    }
    this.outputMap[name] = { stepId, outputName };
  }

  /** `needs.<job>.outputs.<name>` of an output of this job, as an expression. */
  public outputExpression(name: string): string {
    if (!this.outputMap[name]) {
      throw new Error(`job "${this.jobId}" has no output "${name}". Outputs: ${Object.keys(this.outputMap).join(', ') || '(none)'}.`);
    }
    return `\${{ needs.${this.jobId}.outputs.${name} }}`;
  }

  /** Every permission the job is granted, merged by scope, with their reasons. */
  public get permissions(): PermissionGrant[] {
    return mergePermissions([...this.extraPermissions, ...this.stepList.flatMap((s) => s.permissions)]);
  }

  /** The job as projen renders it. */
  public render(): github.workflows.Job {
    const o = this.options;
    if (this.stepList.length === 0) {
      throw new Error(`job "${this.jobId}" has no steps.`);
    }
    for (const [name, out] of Object.entries(this.outputMap)) {
      if (!this.tryFindStep(out.stepId)) {
        throw new Error(`job "${this.jobId}": output "${name}" reads step "${out.stepId}", which is not in the job.`);
      }
    }
    if (!o.environment) {
      const reads = secretReads(o.env, this.stepList);
      if (reads.length) {
        throw new Error(`job "${this.jobId}" reads ${reads.join(', ')} but runs in no environment: a secret belongs in a job with an environment (environment protection decides which runs may read it), and such a job runs no project code. Give the job an environment (JobOptions.environment) and store the secret there, or move the step that needs it into a job that has one.`);
      }
    }
    const permissions: Record<string, string> = {};
    for (const { scope, level } of this.permissions) {
      permissions[scope.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = level;
    }
    const environment = o.environment
      ? { name: o.environment.environmentName, url: o.environmentUrl ?? o.environment.url }
      : undefined;
    return {
      name: o.name,
      needs: this.needList.length ? this.needList.map((j) => j.jobId) : undefined,
      runsOn: o.runsOn ?? [DEFAULT_RUNNER],
      permissions: permissions as github.workflows.JobPermissions,
      environment,
      if: o.if,
      concurrency: o.concurrencyGroup ? { 'group': o.concurrencyGroup, 'cancel-in-progress': false } : undefined,
      outputs: Object.keys(this.outputMap).length ? { ...this.outputMap } : undefined,
      env: o.env,
      strategy: o.strategy,
      timeoutMinutes: o.timeoutMinutes ?? 30,
      defaults: { run: { shell: 'bash', workingDirectory: o.workingDirectory } },
      steps: this.stepList.map((s) => s.render()),
    };
  }

  private indexOf(id: string): number {
    const index = this.stepList.findIndex((s) => s.stepId === id);
    if (index < 0) {
      throw new Error(`job "${this.jobId}" has no step "${id}". Steps: ${this.stepList.map((s) => s.stepId).join(', ') || '(none)'}.`);
    }
    return index;
  }

  private placeStep(index: number, id: string, options: StepOptions): Step {
    if (this.tryFindStep(id)) {
      throw new Error(`job "${this.jobId}" already has a step "${id}": step ids must be unique within a job (use replaceStep to change it).`);
    }
    const step = new Step(id, options);
    this.stepList.splice(index, 0, step);
    return step;
  }
}
