import { ActionPins } from './action-pin';
import { Permission } from './permission';
import { StepOptions } from './step';

/** A checkout that leaves no credentials behind in `.git/config`. */
export function checkoutStep(options: { fetchDepth?: number } = {}): StepOptions {
  return {
    name: 'Check out the repository',
    uses: ActionPins.CHECKOUT.ref,
    with: {
      'persist-credentials': false,
      ...(options.fetchDepth !== undefined ? { 'fetch-depth': options.fetchDepth } : {}),
    },
    permissions: [Permission.read('contents')],
  };
}

/** Uploads files as a workflow artifact; fails when none match. */
export function uploadArtifactStep(name: string, paths: string[], title: string): StepOptions {
  return {
    name: title,
    uses: ActionPins.UPLOAD_ARTIFACT.ref,
    with: {
      'name': name,
      'path': paths.join('\n'),
      'if-no-files-found': 'error',
    },
  };
}

/** Downloads a workflow artifact of this run into `path`. */
export function downloadArtifactStep(name: string, path: string): StepOptions {
  return {
    name: 'Download the verified distributions',
    uses: ActionPins.DOWNLOAD_ARTIFACT.ref,
    with: { name, path },
  };
}

/** Downloads every artifact of this run whose name matches `pattern` into one folder, `path`. */
export function downloadArtifactsStep(pattern: string, path: string, title: string): StepOptions {
  return {
    name: title,
    uses: ActionPins.DOWNLOAD_ARTIFACT.ref,
    with: { 'pattern': pattern, 'path': path, 'merge-multiple': true },
  };
}

/** Joins a package directory and a path inside it (`.` stays out). */
export function inPackage(packageDir: string, file: string): string {
  return packageDir === '.' ? file : `${packageDir}/${file}`;
}

/** Whether a setup step would use a cache (actions/cache, or a setup action's cache input). */
export function cachesIn(step: StepOptions): boolean {
  const uses = step.uses ?? '';
  if (/^actions\/cache(\/(restore|save))?@/.test(uses)) return true;
  const w = step.with ?? {};
  const on = (v: unknown) => v !== undefined && v !== false && v !== 'false' && v !== '';
  if (uses.startsWith('astral-sh/setup-uv@') && !(w['enable-cache'] === false || w['enable-cache'] === 'false')) return true;
  if (uses.startsWith('prefix-dev/setup-pixi@') && !(w.cache === false || w.cache === 'false')) return true;
  return on(w.cache) || on(w['enable-cache']) || on(w.sccache);
}
