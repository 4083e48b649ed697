import * as fs from 'fs';
import * as path from 'path';
import { PypiPublishPipeline, PythonReleasePipeline, PythonToolchain } from '../src';
import { newProject, synthWorkflows } from './helpers/project';
import { describeWithTools, haveTool } from './helpers/tools';
import { formatZizmor, workflowFilesIn, ZIZMOR, zizmorFiles, ZizmorFinding, zizmorWorkflows, ZizmorPersona } from './helpers/zizmor';

/**
 * zizmor (1.32, from PyPI), the workflow auditor most projects run, on what we generate: the
 * default release.yml and publish.yml of every toolchain, and the committed examples' workflows.
 * No persona may find anything: not the default, nor pedantic and auditor (which the README's
 * Security section promises).
 */

const TOOLCHAINS: { readonly [name: string]: () => PythonToolchain } = {
  pixi: () => PythonToolchain.pixi(),
  uv: () => PythonToolchain.uv(),
  hatch: () => PythonToolchain.hatch(),
  poetry: () => PythonToolchain.poetry(),
  pip: () => PythonToolchain.pip(),
};

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');

/** The default release.yml and publish.yml of each toolchain, keyed `<toolchain>/<file>`. */
function synthesizedDefaults(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, toolchain] of Object.entries(TOOLCHAINS)) {
    const project = newProject('example-pkg');
    try {
      new PythonReleasePipeline(project, { distributionName: 'example-pkg', toolchain: toolchain() });
      new PypiPublishPipeline(project, {});
      for (const [file, text] of Object.entries(synthWorkflows(project))) files[`${name}/${file}`] = text;
    } finally {
      fs.rmSync(project.outdir, { recursive: true, force: true });
    }
  }
  return files;
}

/** The committed workflows of every example. */
function exampleWorkflows(): string[] {
  return fs.readdirSync(EXAMPLES_DIR)
    .map((e) => path.join(EXAMPLES_DIR, e, '.github', 'workflows'))
    .filter((d) => fs.existsSync(d))
    .flatMap(workflowFilesIn);
}

const relative = (f: ZizmorFinding): ZizmorFinding => ({ ...f, file: path.relative(path.resolve(__dirname, '..'), f.file) });

describeWithTools('zizmor on every generated workflow', { 'zizmor (tools)': haveTool(ZIZMOR) }, () => {
  let defaults: Record<string, string>;
  let examples: string[];

  beforeAll(() => {
    defaults = synthesizedDefaults();
    examples = exampleWorkflows();
  });

  test('the defaults of both pipelines, for every toolchain, were synthesized', () => {
    for (const name of Object.keys(TOOLCHAINS)) {
      expect(Object.keys(defaults)).toEqual(expect.arrayContaining([`${name}/release.yml`, `${name}/publish.yml`]));
    }
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  test('no findings at the default persona: the defaults of both pipelines, every toolchain', () => {
    const findings = zizmorWorkflows(defaults);
    expect(formatZizmor(findings)).toBe('');
  });

  test('no findings at the default persona: the committed examples (examples/*/.github/workflows)', () => {
    const findings = zizmorFiles(examples).map(relative);
    expect(formatZizmor(findings)).toBe('');
  });

  test.each(['pedantic', 'auditor'] as ZizmorPersona[])('no findings at the %s persona either: defaults and examples', (persona) => {
    // pedantic adds undocumented-permissions: every scope but `contents: read` carries a comment
    const found = [...zizmorWorkflows(defaults, persona), ...zizmorFiles(examples, persona).map(relative)];
    expect(formatZizmor(found)).toBe('');
  });

  test('the helper reports a finding where there is one (a deliberately bad workflow)', () => {
    const bad = [
      'name: bad',
      'on: push',
      'jobs:',
      '  build:',
      '    name: Build',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: echo "${{ github.event.head_commit.message }}"',
      '',
    ].join('\n');
    const audits = zizmorWorkflows({ 'bad.yml': bad }).map((f) => `${f.file} ${f.audit}`);
    expect(audits).toEqual(expect.arrayContaining(['bad.yml unpinned-uses', 'bad.yml template-injection']));
  });
});
