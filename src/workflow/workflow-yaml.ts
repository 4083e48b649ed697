import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';

/** What `annotateWorkflowYaml` adds to projen's rendering. */
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
 * Post-processes a workflow as projen rendered it (projen emits no comments and no top-level
 * `permissions:`): puts `permissions: {}` right after `on:`, a `# vX.Y.Z` comment after every
 * pinned action and a `# reason` comment after every write permission.
 */
export function annotateWorkflowYaml(text: string, annotations: WorkflowAnnotations): string {
  const doc = parseDocument(text);
  const root = doc.contents;
  if (!isMap(root)) return text;

  const top = new YAMLMap();
  top.flow = true;
  root.delete('permissions');
  const onIndex = root.items.findIndex((p) => isScalar(p.key) && p.key.value === 'on');
  root.items.splice(onIndex + 1, 0, doc.createPair('permissions', top));

  const jobs = root.get('jobs');
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const jobId = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const job = pair.value;
      if (!isMap(job)) continue;
      const permissions = job.get('permissions', true);
      if (isMap(permissions)) {
        if (permissions.items.length === 0) permissions.flow = true;
        for (const p of permissions.items) {
          const scope = String(isScalar(p.key) ? p.key.value : p.key);
          const reasons = annotations.writeReasons.get(jobId)?.get(scope);
          if (isScalar(p.value) && p.value.value === 'write' && reasons?.length) {
            p.value.comment = ` ${reasons.join('; ')}`;
          }
        }
      }
      const steps = job.get('steps', true);
      if (isSeq(steps)) {
        for (const step of steps.items) {
          if (!isMap(step)) continue;
          const uses = step.get('uses', true);
          if (isScalar(uses)) {
            const ref = String(uses.value);
            const version = annotations.pinVersions.get(ref);
            if (version) uses.comment = ` ${version}`;
            const local = ref.startsWith('./') || ref.startsWith('docker://');
            if (!local && !/@[0-9a-f]{40}$/.test(ref)) annotations.onUnpinned?.(ref, jobId);
            else if (!local && !version) annotations.onUnknownVersion?.(ref, jobId);
          }
        }
      }
    }
  }
  return render(doc);
}

function render(doc: Document): string {
  return doc.toString({ indent: 2, lineWidth: 0 });
}
