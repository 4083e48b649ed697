import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TOOLS_BIN } from '../tools';

/** The public index every real tool installs from (never this machine's pip.conf or wheel dirs). */
export const PYPI_SIMPLE = 'https://pypi.org/simple';

/**
 * A temporary home for real Python tools: its own HOME and XDG directories (no user config of
 * pip, uv, poetry or hatch is read), and one cache per tool shared by everything in this sandbox,
 * so that one test run downloads each package once. `remove()` deletes it all.
 */
export class ToolSandbox {
  /** Makes a sandbox under `os.tmpdir()`. */
  public static create(prefix: string): ToolSandbox {
    return new ToolSandbox(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  }

  private constructor(public readonly root: string) {
    for (const d of ['home', 'tmp', 'xdg-config', 'xdg-cache', 'xdg-data', 'hatch']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'hatch', 'config.toml'), '');
  }

  /** A fresh directory in the sandbox. */
  public dir(name: string): string {
    const d = path.join(this.root, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /**
   * The environment of a job step: `bin` directories first on PATH (the tools environment's by
   * default), then the system's; pip without any config file or find-links, from PyPI only;
   * uv never downloading a Python. `extra` adds to it (e.g. `UV_PYTHON`, which only a uv job
   * may set: hatch installs its environments with uv, and `UV_PYTHON` would redirect that).
   */
  public env(bin: string[] = [TOOLS_BIN], extra: Record<string, string> = {}): Record<string, string> {
    const r = this.root;
    const env: Record<string, string> = {
      PATH: [...bin, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: path.join(r, 'home'),
      XDG_CONFIG_HOME: path.join(r, 'xdg-config'),
      XDG_CACHE_HOME: path.join(r, 'xdg-cache'),
      XDG_DATA_HOME: path.join(r, 'xdg-data'),
      LANG: 'C.UTF-8',
      // the tools' temporary files stay in the sandbox, and go with it
      TMPDIR: path.join(r, 'tmp'),
      PIP_CONFIG_FILE: '/dev/null',
      PIP_INDEX_URL: PYPI_SIMPLE,
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      PIP_CACHE_DIR: path.join(r, 'cache', 'pip'),
      // speed only: no .pyc for every installed file (pip's default; uv and poetry skip it)
      PIP_NO_COMPILE: '1',
      UV_CACHE_DIR: path.join(r, 'cache', 'uv'),
      UV_PYTHON_DOWNLOADS: 'never',
      POETRY_CACHE_DIR: path.join(r, 'cache', 'poetry'),
      POETRY_CONFIG_DIR: path.join(r, 'poetry-config'),
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
      HATCH_CONFIG: path.join(r, 'hatch', 'config.toml'),
      HATCH_DATA_DIR: path.join(r, 'hatch', 'data'),
      HATCH_CACHE_DIR: path.join(r, 'hatch', 'cache'),
      VIRTUALENV_OVERRIDE_APP_DATA: path.join(r, 'cache', 'virtualenv'),
      NO_COLOR: '1',
    };
    for (const k of ['PIP_CERT', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE']) {
      if (process.env[k]) env[k] = process.env[k]!;
    }
    return { ...env, ...extra };
  }

  /** Deletes the sandbox. */
  public remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
