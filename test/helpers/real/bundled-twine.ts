import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PYPI_SIMPLE } from './sandbox';
import { TOOLS_PYTHON } from '../tools';

/** Where the venvs of bundled tool versions are kept between runs (git-ignored). */
const CACHE_DIR = path.resolve(__dirname, '..', '..', '..', '.tools');

/** pip's environment: no config file, no find-links, PyPI only. */
function pipEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('PIP_')) env[k] = v;
  }
  return { ...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', ...(process.env.PIP_CERT ? { PIP_CERT: process.env.PIP_CERT } : {}) };
}

/**
 * A venv with exactly these package versions (e.g. the twine and packaging an action bundles),
 * installed from PyPI, and its python. Kept under .tools/ keyed by the versions, so a re-run
 * reuses it; built in a temporary sibling and renamed into place, so a half-built venv is never
 * used. Run its tools as modules (`python -m twine`): the venv is renamed after it is made.
 */
export function pinnedVenv(versions: { readonly [pkg: string]: string }): string {
  const pins = Object.entries(versions).sort(([a], [b]) => a.localeCompare(b)).map(([pkg, v]) => `${pkg}==${v}`);
  const key = pins.join('_').replace(/==/g, '-').replace(/[^A-Za-z0-9._-]/g, '-');
  const dir = path.join(CACHE_DIR, `bundled-${key}`);
  const python = path.join(dir, 'bin', 'python');
  if (fs.existsSync(python)) return python;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, `.tmp-bundled-${key}-`));
  try {
    const steps: string[][] = [
      [TOOLS_PYTHON, '-m', 'venv', tmp],
      [path.join(tmp, 'bin', 'python'), '-m', 'pip', 'install', '--quiet', '--index-url', PYPI_SIMPLE, ...pins],
    ];
    for (const [cmd, ...args] of steps) {
      const r = spawnSync(cmd, args, { encoding: 'utf-8', env: pipEnv(), timeout: 300_000 });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    }
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (!fs.existsSync(python)) throw e; // another process made it first: use theirs
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return python;
}

/** What `twine check --strict` said. */
export interface TwineCheck {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs `python -m twine check --strict` on one file (twine stops at the first file it cannot
 * read, so each file gets its own run and its own verdict).
 */
export function twineCheckStrict(python: string, file: string): TwineCheck {
  const r = spawnSync(python, ['-m', 'twine', '--no-color', 'check', '--strict', file], {
    encoding: 'utf-8', env: { ...pipEnv(), NO_COLOR: '1', COLUMNS: '400' },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** The installed version of a package in a venv. */
export function installedVersion(python: string, pkg: string): string {
  const r = spawnSync(python, ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(pkg)}))`], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`${pkg} is not installed in ${python}: ${r.stderr}`);
  return r.stdout.trim();
}
