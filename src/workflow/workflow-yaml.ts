import { YamlComments, yamlText } from './yaml-text';

/** What the YAML of a workflow carries besides its content. */
export interface WorkflowAnnotations {
  /** `owner/repo@sha` → `vX.Y.Z`, written as a comment after each pinned `uses:`. */
  readonly pinVersions: Map<string, string>;
  /** job id → scope → why the job has it (every write says why; a read may). */
  readonly permissionReasons: Map<string, Map<string, string[]>>;
  /** Called for each `uses:` that is not pinned to a full commit SHA (e.g. a user override). */
  readonly onUnpinned?: (uses: string, jobId: string) => void;
  /** Called for each `uses:` pinned to a SHA whose release tag is not known (no version comment). */
  readonly onUnknownVersion?: (uses: string, jobId: string) => void;
}

/**
 * The YAML of a workflow, written once: the workflow object (as rendered, overrides applied) with
 * `permissions: {}` right after `on:` (whatever an override put there), a `# vX.Y.Z` comment after
 * every pinned action and a `# reason` comment after every write permission. Formatted as
 * projen's `YamlFile` does (indent 2, no folding).
 */
export function workflowYaml(workflow: { [key: string]: unknown }, annotations: WorkflowAnnotations): string {
  const comments: YamlComments = new WeakMap();
  const jobs = workflow.jobs;
  if (isMap(jobs)) {
    for (const [jobId, job] of Object.entries(jobs)) if (isMap(job)) annotateJob(jobId, job, annotations, comments);
  }
  return yamlText(withEmptyTopPermissions(workflow), comments);
}

type YamlMap = { [key: string]: unknown };

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withEmptyTopPermissions(workflow: YamlMap): YamlMap {
  const keys = Object.keys(workflow).filter((k) => k !== 'permissions');
  keys.splice(keys.indexOf('on') + 1, 0, 'permissions');
  const ordered: YamlMap = {};
  for (const key of keys) ordered[key] = key === 'permissions' ? {} : workflow[key];
  return ordered;
}

function annotateJob(jobId: string, job: YamlMap, annotations: WorkflowAnnotations, comments: YamlComments): void {
  const permissions = job.permissions;
  if (isMap(permissions)) {
    const notes = new Map<string, string>();
    for (const scope of Object.keys(permissions)) {
      const reasons = annotations.permissionReasons.get(jobId)?.get(scope);
      if (reasons?.length) notes.set(scope, ` ${reasons.join('; ')}`);
    }
    comments.set(permissions, notes);
  }
  if (!Array.isArray(job.steps)) return;
  for (const step of job.steps) {
    if (!isMap(step) || typeof step.uses !== 'string') continue;
    const ref = step.uses;
    const version = annotations.pinVersions.get(ref);
    if (version) comments.set(step, new Map([['uses', ` ${version}`]]));
    const local = ref.startsWith('./') || ref.startsWith('docker://');
    if (!local && !/@[0-9a-f]{40}$/.test(ref)) annotations.onUnpinned?.(ref, jobId);
    else if (!local && !version) annotations.onUnknownVersion?.(ref, jobId);
  }
}
