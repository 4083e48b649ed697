import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { tool, TOOLS_PYTHON } from '../tools';
import { pythonEnv } from './env';
import { run } from './run';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where the venvs live between runs (git-ignored): one per wheel, found again by its hash. */
export const VENV_CACHE = path.join(ROOT, '.tools', 'python-usage');
const KEEP_UNUSED_MS = 60 * 60_000;

/**
 * The PyPI packages the wheel is installed with: projen and constructs at the exact versions this
 * repository develops against (package.json devDependencies), and the jsii runtime of the
 * jsii-pacmak that built the wheel.
 */
export function pythonRequirements(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  const exact = (name: string): string => {
    const version: string = pkg.devDependencies?.[name] ?? '';
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`package.json devDependencies.${name} is "${version}": the Python test installs the same version from PyPI, so it must be an exact version`);
    }
    return `${name}==${version}`;
  };
  const pacmak = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'jsii-pacmak', 'package.json'), 'utf-8'));
  return [exact('projen'), exact('constructs'), `jsii==${pacmak.version}`];
}

/**
 * A fresh venv holding the wheel and pythonRequirements() from PyPI (made by the pinned uv, from
 * the tools environment's python), cached under .tools/python-usage/ by the hash of the wheel and
 * the requirements: a rerun of the same library build reuses it, a new build gets a new one.
 * Returns the venv's python.
 */
export async function venvWithWheel(wheel: string): Promise<string> {
  const requirements = pythonRequirements();
  const key = createHash('sha256').update(fs.readFileSync(wheel)).update(requirements.join('\n'))
    .update(fs.realpathSync(TOOLS_PYTHON)).digest('hex').slice(0, 16);
  const venv = path.join(VENV_CACHE, `venv-${key}`);
  const python = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(python)) {
    fs.mkdirSync(VENV_CACHE, { recursive: true });
    const staging = fs.mkdtempSync(path.join(VENV_CACHE, 'staging-'));
    const env = pythonEnv({ UV_CACHE_DIR: path.join(VENV_CACHE, 'uv-cache') });
    try {
      await run(tool('uv'), ['venv', '--relocatable', '--quiet', '--python', TOOLS_PYTHON, staging], { cwd: VENV_CACHE, env });
      await run(tool('uv'), ['pip', 'install', '--quiet', '--no-build', '--python', path.join(staging, 'bin', 'python'),
        '--index-url', 'https://pypi.org/simple', wheel, ...requirements], { cwd: VENV_CACHE, env });
      // Complete venvs only appear under their name; when another run got there first, use its.
      try { fs.renameSync(staging, venv); } catch (e) { if (!fs.existsSync(python)) throw e; }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const now = new Date();
  fs.utimesSync(venv, now, now);
  prune(venv);
  return python;
}

/** Removes the venvs (and abandoned staging dirs) no run has used for an hour. */
function prune(keep: string): void {
  for (const name of fs.readdirSync(VENV_CACHE)) {
    const dir = path.join(VENV_CACHE, name);
    if (dir === keep || !/^(venv|staging)-/.test(name)) continue;
    if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_UNUSED_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}
