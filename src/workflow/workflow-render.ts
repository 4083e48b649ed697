import { github, IResolver } from 'projen';

type AnyJob = github.workflows.Job | github.workflows.JobCallingReusableWorkflow;

/** What a workflow file is rendered from: the public state of projen's `GithubWorkflow` and its triggers. */
export interface WorkflowSource {
  readonly name: string;
  readonly runName?: string;
  readonly triggers: github.workflows.Triggers;
  readonly concurrency?: github.ConcurrencyOptions;
  readonly env?: { [key: string]: string };
  readonly jobs: { [id: string]: AnyJob };
  /** `project.github.actions`: the `uses:` overrides of the project. */
  readonly actions: github.GitHubActionsProvider;
}

/**
 * The workflow as the object projen's `GithubWorkflow` renders (same keys, same order, same
 * defaults), resolved, so that the YAML is the one projen would write. projen keeps that rendering
 * private, hence this port of it; `test/workflow-model.test.ts` checks it against projen's own output.
 */
export function renderWorkflow(source: WorkflowSource, resolver: IResolver): { [key: string]: unknown } {
  // projen's lazy values resolved once, up front, so that the rendered object needs no resolving;
  // plain data (what our jobs render) is already what projen's resolve() would copy it to
  const { actions, ...content } = source;
  const resolved: Omit<WorkflowSource, 'actions'> = isResolved(content) ? content : resolver.resolve(content);
  const jobs: { [id: string]: unknown } = {};
  for (const [id, job] of Object.entries(resolved.jobs)) jobs[id] = renderJob(id, job, actions);
  return {
    'name': resolved.name,
    'run-name': resolved.runName,
    'on': snakeCaseKeys(resolved.triggers),
    'concurrency': resolved.concurrency
      ? { 'group': resolved.concurrency.group, 'cancel-in-progress': resolved.concurrency.cancelInProgress }
      : undefined,
    'env': resolved.env,
    jobs,
  };
}

/**
 * Whether projen's `resolve()` would return `value` unchanged but for dropping undefined map
 * values (which the YAML leaves out too): JSON data, with no function, `toJSON()`, class instance,
 * Map or Set in it, and no null or undefined in an array (which resolve() would filter out).
 */
function isResolved(value: unknown): boolean {
  if (typeof value !== 'object') return typeof value !== 'function';
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] == null || !isResolved(value[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || (value as { toJSON?: unknown }).toJSON !== undefined) return false;
  for (const key in value) if (!isResolved((value as { [key: string]: unknown })[key])) return false;
  return true;
}

/** A job that calls a reusable workflow (`uses:`; a key with an undefined value is no key, as in JSON). */
function callsReusableWorkflow(job: AnyJob): job is github.workflows.JobCallingReusableWorkflow {
  return (job as { uses?: unknown }).uses !== undefined;
}

function renderJob(id: string, job: AnyJob, actions: github.GitHubActionsProvider): unknown {
  if (callsReusableWorkflow(job)) {
    return {
      name: job.name,
      needs: arrayOrScalar(job.needs),
      if: job.if,
      permissions: kebabCaseKeys(job.permissions),
      concurrency: job.concurrency,
      uses: job.uses,
      with: job.with,
      secrets: job.secrets,
      strategy: renderStrategy(job.strategy),
    };
  }
  if (job.tools) {
    throw new Error(`job "${id}": "tools" is not supported in a PipelineWorkflow (projen would add setup actions pinned to a tag, not a commit). Add the setup steps yourself, with actions pinned by PipelineWorkflow.pinAction().`);
  }
  const renderStep = (step: github.workflows.JobStep): unknown => ({
    'name': step.name,
    'id': step.id,
    'if': step.if,
    'uses': step.uses && actions.get(step.uses),
    'env': step.env,
    'run': step.run,
    'shell': step.shell,
    'with': step.with,
    'continue-on-error': step.continueOnError,
    'timeout-minutes': step.timeoutMinutes,
    'working-directory': step.workingDirectory,
    'background': step.background,
    'wait': step.wait,
    'wait-all': step.waitAll,
    'cancel': step.cancel,
    'parallel': step.parallel?.map(renderStep),
  });
  return {
    'name': job.name,
    'needs': arrayOrScalar(job.needs),
    'runs-on': arrayOrScalar(job.runsOnGroup as unknown) ?? arrayOrScalar(job.runsOn),
    'permissions': kebabCaseKeys(job.permissions),
    'environment': job.environment,
    'concurrency': job.concurrency,
    'outputs': renderOutputs(job.outputs),
    'env': job.env,
    'defaults': kebabCaseKeys(job.defaults),
    'if': job.if,
    'steps': job.steps.map(renderStep),
    'timeout-minutes': job.timeoutMinutes,
    'strategy': renderStrategy(job.strategy),
    'continue-on-error': job.continueOnError,
    'container': job.container,
    'services': job.services,
  };
}

function renderOutputs(outputs: github.workflows.Job['outputs']): unknown {
  if (outputs == null) return undefined;
  const rendered: { [name: string]: string } = {};
  for (const [name, { stepId, outputName }] of Object.entries(outputs)) {
    rendered[name] = `\${{ steps.${stepId}.outputs.${outputName} }}`;
  }
  return rendered;
}

function renderStrategy(strategy: github.workflows.JobStrategy | undefined): unknown {
  if (strategy == null) return undefined;
  const rendered: { [key: string]: unknown } = { 'max-parallel': strategy.maxParallel, 'fail-fast': strategy.failFast };
  if (strategy.matrix) {
    const matrix: { [key: string]: unknown } = { include: strategy.matrix.include, exclude: strategy.matrix.exclude };
    for (const [key, values] of Object.entries(strategy.matrix.domain ?? {})) {
      if (key in matrix) throw new Error(`Illegal job strategy matrix key: ${key}`);
      matrix[key] = values;
    }
    rendered.matrix = matrix;
  }
  return rendered;
}

function arrayOrScalar<T>(arr: T | T[] | undefined): T | T[] | undefined {
  return Array.isArray(arr) && arr.length === 1 ? arr[0] : arr;
}

// Key casing as projen's (its `case` dependency: Case.snake for triggers; decamelize + "-" for
// permissions and defaults), for the Latin-1 range that package handles.
const SYMBOLS = '\\u0020-\\u0026\\u0028-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E\\u00A0-\\u00BF\\u00D7\\u00F7';
const LOWERS = 'a-z\\u00DF-\\u00F6\\u00F8-\\u00FF';
const UPPERS = 'A-Z\\u00C0-\\u00D6\\u00D8-\\u00DE';
const FILL = new RegExp(`[${SYMBOLS}]+(.|$)`, 'g');
const RELAX = new RegExp(`([^${UPPERS}])([${UPPERS}]*)([${UPPERS}])(?=[^${UPPERS}]|$)`, 'g');
const NO_LOWER = new RegExp(`^[^${LOWERS}]+$`);
const ROOM = new RegExp(`[${SYMBOLS}]`);
const CAMEL = /^(?=.*[a-z])[a-z0-9]+[A-Z][A-Za-z0-9]*$/;
/** Already snake case (what `Case.snake` returns unchanged): lower-case words joined by single underscores. */
const SNAKE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/** `Case.lower(s, fill)`: words split at symbols and camel humps, lower-cased, joined by `fill`. */
function lowerCase(s: string, fill: string): string {
  if (fill === '_' && SNAKE.test(s)) return s;
  if (NO_LOWER.test(s)) s = s.toLowerCase();
  if (!ROOM.test(s)) {
    s = s.replace(RELAX, (_m, before: string, acronym: string, caps: string) => `${before} ${acronym ? `${acronym} ` : ''}${caps}`);
  }
  return s.toLowerCase().replace(FILL, (_m, next: string) => (next ? fill + next : ''));
}

/** projen's `snakeCaseKeys` (of `on:`): every key, recursively, through `Case.snake`. */
export function snakeCaseKeys(obj: unknown): any {
  if (typeof obj !== 'object' || obj == null) return obj;
  if (Array.isArray(obj)) return obj.map(snakeCaseKeys);
  const result: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(obj)) {
    result[lowerCase(k, '_').replace(/'/g, '')] = typeof v === 'object' && v != null ? snakeCaseKeys(v) : v;
  }
  return result;
}

/** projen's `kebabCaseKeys` (of `permissions:` and `defaults:`): camelCase keys to kebab-case, recursively. */
export function kebabCaseKeys(obj: unknown): any {
  if (typeof obj !== 'object' || obj == null) return obj;
  if (Array.isArray(obj)) return obj.map(kebabCaseKeys);
  const result: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(obj)) {
    result[(CAMEL.test(k) ? lowerCase(k, '_') : k).replace(/_/g, '-')] = kebabCaseKeys(v);
  }
  return result;
}
