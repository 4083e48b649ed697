import * as path from 'path';
import type * as YamlApi from 'yaml';

/**
 * The `yaml` package that projen renders its own YAML files with (projen bundles one), so that a
 * synthesis loads one copy of it, warmed up by projen's files, and formats as projen does; our
 * own (a dependency of ours, same major version) where projen's cannot be found.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const yaml: typeof YamlApi = projenYaml() ?? require('yaml');

function projenYaml(): typeof YamlApi | undefined {
  try {
    const paths = [path.dirname(require.resolve('projen/package.json'))];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require(require.resolve('yaml/package.json', { paths }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(version).startsWith('2.') ? require(require.resolve('yaml', { paths })) : undefined;
  } catch {
    return undefined;
  }
}

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
  const doc = new yaml.Document(withEmptyTopPermissions(workflow));
  const jobs = yaml.isMap(doc.contents) ? doc.contents.get('jobs') : undefined;
  if (yaml.isMap(jobs)) {
    for (const pair of jobs.items) {
      const jobId = String(yaml.isScalar(pair.key) ? pair.key.value : pair.key);
      if (yaml.isMap(pair.value)) annotateJob(jobId, pair.value, annotations);
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

function annotateJob(jobId: string, job: YamlApi.YAMLMap, annotations: WorkflowAnnotations): void {
  const permissions = job.get('permissions', true);
  if (yaml.isMap(permissions)) {
    for (const p of permissions.items) {
      const scope = String(yaml.isScalar(p.key) ? p.key.value : p.key);
      const reasons = annotations.writeReasons.get(jobId)?.get(scope);
      if (yaml.isScalar(p.value) && p.value.value === 'write' && reasons?.length) {
        p.value.comment = ` ${reasons.join('; ')}`;
      }
    }
  }
  const steps = job.get('steps', true);
  if (!yaml.isSeq(steps)) return;
  for (const step of steps.items) {
    const uses = yaml.isMap(step) ? step.get('uses', true) : undefined;
    if (!yaml.isScalar(uses)) continue;
    const ref = String(uses.value);
    const version = annotations.pinVersions.get(ref);
    if (version) uses.comment = ` ${version}`;
    const local = ref.startsWith('./') || ref.startsWith('docker://');
    if (!local && !/@[0-9a-f]{40}$/.test(ref)) annotations.onUnpinned?.(ref, jobId);
    else if (!local && !version) annotations.onUnknownVersion?.(ref, jobId);
  }
}
