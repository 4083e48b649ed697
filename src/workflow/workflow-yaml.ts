import { Document, isMap, isScalar, isSeq, YAMLMap } from 'yaml';

/** What the YAML of a workflow carries besides its content. */
export interface WorkflowAnnotations {
  /** `owner/repo@sha` → `vX.Y.Z`, written as a comment after each pinned `uses:`. */
  readonly pinVersions: Map<string, string>;
  /** job id → scope → why the job writes there. */
  readonly writeReasons: Map<string, Map<string, string[]>>;
  /** Called for each `uses:` that is not pinned to a full commit SHA (e.g. a user override). */
  readonly onUnpinned?: (uses: string, jobId: string) => void;
  /** Called for each `uses:` pinned to a SHA whose release tag is not known (no version comment). */
  readonly onUnknownVersion?: (uses: string, jobId: string) => void;
}

/**
 * The YAML of a workflow, built as one document and stringified once: the workflow object (as
 * rendered, overrides applied) with `permissions: {}` right after `on:` (whatever an override
 * put there), a `# vX.Y.Z` comment after every pinned action and a `# reason` comment after every
 * write permission. Formatted as projen's `YamlFile` does (indent 2, `lineWidth` 0: no folding).
 */
export function workflowYaml(workflow: { [key: string]: unknown }, annotations: WorkflowAnnotations, lineWidth = 0): string {
  const doc = new Document(withEmptyTopPermissions(workflow));
  const jobs = isMap(doc.contents) ? doc.contents.get('jobs') : undefined;
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const jobId = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (isMap(pair.value)) annotateJob(jobId, pair.value, annotations);
    }
  }
  return doc.toString({ indent: 2, lineWidth });
}

function withEmptyTopPermissions(workflow: { [key: string]: unknown }): { [key: string]: unknown } {
  const keys = Object.keys(workflow).filter((k) => k !== 'permissions');
  keys.splice(keys.indexOf('on') + 1, 0, 'permissions');
  const ordered: { [key: string]: unknown } = {};
  for (const key of keys) ordered[key] = key === 'permissions' ? {} : workflow[key];
  return ordered;
}

function annotateJob(jobId: string, job: YAMLMap, annotations: WorkflowAnnotations): void {
  const permissions = job.get('permissions', true);
  if (isMap(permissions)) {
    for (const p of permissions.items) {
      const scope = String(isScalar(p.key) ? p.key.value : p.key);
      const reasons = annotations.writeReasons.get(jobId)?.get(scope);
      if (isScalar(p.value) && p.value.value === 'write' && reasons?.length) {
        p.value.comment = ` ${reasons.join('; ')}`;
      }
    }
  }
  const steps = job.get('steps', true);
  if (!isSeq(steps)) return;
  for (const step of steps.items) {
    const uses = isMap(step) ? step.get('uses', true) : undefined;
    if (!isScalar(uses)) continue;
    const ref = String(uses.value);
    const version = annotations.pinVersions.get(ref);
    if (version) uses.comment = ` ${version}`;
    const local = ref.startsWith('./') || ref.startsWith('docker://');
    if (!local && !/@[0-9a-f]{40}$/.test(ref)) annotations.onUnpinned?.(ref, jobId);
    else if (!local && !version) annotations.onUnknownVersion?.(ref, jobId);
  }
}
