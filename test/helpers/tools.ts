import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Debian's python3 (with python3-build, twine, hatchling), not the pyenv one first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** node_modules/.bin of this repository (git-cliff lives there). */
export const NODE_BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

/** Whether `tool` can be run (a path, or a name on PATH). */
export function haveTool(tool: string): boolean {
  if (tool.includes('/')) return fs.existsSync(tool);
  return spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Whether Debian's python3 has a module (build, twine, hatchling...). */
export function havePythonModule(module: string): boolean {
  return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns true when every requirement is met. When one is missing it returns false so that the
 * caller can skip, except under CI (`CI` set), where a missing tool is a failure.
 */
export function requireTools(what: Record<string, boolean>): boolean {
  const missing = Object.entries(what).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length === 0) return true;
  const message = `missing test tools: ${missing.join(', ')} (.ci/run installs them)`;
  if (process.env.CI) throw new Error(message);
  // eslint-disable-next-line no-console
  console.warn(`skipping: ${message}`);
  return false;
}

/** `describe` that skips (outside CI) when tools are missing and fails under CI. */
export function describeWithTools(name: string, what: Record<string, boolean>, fn: () => void): void {
  const ok = requireTools(what);
  (ok ? describe : describe.skip)(name, fn);
}
