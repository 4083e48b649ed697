import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The pinned Python tools environment (tools/requirements.txt, hash-checked), installed by
 * `npx projen tools` (the test task runs it first) and by `.ci/run`: build, hatchling,
 * setuptools, uv_build, poetry-core, twine, uv, poetry, hatch, git-cliff, pypiserver, zizmor,
 * shellcheck and more. Tests find every Python tool here and never use the user's Python.
 */
export const TOOLS_BIN = path.join(REPO_ROOT, '.tools', 'venv', 'bin');
/** The tools environment's python (with build, twine, hatchling, setuptools...). */
export const TOOLS_PYTHON = path.join(TOOLS_BIN, 'python');
/** uv's cache for the tests (shared by test runs, so a package is downloaded once). */
export const UV_CACHE = path.join(REPO_ROOT, '.tools', 'cache', 'uv');
/**
 * The machine's certificate and proxy settings (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, HTTPS_PROXY...),
 * for a tool that reaches PyPI from an environment the test otherwise builds from scratch.
 */
export function networkEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env)
    .filter((e): e is [string, string] => e[1] !== undefined && /SSL|CERT|CA_BUNDLE|PROXY/i.test(e[0])));
}

/** A tool of the tools environment, by name (`twine`, `uv`, `git-cliff`...). */
export function tool(name: string): string {
  return path.join(TOOLS_BIN, name);
}
/**
 * Debian's python3, for small stand-ins that must start fast and need only the standard library
 * (it is on every machine of this project's kind).
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** node_modules/.bin of this repository. */
export const NODE_BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

/** Whether `tool` can be run (a path, or a name on PATH). */
export function haveTool(name: string): boolean {
  if (name.includes('/')) return fs.existsSync(name);
  return spawnSync('bash', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Whether the tools environment's python has a module (build, twine, hatchling...). */
export function havePythonModule(module: string): boolean {
  return spawnSync(TOOLS_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns true when every requirement is met. When one is missing it returns false so that the
 * caller can skip, except under CI (`CI` set), where a missing tool is a failure.
 */
export function requireTools(what: Record<string, boolean>): boolean {
  const missing = Object.entries(what).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length === 0) return true;
  const message = `missing test tools: ${missing.join(', ')} (npx projen tools installs the Python tools; .ci/run installs everything)`;
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
