import * as fs from 'fs';
import * as path from 'path';
import { CommandResult, runBash } from './run';
import { ToolSandbox } from './sandbox';
import { tool, TOOLS_PYTHON } from '../tools';

/** One step of a job: a key for the results, and its command line. */
export interface JobStep {
  readonly key: string;
  readonly command: string;
}

/** What the steps of one job did, by key. */
export interface JobRun {
  readonly dir: string;
  readonly results: { readonly [key: string]: CommandResult };
  readonly seconds: number;
}

/**
 * Runs steps one after the other in `dir`, each as its own bash `run:` step, like a job on a
 * runner; a failed step does not stop the later ones (so that one run reports every defect).
 */
export async function runJob(dir: string, env: Record<string, string>, steps: JobStep[], timeoutMs = 180_000): Promise<JobRun> {
  const start = Date.now();
  const results: Record<string, CommandResult> = {};
  for (const { key, command } of steps) results[key] = await runBash(command, { cwd: dir, env, timeoutMs });
  return { dir, results, seconds: (Date.now() - start) / 1000 };
}

/**
 * A plain Python in the sandbox, as `actions/setup-python` gives one: a venv of the tools
 * environment's interpreter with pip and nothing else (so no tool of the tools environment, and
 * nothing of the machine's own site-packages, can stand in for one the project installs).
 * Returns its `bin` directory.
 */
export async function setupPython(sandbox: ToolSandbox, name: string): Promise<string> {
  const dir = path.join(sandbox.root, name);
  const r = await runBash(`"${TOOLS_PYTHON}" -m venv "${dir}"`, { cwd: sandbox.root, env: sandbox.env() });
  if (r.status !== 0) throw new Error(`python -m venv ${dir} failed:\n${r.output}`);
  return path.join(dir, 'bin');
}

/**
 * A directory holding only the named tools of the tools environment (`uv`, `poetry`, `hatch`), as
 * `pipx install` or setup-uv put them on PATH. Returns its path.
 */
export function toolsOnly(sandbox: ToolSandbox, names: string[]): string {
  const dir = sandbox.dir('tool-bin');
  for (const name of names) {
    const link = path.join(dir, name);
    if (!fs.existsSync(link)) fs.symlinkSync(tool(name), link);
  }
  return dir;
}
