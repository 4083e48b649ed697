import * as fs from 'fs';
import * as path from 'path';
import { JobRun, runWorkflowJob, toolEnv } from '../e2e/workflow-runner';
import { Workflow } from '../project';

/** Where the local stand-ins for TestPyPI and PyPI listen. */
export interface LocalUrls {
  /** TestPyPI's simple index, e.g. `http://127.0.0.1:P/simple/`. */
  readonly testPypiSimple: string;
  /** PyPI's simple index. */
  readonly pypiSimple: string;
  /** TestPyPI's JSON API base (`.../pypi`). */
  readonly testPypiJson?: string;
}

const REAL: Array<[keyof LocalUrls, string]> = [
  ['testPypiSimple', 'https://test.pypi.org/simple/'],
  ['pypiSimple', 'https://pypi.org/simple/'],
  ['testPypiJson', 'https://test.pypi.org/pypi'],
];

/**
 * A copy of a synthesized workflow whose steps' `env:` point at local indexes instead of
 * test.pypi.org and pypi.org (the scripts are unchanged; only these URL values are replaced).
 */
export function pointAtLocalIndexes(wf: Workflow, urls: LocalUrls): Workflow {
  const copy: Workflow = JSON.parse(JSON.stringify(wf));
  for (const job of Object.values(copy.jobs)) {
    for (const step of job.steps) {
      for (const [key, value] of Object.entries(step.env ?? {})) {
        const hit = REAL.find(([, real]) => value === real);
        if (hit && urls[hit[0]]) step.env![key] = urls[hit[0]]!;
      }
    }
  }
  return copy;
}

/** The verify job's outputs for a version. */
export function verified(version: string, tag = `v${version}`): Record<string, { outputs: Record<string, string> }> {
  return { verify: { outputs: { version, tag, prerelease: 'false' } } };
}

/**
 * Runs publish.yml's `test-install` job with the engine: `dist/` of the workspace holds what
 * its artifact downloads would (the verified distributions and SHA256SUMS), the indexes are
 * local. Polling is shortened to seconds.
 */
export function runTestInstall(wf: Workflow, dir: string, distFiles: string[], version: string, extraEnv: Record<string, string> = {}): JobRun {
  const workspace = path.join(dir, 'workspace');
  const dist = path.join(workspace, 'dist');
  fs.mkdirSync(dist, { recursive: true });
  for (const f of distFiles) fs.copyFileSync(f, path.join(dist, path.basename(f)));
  const copy: Workflow = JSON.parse(JSON.stringify(wf));
  for (const step of copy.jobs['test-install'].steps) {
    if (step.env?.POLL_TIMEOUT_SECONDS) Object.assign(step.env, { POLL_TIMEOUT_SECONDS: '6', POLL_INITIAL_DELAY_SECONDS: '1', POLL_MAX_DELAY_SECONDS: '2' });
  }
  return runWorkflowJob(copy, 'test-install', {
    workspace,
    tempDir: path.join(dir, 'job'),
    baseEnv: toolEnv(path.join(dir, 'home'), path.join(dir, 'no-gh'), extraEnv),
    needs: verified(version),
    github: { repository: 'acme/sample-pkg', event_name: 'release' },
  });
}
