import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FRESH_ASSEMBLY } from './helpers/assembly';
import { describeWithTools, haveTool, TOOLS_PYTHON } from './helpers/tools';

/**
 * The README's `.projenrc.py` is checked against the Python package jsii-pacmak generates
 * (`--code-only`: building the wheel needs PyPI, which is out of reach here): every name it
 * imports from projen_pypi_pipelines is a class there, and every keyword argument and static
 * factory it uses exists with that name.
 */
const ROOT = path.resolve(__dirname, '..');
function readmePython(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const blocks = [...readme.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.find((b) => b.includes('projen_pypi_pipelines')) ?? '';
}

const CHECKER = `
import ast, json, sys
generated = ast.parse(open(sys.argv[1]).read())
snippet = ast.parse(open(sys.argv[2]).read())
classes = {n.name: n for n in generated.body if isinstance(n, ast.ClassDef)}
def params(fn):
    a = fn.args
    return {x.arg for x in a.args + a.kwonlyargs} - {"self", "cls"}
def method(cls, name):
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
imported, problems, checked = set(), [], []
for node in ast.walk(snippet):
    if isinstance(node, ast.ImportFrom) and node.module == "projen_pypi_pipelines":
        for alias in node.names:
            imported.add(alias.name)
            if alias.name not in classes:
                problems.append(f"projen_pypi_pipelines has no {alias.name}")
for node in ast.walk(snippet):
    if not isinstance(node, ast.Call):
        continue
    f = node.func
    if isinstance(f, ast.Name) and f.id in imported and f.id in classes:
        fn, what = method(classes[f.id], "__init__"), f.id
    elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in imported and f.value.id in classes:
        fn, what = method(classes[f.value.id], f.attr), f"{f.value.id}.{f.attr}"
        if fn is None:
            problems.append(f"{what} does not exist")
            continue
    else:
        continue
    unknown = sorted({k.arg for k in node.keywords} - params(fn))
    if unknown:
        problems.append(f"{what}() has no keyword argument {', '.join(unknown)} (it takes {', '.join(sorted(params(fn)))})")
    checked.append(what)
print(json.dumps({"problems": problems, "checked": checked, "imported": sorted(imported)}))
`;

describeWithTools('the .projenrc.py in the README', {
  ...FRESH_ASSEMBLY,
  [TOOLS_PYTHON]: haveTool(TOOLS_PYTHON),
}, () => {
  let generated = '';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-python-'));

  beforeAll(() => {
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--code-only', '--target', 'python', '-o', work], {
      cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`jsii-pacmak failed:\n${r.stdout}\n${r.stderr}`);
    generated = path.join(work, 'python', 'src', 'projen_pypi_pipelines', '__init__.py');
  }, 120_000);

  test('jsii-pacmak generates a Python module that compiles', () => {
    const r = spawnSync(TOOLS_PYTHON, ['-m', 'py_compile', generated], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('every class, factory and keyword argument it uses exists in the generated module', () => {
    const snippet = readmePython();
    expect(snippet).toContain('from projen_pypi_pipelines import');
    fs.writeFileSync(path.join(work, 'projenrc.py'), snippet);
    fs.writeFileSync(path.join(work, 'check.py'), CHECKER);
    const r = spawnSync(TOOLS_PYTHON, [path.join(work, 'check.py'), generated, path.join(work, 'projenrc.py')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout);
    expect(result.problems).toEqual([]);
    expect(result.imported).toEqual(expect.arrayContaining(['PythonReleasePipeline', 'PypiPublishPipeline']));
    expect(result.checked).toEqual(expect.arrayContaining(['PythonReleasePipeline', 'PypiPublishPipeline']));
  });

  test('the checker catches a wrong keyword argument', () => {
    fs.writeFileSync(path.join(work, 'bad.py'), 'from projen_pypi_pipelines import PythonReleasePipeline\nPythonReleasePipeline(project, distributionName="x")\n');
    const r = spawnSync(TOOLS_PYTHON, [path.join(work, 'check.py'), generated, path.join(work, 'bad.py')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(JSON.parse(r.stdout).problems).toEqual([expect.stringContaining('PythonReleasePipeline() has no keyword argument distributionName')]);
  });
});
