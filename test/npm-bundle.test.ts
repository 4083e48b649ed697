import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import type { Project } from 'projen';
import { ensureFreshAssembly } from './helpers/assembly';
import { BUNDLE_BANNER, EMBEDDED_MODULES } from '../build-tools/bundle-lib';
import { tempDir } from './helpers/project';

/**
 * The npm package's main, lib/index.js, is one bundle of src/ (build-tools/bundle-lib.ts, the last
 * step of `npx projen compile`). What users load must be what the tests test: the bundle exports
 * what src/index.ts exports, requires nothing of lib/ (the functions the generated scripts embed are
 * there as tsc's text), and writes every committed example byte for byte, its engine's text included.
 */
const ROOT = path.resolve(__dirname, '..');
const LIB_INDEX = path.join(ROOT, 'lib', 'index.js');
const SRC_INDEX = path.join(ROOT, 'src', 'index.ts');
const EXAMPLES = path.join(ROOT, 'examples');
const examples = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, '.projenrc.ts')));

beforeAll(async () => {
  await ensureFreshAssembly();
});

test('lib/index.js is the bundle: it requires projen, constructs, semver and node modules only', () => {
  const bundle = fs.readFileSync(LIB_INDEX, 'utf-8');
  expect(bundle.startsWith(`${BUNDLE_BANNER}\n`)).toBe(true);
  const required = [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
  expect(required.filter((m) => m.startsWith('.'))).toEqual([]);
  // the modules the generated scripts embed are there as their text, not as code that runs
  for (const module of EMBEDDED_MODULES) expect(bundle).toContain(`// embedded:${module}\n`);
  const builtin = new Set(builtinModules);
  expect(required.filter((m) => !m.startsWith('.') && !builtin.has(m))).toEqual(['constructs', 'projen', 'semver/functions/parse']);
  // and lib/ ships no other code: the bundled modules' files are gone, their types stay
  const files = fs.readdirSync(path.join(ROOT, 'lib'), { recursive: true }).map((f) => String(f).split(path.sep).join('/'));
  expect(files.filter((f) => /\.js$/.test(f))).toEqual(['index.js']);
  expect(files).toContain('release/release-pipeline.d.ts');
});

test('the bundle exports what src/index.ts exports', () => {
  const names = (file: string) => Object.keys(jest.requireActual(file)).sort();
  expect(names(LIB_INDEX)).toEqual(names(SRC_INDEX));
  expect(names(LIB_INDEX).length).toBeGreaterThan(30);
});

test("every class carries jsii's runtime type info, as jsii's compiler writes it, for the jsii kernel", () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
  const classes = Object.values(assembly.types as { [fqn: string]: { kind: string; fqn: string; name: string } }).filter((t) => t.kind === 'class');
  expect(classes.length).toBeGreaterThan(20);
  const lib = jest.requireActual(LIB_INDEX);
  for (const { fqn, name } of classes) {
    expect([name, Object.getOwnPropertyDescriptor(lib[name], Symbol.for('jsii.rtti'))?.value]).toEqual([name, { fqn, version: assembly.version }]);
  }
});

test('with node --enable-source-maps, an error from the bundle points into src/', () => {
  const script = [
    "const { Project } = require('projen');",
    `const lib = require(${JSON.stringify(LIB_INDEX)});`,
    `const project = new Project({ name: 'p', outdir: ${JSON.stringify(tempDir('ppp-bundle-map-'))} });`,
    // a project without projen's GitHub component: the pipeline refuses it
    "try { new lib.PythonReleasePipeline(project, { distributionName: 'p' }); } catch (e) { console.log(e.stack); }",
  ].join('\n');
  const r = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], { cwd: ROOT, encoding: 'utf-8' });
  expect(r.stdout).toContain("needs projen's GitHub component");
  expect(r.stdout).toMatch(/at new PythonReleasePipeline \(.*src\/release\/release-pipeline\.ts:\d+:\d+\)/);
});

describe.each(examples)('examples/%s synthesized through lib/index.js', (name) => {
  test('writes the committed files byte for byte', () => {
    const dir = path.join(EXAMPLES, name);
    const outdir = tempDir(`ppp-bundle-${name}-`);
    fs.cpSync(dir, outdir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.projen`) });
    let project!: Project;
    let bundled = false;
    jest.isolateModules(() => {
      // the example's `import ... from '../../src'` gets the bundle instead
      jest.doMock(SRC_INDEX, () => {
        bundled = true;
        return jest.requireActual(LIB_INDEX);
      });
      project = jest.requireActual(path.join(dir, '.projenrc.ts')).createProject(outdir);
    });
    expect(bundled).toBe(true);
    process.env.PROJEN_DISABLE_POST = 'true';
    project.synth();
    const generated = project.files.map((f) => f.path).filter((f) => fs.existsSync(path.join(outdir, f)));
    expect(generated).toContain('.projen/pipelines-engine.cjs');
    for (const file of generated) {
      expect([file, fs.readFileSync(path.join(outdir, file), 'utf-8')]).toEqual([file, fs.readFileSync(path.join(dir, file), 'utf-8')]);
    }
  });
});
