import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { describeWithTools, haveTool, havePythonModule, TOOLS_PYTHON } from './helpers/tools';
import { INSTALL_FROM_TESTPYPI, SMOKE_TEST, smokeCommandScript } from '../src/scripts/publish-scripts';

/**
 * The install test of publish.yml, executed: real wheels built with Debian's python3-build from
 * tiny hatchling packages, two PEP 503 indexes ("pypi" and "testpypi") served by
 * `python3 -m http.server` on 127.0.0.1, a fresh venv per run.
 */

interface RunResult {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a script with bash (asynchronously, so that the test can publish while it polls). */
function runScript(script: string, env: Record<string, string>, cwd: string, onOutput?: (soFar: string) => void): Promise<RunResult> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-script-')), 'step.sh');
  fs.writeFileSync(file, script);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; onOutput?.(output); });
    child.stderr.on('data', (d) => { output += d; onOutput?.(output); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** The machine's environment minus proxies; PIP_* index settings stay, the script must ignore them. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/proxy/i.test(k)) env[k] = v;
  }
  return env;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed:\n${output}`))));
  });
}

/** Writes a tiny hatchling project and builds its wheel; returns the wheel's path. */
async function buildWheel(root: string, name: string, version: string, dependencies: string[], optional: string[] = []): Promise<string> {
  const module = name.replace(/-/g, '_');
  const src = path.join(root, 'src', `${name}-${version}`);
  fs.mkdirSync(path.join(src, module), { recursive: true });
  fs.writeFileSync(path.join(src, 'pyproject.toml'), [
    '[build-system]',
    'requires = ["hatchling"]',
    'build-backend = "hatchling.build"',
    '[project]',
    `name = "${name}"`,
    `version = "${version}"`,
    `dependencies = [${dependencies.map((d) => JSON.stringify(d)).join(', ')}]`,
    '[project.optional-dependencies]',
    `dev = [${optional.map((d) => JSON.stringify(d)).join(', ')}]`,
    '[tool.hatch.build.targets.wheel]',
    `packages = ["${module}"]`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(src, module, '__init__.py'), `def hello():\n    return "hello from ${name} ${version}"\n`);
  const out = path.join(root, 'wheels', `${name}-${version}`);
  await run(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--wheel', '--outdir', out, src], src);
  return path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.whl'))!);
}

/** Adds wheels to a PEP 503 index: `<index>/simple/<project>/index.html` linking `<index>/files/<wheel>`. */
function publish(index: string, project: string, wheel: string): void {
  const files = path.join(index, 'files');
  const page = path.join(index, 'simple', project);
  fs.mkdirSync(files, { recursive: true });
  fs.mkdirSync(page, { recursive: true });
  fs.copyFileSync(wheel, path.join(files, path.basename(wheel)));
  const html = path.join(page, 'index.html');
  const links = fs.existsSync(html) ? fs.readFileSync(html, 'utf-8').split('\n').filter((l) => l.startsWith('<a ')) : [];
  links.push(`<a href="../../files/${path.basename(wheel)}">${path.basename(wheel)}</a><br/>`);
  fs.writeFileSync(html, ['<!DOCTYPE html>', '<html><body>', ...links, '</body></html>', ''].join('\n'));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`http server at ${url} did not come up`);
}

function dirWith(root: string, name: string, ...files: string[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}

describeWithTools('the TestPyPI install test, executed against a local index', {
  'bash': haveTool('bash'),
  'python (tools)': haveTool(TOOLS_PYTHON),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'venv (tools)': havePythonModule('ensurepip'),
}, () => {
  let root: string;
  let server: ChildProcess | undefined;
  let baseUrl: string;
  let wheels: { smoke100: string; smoke110: string; dep100: string; dep900: string };

  /** The install script's environment for `version`, reading dependencies from `distDir`. */
  const installEnv = (version: string, distDir: string, venv: string, poll: Record<string, string>) => ({
    PYTHON: TOOLS_PYTHON,
    DIST_NAME: 'smoke-pkg',
    VERSION: version,
    DIST_DIR: distDir,
    VENV_DIR: venv,
    TESTPYPI_INDEX_URL: `${baseUrl}/testpypi/simple/`,
    PYPI_INDEX_URL: `${baseUrl}/pypi/simple/`,
    // set to the squatting index: the script must not let pip read it
    PIP_EXTRA_INDEX_URL: `${baseUrl}/testpypi/simple/`,
    ...poll,
  });

  const installedVersion = (venv: string, dist: string): string => {
    const r = spawnSync(path.join(venv, 'bin', 'python'), ['-c',
      `import importlib.metadata as m\ntry:\n    print(m.version("${dist}"))\nexcept m.PackageNotFoundError:\n    print("absent")`], { encoding: 'utf-8' });
    return r.stdout.trim();
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-install-'));
    const [smoke100, smoke110, dep100, dep900] = await Promise.all([
      buildWheel(root, 'smoke-pkg', '1.0.0', ['dep-pkg>=1.0', 'not-for-this-python; python_version < "3"'], ['only-with-dev-extra']),
      buildWheel(root, 'smoke-pkg', '1.1.0', ['dep-pkg>=1.0']),
      buildWheel(root, 'dep-pkg', '1.0.0', []),
      buildWheel(root, 'dep-pkg', '9.0.0', []),
    ]);
    wheels = { smoke100, smoke110, dep100, dep900 };
    const www = path.join(root, 'www');
    publish(path.join(www, 'pypi'), 'dep-pkg', dep100);
    publish(path.join(www, 'testpypi'), 'smoke-pkg', smoke100);
    // a squatter: a "dep-pkg" on TestPyPI that must never be installed
    publish(path.join(www, 'testpypi'), 'dep-pkg', dep900);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(TOOLS_PYTHON, ['-m', 'http.server', '--bind', '127.0.0.1', String(port), '--directory', www], { stdio: 'ignore' });
    await waitForServer(`${baseUrl}/pypi/simple/dep-pkg/`);
  }, 60_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('installs the version at once when it is on the index; dependencies come from PyPI only', async () => {
    const venv = path.join(root, 'venv-present');
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', dirWith(root, 'dist-100', wheels.smoke100), venv, {
      POLL_TIMEOUT_SECONDS: '20', POLL_INITIAL_DELAY_SECONDS: '1', POLL_MAX_DELAY_SECONDS: '2',
    }), root);
    expect(r.output).toContain('Installed smoke-pkg 1.0.0');
    expect(r.code).toBe(0);
    expect(r.output).toContain('(attempt 1)');
    expect(r.output).not.toContain('not installable');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('1.0.0');
    // from the "pypi" index, not the 9.0.0 squatting on "testpypi" (nor PIP_EXTRA_INDEX_URL)
    expect(installedVersion(venv, 'dep-pkg')).toBe('1.0.0');
    // markers evaluated: the extra's and the other Python's requirements are left out
    expect(installedVersion(venv, 'only-with-dev-extra')).toBe('absent');
    expect(installedVersion(venv, 'not-for-this-python')).toBe('absent');
  }, 60_000);

  test('the smoke test passes on the installed venv, outside any source tree', async () => {
    const venv = path.join(root, 'venv-present');
    // a shadow "source tree" on PYTHONPATH and in the start directory must not be imported
    const shadow = path.join(root, 'shadow');
    fs.mkdirSync(path.join(shadow, 'smoke_pkg'), { recursive: true });
    fs.writeFileSync(path.join(shadow, 'smoke_pkg', '__init__.py'), 'raise RuntimeError("imported the source tree")\n');
    const env = { VENV_DIR: venv, IMPORT_NAME: 'smoke_pkg', DIST_NAME: 'smoke-pkg', VERSION: '1.0.0', PYTHONPATH: shadow };
    const ok = await runScript(SMOKE_TEST, env, shadow);
    expect(ok.output).toContain('Smoke test passed: smoke_pkg imports and smoke-pkg is 1.0.0.');
    expect(ok.output).toContain(`import smoke_pkg: ${fs.realpathSync(venv)}`);
    expect(ok.code).toBe(0);

    const command = await runScript(smokeCommandScript('python -c "import smoke_pkg; print(smoke_pkg.hello())"'), { VENV_DIR: venv }, shadow);
    expect(command.output).toContain('hello from smoke-pkg 1.0.0');
    expect(command.code).toBe(0);
  }, 30_000);

  test('the smoke test fails on a wrong version, a module that does not import, and a failing command', async () => {
    const venv = path.join(root, 'venv-present');
    const env = { VENV_DIR: venv, IMPORT_NAME: 'smoke_pkg', DIST_NAME: 'smoke-pkg', VERSION: '1.0.0' };
    const wrongVersion = await runScript(SMOKE_TEST, { ...env, VERSION: '9.9.9' }, root);
    expect(wrongVersion.code).not.toBe(0);
    expect(wrongVersion.output).toContain('::error title=Smoke test failed::smoke-pkg reports version 1.0.0, expected 9.9.9');

    const noModule = await runScript(SMOKE_TEST, { ...env, IMPORT_NAME: 'no_such_module' }, root);
    expect(noModule.code).not.toBe(0);
    expect(noModule.output).toMatch(/::error title=Smoke test failed::import no_such_module failed: ModuleNotFoundError/);

    const notInstalled = await runScript(SMOKE_TEST, { ...env, DIST_NAME: 'other-pkg' }, root);
    expect(notInstalled.code).not.toBe(0);
    expect(notInstalled.output).toContain('other-pkg is not installed');

    const command = await runScript(smokeCommandScript('python -c "import sys; sys.exit(3)"'), { VENV_DIR: venv }, root);
    expect(command.code).toBe(3);
  }, 30_000);

  test('waits while the version is absent and installs it once it appears', async () => {
    const venv = path.join(root, 'venv-wait');
    let publishedAt: number | undefined;
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.1.0', dirWith(root, 'dist-110', wheels.smoke110), venv, {
      POLL_TIMEOUT_SECONDS: '40', POLL_INITIAL_DELAY_SECONDS: '1', POLL_MAX_DELAY_SECONDS: '2',
    }), root, (soFar) => {
      // publish once the script has found the version missing twice (about 1 + 2 s of waiting)
      if (publishedAt === undefined && soFar.includes('(attempt 2,')) {
        publishedAt = Date.now();
        publish(path.join(root, 'www', 'testpypi'), 'smoke-pkg', wheels.smoke110);
      }
    });
    expect(publishedAt).toBeDefined();
    expect(r.output).toContain('Installed smoke-pkg 1.1.0');
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/smoke-pkg 1\.1\.0 is not installable from http:\/\/127\.0\.0\.1:\d+\/testpypi\/simple\/ yet \(attempt 1, \d+s\); next try in 1s\./);
    // the delay doubles
    expect(r.output).toMatch(/\(attempt 2, \d+s\); next try in 2s\./);
    expect(r.output).toMatch(/Installed smoke-pkg 1\.1\.0 from http:\/\/127\.0\.0\.1:\d+\/testpypi\/simple\/ \(attempt 3\)\./);
    expect(r.output).not.toContain('::error');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('1.1.0');
  }, 60_000);

  test('gives up with a clear message at its bound', async () => {
    const venv = path.join(root, 'venv-never');
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('2.0.0', dirWith(root, 'dist-100b', wheels.smoke100), venv, {
      POLL_TIMEOUT_SECONDS: '3', POLL_INITIAL_DELAY_SECONDS: '1', POLL_MAX_DELAY_SECONDS: '1',
    }), root);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/::error title=Not installable from TestPyPI::Gave up after \d+s and \d+ attempts: smoke-pkg 2\.0\.0 could not be installed from http:\/\/127\.0\.0\.1:\d+\/testpypi\/simple\/ \(limit 3s\)\./);
    expect(r.output).toContain('re-run the failed jobs later');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('absent');
    expect(r.seconds).toBeLessThan(30);
  }, 60_000);

  test('refuses to start without a wheel to read the dependencies from', async () => {
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', dirWith(root, 'dist-empty'), path.join(root, 'venv-none'), {}), root);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('::error::No wheel in');
  }, 30_000);
});
