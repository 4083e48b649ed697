import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stepOf } from './helpers/project';
import { uploadLikeTheAction } from './helpers/publish/action-upload';
import { LocalIndex } from './helpers/publish/indexes';
import { Built, buildPackage, withRequiresDist } from './helpers/publish/packages';
import { synthPublish } from './helpers/publish/verify-run';
import { describeWithTools, haveTool, havePythonModule, tool, TOOLS_PYTHON } from './helpers/tools';
import { INSTALL_FROM_TESTPYPI, READ_REQUIREMENTS_PY, SMOKE_TEST, smokeCommandScript } from '../src/scripts/publish-scripts';

/**
 * The install test of publish.yml, executed against real indexes: two pypiservers on 127.0.0.1,
 * one standing in for TestPyPI and one for PyPI, filled by twine as the pinned publish action
 * uploads (the publishing jobs' own `with:` inputs); real wheels built with today's hatchling; a
 * fresh venv per run.
 */

interface RunResult {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a script with bash (asynchronously, so that the test can publish while it polls). */
function runScript(script: string, env: Record<string, string>, cwd: string, onOutput?: (soFar: string) => void): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(cwd, 'script-'));
  const file = path.join(dir, 'step.sh');
  fs.writeFileSync(file, script);
  // the scripts' mktemp files stay in the test's directory
  fs.mkdirSync(path.join(dir, 'tmp'));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { cwd, env: { ...baseEnv(), TMPDIR: path.join(dir, 'tmp'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

function dirWith(root: string, name: string, ...files: string[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}

describeWithTools('the TestPyPI install test, against two real local indexes', {
  'bash': haveTool('bash'),
  'python (tools)': haveTool(TOOLS_PYTHON),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'twine (tools)': havePythonModule('twine'),
  'pypiserver (tools)': haveTool(tool('pypi-server')),
}, () => {
  let root: string;
  let testPypi: LocalIndex;
  let pypi: LocalIndex;
  let evil: LocalIndex;
  let smoke100: Built;
  let smoke110: Built;
  let dep100: Built;
  let dep900: Built;

  /** Uploads files as the publishing job of `index` does (its `with:` inputs, twine like the action). */
  const publish = (index: LocalIndex, job: 'publish-testpypi' | 'publish-pypi', ...files: string[]) => {
    const inputs = stepOf(synthPublish(), job, 'publish').with!;
    const work = fs.mkdtempSync(path.join(root, 'upload-'));
    dirWith(work, 'dist', ...files);
    const r = uploadLikeTheAction(inputs, work, index.url);
    if (r.code !== 0) throw new Error(`upload to ${index.name} failed:\n${r.output}`);
  };

  /** The install script's environment for `version`, reading dependencies from `distDir`. */
  const installEnv = (version: string, distDir: string, venv: string, poll: Record<string, string> = {}) => ({
    PYTHON: TOOLS_PYTHON,
    DIST_NAME: 'smoke-pkg',
    VERSION: version,
    DIST_DIR: distDir,
    VENV_DIR: venv,
    TESTPYPI_INDEX_URL: testPypi.simpleUrl,
    PYPI_INDEX_URL: pypi.simpleUrl,
    // set to the squatting index: the script must not let pip read it
    PIP_EXTRA_INDEX_URL: testPypi.simpleUrl,
    POLL_TIMEOUT_SECONDS: '20',
    POLL_INITIAL_DELAY_SECONDS: '1',
    POLL_MAX_DELAY_SECONDS: '2',
    ...poll,
  });

  /** A venv with smoke-pkg 1.0.0 installed by the install script (made once, for the smoke tests). */
  let smokeVenvMade: Promise<string> | undefined;
  const smokeVenv = (): Promise<string> => {
    smokeVenvMade = smokeVenvMade ?? (async () => {
      const venv = path.join(root, 'venv-smoke');
      const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', dirWith(root, 'dist-smoke', smoke100.wheel), venv), root);
      if (r.code !== 0) throw new Error(r.output);
      return venv;
    })();
    return smokeVenvMade;
  };

  const installedVersion = (venv: string, dist: string): string => {
    const r = spawnSync(path.join(venv, 'bin', 'python'), ['-c',
      `import importlib.metadata as m\ntry:\n    print(m.version("${dist}"))\nexcept m.PackageNotFoundError:\n    print("absent")`], { encoding: 'utf-8' });
    return r.stdout.trim();
  };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-install-'));
    [testPypi, pypi, evil] = await Promise.all([
      LocalIndex.start('testpypi', path.join(root, 'testpypi-files')),
      LocalIndex.start('pypi', path.join(root, 'pypi-files')),
      LocalIndex.start('evil', path.join(root, 'evil-files')),
    ]);
    [smoke100, smoke110, dep100, dep900] = await Promise.all([
      buildPackage(root, { name: 'smoke-pkg', version: '1.0.0', dependencies: ['dep-pkg>=1.0', 'not-for-this-python; python_version < "3"'], devDependencies: ['only-with-dev-extra'] }),
      buildPackage(root, { name: 'smoke-pkg', version: '1.1.0', dependencies: ['dep-pkg>=1.0'] }),
      buildPackage(root, { name: 'dep-pkg', version: '1.0.0' }),
      buildPackage(root, { name: 'dep-pkg', version: '9.0.0', init: 'raise RuntimeError("the squatter was installed")\n' }),
    ]);
    publish(pypi, 'publish-pypi', dep100.wheel);
    publish(testPypi, 'publish-testpypi', smoke100.wheel);
    // a squatter: a higher "dep-pkg" on TestPyPI (and on an attacker's index) that must never be installed
    testPypi.put(dep900.wheel);
    evil.put(dep900.wheel);
  }, 120_000);

  afterAll(() => {
    for (const index of [testPypi, pypi, evil]) index?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('installs the package from TestPyPI first, alone, then its dependencies from PyPI only: the squatter is never fetched', async () => {
    const venv = path.join(root, 'venv-present');
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', dirWith(root, 'dist-100', smoke100.wheel), venv), root);
    expect(r.output).toContain('Installed smoke-pkg 1.0.0');
    expect(r.code).toBe(0);
    expect(r.output).toContain('(attempt 1)');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('1.0.0');
    // nothing was installed before the TestPyPI install (it was not satisfied in advance): with
    // the dependencies resolved on TestPyPI, the squatting 9.0.0 would win
    expect(r.output.indexOf('Installed smoke-pkg 1.0.0')).toBeLessThan(r.output.indexOf('Installing the dependencies from'));
    expect(installedVersion(venv, 'dep-pkg')).toBe('1.0.0');
    expect(testPypi.requests().filter((p) => /dep[-_]pkg/.test(p))).toEqual([]);
    expect(pypi.requests()).toContain('/simple/dep-pkg/');
    // markers evaluated: the extra's and the other Python's requirements are left out
    expect(installedVersion(venv, 'only-with-dev-extra')).toBe('absent');
    expect(installedVersion(venv, 'not-for-this-python')).toBe('absent');
    expect(r.output).toContain('No broken requirements found.');
  }, 90_000);

  describe('wheel metadata reaches pip only as validated requirements, as arguments', () => {
    test.each([
      ['an index option', (url: string) => `--index-url ${url}`],
      ['an extra index', (url: string) => `--extra-index-url=${url}`],
      ['a requirements file', () => '-r /etc/passwd'],
      ['a constraints file', () => '-c /etc/passwd'],
      ['a direct URL', (url: string) => `dep-pkg @ ${url.replace(/simple\/$/, '')}packages/dep_pkg-9.0.0-py3-none-any.whl`],
      ['a local path', () => './evil'],
    ])('refuses %s in Requires-Dist, naming it, before pip runs', async (_what, make) => {
      const bad = make(evil.simpleUrl);
      const wheel = withRequiresDist(smoke100.wheel, path.join(root, `hostile-${Math.random().toString(36).slice(2)}`), ['dep-pkg>=1.0', bad]);
      const venv = path.join(root, `venv-hostile-${Math.random().toString(36).slice(2)}`);
      const before = evil.requests().length;
      const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', path.dirname(wheel), venv), root);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(`::error title=Invalid dependency::${path.basename(wheel)} lists Requires-Dist ${JSON.stringify(bad)}, which is not a PEP 508 requirement of a package on an index`);
      expect(r.output).not.toMatch(/root:.*:0:0:/);
      expect(evil.requests().length).toBe(before);
      expect(installedVersion(venv, 'dep-pkg')).not.toBe('9.0.0');
    }, 60_000);

    test('without packaging in the venv, a strict check does the same (and accepts what PyPI accepts)', () => {
      const wheel = withRequiresDist(smoke100.wheel, path.join(root, 'strict'), [
        'dep-pkg>=1.0', 'Other.Pkg[cli,fast] (>=2,<3) ; python_version >= "3.8" and extra == "dev"', 'x; sys_platform == \'win32\'',
      ]);
      // packaging (and pip's vendored copy) cannot be imported: the fallback runs
      const read = (file: string, withPackaging = false) => {
        const result = path.join(root, `requirements-${Math.random().toString(36).slice(2)}`);
        const block = withPackaging ? '' : 'sys.modules["packaging"] = None\nsys.modules["pip"] = None\n';
        const r = spawnSync(TOOLS_PYTHON, ['-I', '-c', `import sys\n${block}sys.argv = ["-", ${JSON.stringify(file)}, ${JSON.stringify(result)}]\n${READ_REQUIREMENTS_PY}`], { encoding: 'utf-8' });
        return { ...r, requirements: fs.existsSync(result) ? fs.readFileSync(result, 'utf-8').split('\0').filter(Boolean) : [] };
      };
      const ok = read(wheel);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.requirements).toEqual(['dep-pkg>=1.0', 'Other.Pkg[cli,fast] (>=2,<3) ; python_version >= "3.8" and extra == "dev"', 'x; sys_platform == \'win32\'']);
      for (const bad of ['--index-url http://x/', '-r /etc/passwd', 'dep @ https://x/y.whl', './evil', 'a\tb', 'dep; os.system("x")']) {
        const r = read(withRequiresDist(smoke100.wheel, path.join(root, `strict-${Math.random().toString(36).slice(2)}`), [bad]));
        expect(r.status).not.toBe(0);
        expect(r.stdout).toContain('::error title=Invalid dependency::');
      }
      // with packaging: markers are evaluated in the venv, not passed on
      const withPackaging = read(wheel, true);
      expect(withPackaging.status).toBe(0);
      expect(withPackaging.requirements).toEqual(['dep-pkg>=1.0']);
    });
  });

  test('the smoke test imports from the venv, and refuses a shadow tree that python -I does import', async () => {
    const venv = await smokeVenv();
    const env = { VENV_DIR: venv, IMPORT_NAME: 'smoke_pkg', DIST_NAME: 'smoke-pkg', VERSION: '1.0.0' };
    const ok = await runScript(SMOKE_TEST, env, root);
    expect(ok.output).toContain('Smoke test passed: smoke_pkg imports and smoke-pkg is 1.0.0.');
    expect(ok.output).toContain(`import smoke_pkg: ${fs.realpathSync(venv)}`);
    expect(ok.code).toBe(0);

    const command = await runScript(smokeCommandScript('python -c "import smoke_pkg; print(smoke_pkg.hello())"'), { VENV_DIR: venv }, root);
    expect(command.output).toContain('hello from smoke-pkg 1.0.0');
    expect(command.code).toBe(0);

    // A shadow that imports cleanly and comes first on sys.path even under `python -I`: a .pth
    // file in the venv's site-packages (as an editable or a mis-built wheel installs one) that
    // puts a source tree in front. Only the "imported from the venv" check can catch it.
    const shadow = path.join(root, 'shadow-tree');
    fs.mkdirSync(path.join(shadow, 'smoke_pkg'), { recursive: true });
    fs.writeFileSync(path.join(shadow, 'smoke_pkg', '__init__.py'), 'def hello():\n    return "hello from the source tree"\n');
    const site = spawnSync(path.join(venv, 'bin', 'python'), ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'], { encoding: 'utf-8' }).stdout.trim();
    const pth = path.join(site, 'zz_shadow.pth');
    fs.writeFileSync(pth, `import sys; sys.path.insert(0, ${JSON.stringify(shadow)})\n`);
    try {
      const imported = spawnSync(path.join(venv, 'bin', 'python'), ['-I', '-c', 'import smoke_pkg; print(smoke_pkg.__file__)'], { cwd: os.tmpdir(), encoding: 'utf-8' });
      expect(imported.stdout.trim()).toBe(path.join(shadow, 'smoke_pkg', '__init__.py'));
      const shadowed = await runScript(SMOKE_TEST, env, root);
      expect(shadowed.code).not.toBe(0);
      expect(shadowed.output).toContain(`::error title=Smoke test failed::smoke_pkg was imported from ${fs.realpathSync(path.join(shadow, 'smoke_pkg', '__init__.py'))}, not from the venv ${fs.realpathSync(venv)}`);
    } finally {
      fs.rmSync(pth);
    }
  }, 60_000);

  test('the smoke test fails on a wrong version, a module that does not import, and a failing command', async () => {
    const venv = await smokeVenv();
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
  }, 60_000);

  test('waits while the version is absent and installs it once it appears', async () => {
    const venv = path.join(root, 'venv-wait');
    let publishedAt: number | undefined;
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.1.0', dirWith(root, 'dist-110', smoke110.wheel), venv, { POLL_TIMEOUT_SECONDS: '40' }), root, (soFar) => {
      // publish once the script has found the version missing twice (about 1 + 2 s of waiting)
      if (publishedAt === undefined && soFar.includes('(attempt 2,')) {
        publishedAt = Date.now();
        testPypi.put(smoke110.wheel);
      }
    });
    expect(publishedAt).toBeDefined();
    expect(r.output).toContain('Installed smoke-pkg 1.1.0');
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/smoke-pkg 1\.1\.0 is not installable from http:\/\/127\.0\.0\.1:\d+\/simple\/ yet \(attempt 1, \d+s\); next try in 1s\./);
    // the delay doubles
    expect(r.output).toMatch(/\(attempt 2, \d+s\); next try in 2s\./);
    expect(r.output).toMatch(/Installed smoke-pkg 1\.1\.0 from http:\/\/127\.0\.0\.1:\d+\/simple\/ \(attempt 3\)\./);
    expect(r.output).not.toContain('::error');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('1.1.0');
    expect(installedVersion(venv, 'dep-pkg')).toBe('1.0.0');
  }, 90_000);

  test('gives up with a clear message at its bound', async () => {
    const venv = path.join(root, 'venv-never');
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('2.0.0', dirWith(root, 'dist-100b', smoke100.wheel), venv, {
      POLL_TIMEOUT_SECONDS: '3', POLL_INITIAL_DELAY_SECONDS: '1', POLL_MAX_DELAY_SECONDS: '1',
    }), root);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/::error title=Not installable from TestPyPI::Gave up after \d+s and \d+ attempts: smoke-pkg 2\.0\.0 could not be installed from http:\/\/127\.0\.0\.1:\d+\/simple\/ \(limit 3s\)\./);
    expect(r.output).toContain('re-run the failed jobs later');
    expect(installedVersion(venv, 'smoke-pkg')).toBe('absent');
    expect(r.seconds).toBeLessThan(30);
  }, 60_000);

  test('refuses to start without a wheel to read the dependencies from', async () => {
    const r = await runScript(INSTALL_FROM_TESTPYPI, installEnv('1.0.0', dirWith(root, 'dist-empty'), path.join(root, 'venv-none')), root);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('::error::No wheel in');
  }, 30_000);
});
