import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TOOLS_PYTHON } from '../tools';

/**
 * twine 7 accepts `--skip-existing` only for repository URLs on pypi.org and test.pypi.org
 * (`Settings.verify_feature_capability`). This runs twine with that one URL check lifted, so that
 * the same upload runs against pypiserver on 127.0.0.1; the skipping itself (pypiserver answers
 * an existing file with 409, twine's `skip_upload`) is twine's own code, unchanged.
 */
const TWINE_FOR_A_LOCAL_INDEX = [
  'import sys',
  'import twine.settings',
  'twine.settings.Settings.verify_feature_capability = lambda self: None',
  'from twine.__main__ import main',
  'sys.argv[0] = "twine"',
  'sys.exit(main())',
].join('\n');

/**
 * Writes a `twine` into `binDir` that is the tools environment's twine with only that URL check
 * lifted (for the manual publication, which calls `twine` from PATH). Returns `binDir`.
 */
export function twineForLocalIndexes(binDir: string): string {
  fs.mkdirSync(binDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, 'twine'), `#!${TOOLS_PYTHON}\n${TWINE_FOR_A_LOCAL_INDEX}\n`, { mode: 0o755 });
  return binDir;
}

/** What the upload did. */
export interface UploadResult {
  readonly code: number;
  readonly output: string;
  /** The command line, as the action would run it (URL replaced). */
  readonly command: string[];
}

/** Whether an action input is on (the action compares `${INPUT,,} != "false"`). */
function on(value: unknown, byDefault: boolean): boolean {
  if (value === undefined) return byDefault;
  return String(value).toLowerCase() !== 'false';
}

/**
 * What `pypa/gh-action-pypi-publish` runs for the `with:` inputs of a synthesized publish step
 * (its twine-upload.sh): `twine check <packages-dir>/*` unless `verify-metadata: false`, then
 * `twine upload [--skip-existing] <packages-dir>/*` with `TWINE_REPOSITORY_URL` set to the
 * step's `repository-url`, here replaced by `indexUrl`. The action's PEP 740 attestations need
 * GitHub's OIDC token, so they are not part of a local upload. `packagesDir` is where the
 * downloaded artifact is (the step's `packages-dir` relative to `cwd`).
 */
export function uploadLikeTheAction(inputs: Record<string, unknown>, cwd: string, indexUrl: string, env: Record<string, string> = {}): UploadResult {
  const dir = path.join(cwd, String(inputs['packages-dir'] ?? 'dist/').replace(/\/+$/, ''));
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  if (!files.some((f) => f.endsWith('.whl') || f.endsWith('.tar.gz'))) {
    return { code: 1, output: `no distributions in ${dir}`, command: [] };
  }
  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    TWINE_USERNAME: '__token__',
    TWINE_PASSWORD: 'pypi-local-test-token',
    TWINE_REPOSITORY_URL: indexUrl,
    TWINE_NON_INTERACTIVE: '1',
    ...env,
  };
  let output = '';
  if (on(inputs['verify-metadata'], true)) {
    const check = spawnSync(TOOLS_PYTHON, ['-c', TWINE_FOR_A_LOCAL_INDEX, 'check', ...files], { cwd, env: baseEnv, encoding: 'utf-8' });
    output += check.stdout + check.stderr;
    if (check.status !== 0) return { code: check.status ?? 1, output, command: ['twine', 'check', ...files] };
  }
  const args = ['upload', ...(on(inputs['skip-existing'], false) ? ['--skip-existing'] : []), ...files];
  const upload = spawnSync(TOOLS_PYTHON, ['-c', TWINE_FOR_A_LOCAL_INDEX, ...args], { cwd, env: baseEnv, encoding: 'utf-8' });
  output += upload.stdout + upload.stderr;
  return { code: upload.status ?? 1, output, command: ['twine', ...args] };
}
