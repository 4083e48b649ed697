import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureFreshAssembly } from './helpers/assembly';
import { pythonEnv } from './helpers/python/env';
import { synthPython, synthTypeScript } from './helpers/python/synth';
import { VENV_CACHE, pythonRequirements, venvWithWheel } from './helpers/python/venv';
import { buildWheel, tarballInWheel } from './helpers/python/wheel';
import { describeWithTools, haveTool, tool, TOOLS_PYTHON } from './helpers/tools';

/**
 * The library from Python, for real: the wheel `npx projen package:python` builds, installed with
 * projen and constructs from PyPI in a fresh venv, runs the README's `.projenrc.py`; its twin
 * `.projenrc.ts` runs on the npm package inside that same wheel. What the pipelines write must be
 * the same bytes, except for the header projen puts in every file it owns, which names the file to
 * edit (`.projenrc.py` or `.projenrc.ts`).
 */
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'python-usage');
const PROJENRC_PY = path.join(FIXTURES, '.projenrc.py');
const PROJENRC_TS = path.join(FIXTURES, '.projenrc.ts');
const header = (file: string) => `To modify, edit ${file} and run`;
/** Files projen writes differently for a `.projenrc.ts` and a `.projenrc.py` project (not the pipelines'). */
const PROJENRC_SPECIFIC = [
  '.projen/tasks.json', '.projen/deps.json', '.projen/files.json', '.gitignore', '.gitattributes', 'tsconfig.projen.json',
  'requirements-dev.txt', // projen adds itself for a .projenrc.py
];

/** A file of the TypeScript project as projen would write it for a `.projenrc.py` (its header only). */
function asFromPython(tsFile: string): string {
  return fs.readFileSync(tsFile, 'utf-8').split(header('.projenrc.ts')).join(header('.projenrc.py'));
}

/** Every file under `dir` (relative paths, sorted), without node_modules. */
function filesUnder(dir: string, sub = ''): string[] {
  return fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(sub, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(dir, rel);
    return [rel];
  }).sort();
}

describeWithTools('the .projenrc.py in the README, run from Python', {
  [TOOLS_PYTHON]: haveTool(TOOLS_PYTHON),
  [tool('uv')]: haveTool(tool('uv')),
}, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-python-'));
  const pyDir = path.join(work, 'from-python');
  const tsDir = path.join(work, 'from-typescript');
  let python = '';

  beforeAll(async () => {
    await ensureFreshAssembly();
    const wheel = await buildWheel(path.join(work, 'dist'));
    const [venvPython, tarball] = await Promise.all([venvWithWheel(wheel), tarballInWheel(wheel, work)]);
    python = venvPython;
    await Promise.all([synthPython(python, PROJENRC_PY, pyDir), synthTypeScript(tarball, PROJENRC_TS, tsDir)]);
  }, 600_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the README shows exactly the .projenrc.py this test runs', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const blocks = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.filter((b) => b.includes('projen_pypi_pipelines'))).toEqual([fs.readFileSync(PROJENRC_PY, 'utf-8')]);
  });

  test('the venv runs the installed wheel, with projen and constructs from PyPI at the versions this repository uses', () => {
    const script = 'import importlib.metadata as m, json, projen, projen_pypi_pipelines as p\n'
      + 'print(json.dumps({"module": p.__file__, "versions": [f"{d}=={m.version(d)}" for d in ("projen", "constructs", "jsii")]}))';
    const r = spawnSync(python, ['-I', '-c', script], { cwd: work, env: pythonEnv(), encoding: 'utf-8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const result = JSON.parse(r.stdout);
    expect(result.module.startsWith(VENV_CACHE + path.sep)).toBe(true);
    expect(result.versions).toEqual(pythonRequirements());
  });

  test('release.yml and publish.yml are the same from .projenrc.py as from .projenrc.ts', () => {
    for (const file of ['.github/workflows/release.yml', '.github/workflows/publish.yml']) {
      const fromPython = fs.readFileSync(path.join(pyDir, file), 'utf-8');
      expect(fromPython).toContain(header('.projenrc.py'));
      expect(fromPython).toBe(asFromPython(path.join(tsDir, file)));
    }
    // The options of the .projenrc.py reached the workflows (not the defaults).
    const release = fs.readFileSync(path.join(pyDir, '.github/workflows/release.yml'), 'utf-8');
    expect(release).toContain('astral-sh/setup-uv');
    expect(release).toContain('python-version: "3.12"');
    expect(release).toContain('secrets.RELEASE_PAT');
    expect(fs.readFileSync(path.join(pyDir, '.github/workflows/publish.yml'), 'utf-8')).toContain('example_greeter');
  });

  test('the environment files (.github/environments/) are the same', () => {
    const files = filesUnder(pyDir, '.github/environments');
    expect(files).toEqual(expect.arrayContaining(['.github/environments/environments.json', '.github/environments/apply.cjs']));
    expect(filesUnder(tsDir, '.github/environments')).toEqual(files);
    for (const file of files) {
      expect(fs.readFileSync(path.join(pyDir, file), 'utf-8')).toBe(asFromPython(path.join(tsDir, file)));
    }
  });

  test('so is every other file both synthesize, except projen\'s own projenrc-specific ones', () => {
    const fromTs = filesUnder(tsDir).filter((f) => !['.projenrc.ts', 'package.json', 'tsconfig.json'].includes(f));
    const fromPy = filesUnder(pyDir).filter((f) => f !== '.projenrc.py');
    expect(fromTs.filter((f) => !fromPy.includes(f))).toEqual(['tsconfig.projen.json']);
    expect(fromPy.filter((f) => !fromTs.includes(f))).toEqual([]);
    const compared = fromPy.filter((f) => !PROJENRC_SPECIFIC.includes(f));
    expect(compared).toEqual(expect.arrayContaining(['cliff.toml', '.github/workflows/release.yml']));
    const different = compared.filter((f) => fs.readFileSync(path.join(pyDir, f), 'utf-8') !== asFromPython(path.join(tsDir, f)));
    expect(different).toEqual([]);
  });

  test('the comparison sees a changed keyword argument: python_version="3.13" changes release.yml', async () => {
    const variant = path.join(work, 'variant.py');
    const source = fs.readFileSync(PROJENRC_PY, 'utf-8');
    expect(source).toContain('python_version="3.12"');
    fs.writeFileSync(variant, source.replace('python_version="3.12"', 'python_version="3.13"'));
    await synthPython(python, variant, path.join(work, 'variant'));
    const release = fs.readFileSync(path.join(work, 'variant', '.github/workflows/release.yml'), 'utf-8');
    expect(release).toContain('python-version: "3.13"');
    expect(release).not.toContain('python-version: "3.12"');
    expect(release).not.toBe(fs.readFileSync(path.join(pyDir, '.github/workflows/release.yml'), 'utf-8'));
  });
});
