import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Distributions, JobGraph, PypiPublishPipeline, PypiPublishPipelineOptions, PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, VersionStrategy } from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { needsOf, newProject, parseWorkflow, stepOf, synthWorkflows, Workflow } from './helpers/project';
import { checkWorkflows, formatRuleFindings } from './helpers/security-rules';
import { describeWithTools, haveTool } from './helpers/tools';
import { formatZizmor, ZIZMOR, zizmorWorkflows } from './helpers/zizmor';

/**
 * release.yml and publish.yml of compiled packages: the job graph (prepare, the wheel matrix,
 * sdist, gather), what each job may do (no environment, no secret, contents: read at most, no
 * cache), the matrix against the expected wheel list, and actionlint, shellcheck, zizmor and our
 * security rules on every option set.
 */

interface Synthesized {
  readonly release: Workflow;
  readonly publish: Workflow;
  readonly files: Record<string, string>;
  readonly pipeline: PythonReleasePipeline;
}

function synth(distributions: Distributions, release: PythonReleasePipelineOptions = {}, publish: PypiPublishPipelineOptions = {}): Synthesized {
  const project = newProject('fast-pkg');
  try {
    const pipeline = new PythonReleasePipeline(project, { toolchain: PythonToolchain.pip(), distributions, ...release });
    new PypiPublishPipeline(project, { distributions, ...publish });
    const files = synthWorkflows(project);
    const named = (prefix: string) => parseWorkflow(files[Object.keys(files).find((f) => f.startsWith(prefix))!]);
    return { release: named('release'), publish: named('publish'), files, pipeline };
  } finally {
    fs.rmSync(project.outdir, { recursive: true, force: true });
  }
}

const OPTION_SETS: Array<[string, () => Distributions, PythonReleasePipelineOptions?]> = [
  ['cibuildwheel defaults', () => Distributions.cibuildwheel()],
  ['cibuildwheel: Linux (manylinux + musllinux, i686), 3.14t', () => Distributions.cibuildwheel({ platforms: ['linux'], pythons: ['3.12', '3.14t'], archs: { linux: ['x86_64', 'i686', 'aarch64'] }, linuxLibcs: ['manylinux', 'musllinux'] })],
  ['cibuildwheel: version from the tag, a test command', () => Distributions.cibuildwheel({ environment: { CIBW_TEST_COMMAND: 'python -c "import fast_pkg"' } }), { versionStrategy: VersionStrategy.fromTag() }],
  ['cibuildwheel in a monorepo package', () => Distributions.cibuildwheel({ platforms: ['linux', 'windows'], pythons: ['3.12'] }), { packageDir: 'packages/fast-pkg', distributionName: 'fast-pkg' }],
  ['maturin defaults (bindings = "bin")', () => Distributions.maturin()],
  ['maturin abi3, musl and Windows ARM', () => Distributions.maturin({ abi3: '3.9', targets: ['x86_64-unknown-linux-gnu', 'x86_64-unknown-linux-musl', 'aarch64-pc-windows-msvc'], manylinux: '2_28' })],
  ['maturin per Python', () => Distributions.maturin({ pythons: ['3.12', '3.13'], targets: ['x86_64-unknown-linux-gnu', 'aarch64-apple-darwin', 'x86_64-pc-windows-msvc'] })],
];

const UNPRIVILEGED = ['prepare', 'wheels', 'sdist', 'gather'];

describe.each(OPTION_SETS)('%s', (_name, make, options) => {
  let s: Synthesized;
  let distributions: Distributions;
  beforeAll(() => {
    distributions = make();
    const monorepo = options?.packageDir ? { packageDir: options.packageDir, distributionName: options.distributionName } : {};
    s = synth(distributions, options, monorepo);
  });
  const release = () => s.release;

  test('the job graph: checks and validate -> prepare -> wheels + sdist -> gather -> attest -> release', () => {
    const wf = release();
    expect(Object.keys(wf.jobs)).toEqual(['validate', 'lint', 'type-check', 'security-check', 'test', 'prepare', 'wheels', 'sdist', 'gather', 'attest', 'release']);
    expect(needsOf(wf.jobs.prepare)).toEqual(['validate', 'lint', 'type-check', 'security-check', 'test']);
    expect(needsOf(wf.jobs.wheels)).toEqual(['validate', 'prepare']);
    expect(needsOf(wf.jobs.sdist)).toEqual(['validate', 'prepare']);
    expect(needsOf(wf.jobs.gather)).toEqual(['validate', 'prepare', 'wheels', 'sdist']);
    expect(needsOf(wf.jobs.attest)).toEqual(['gather']);
    expect(needsOf(wf.jobs.release)).toEqual(['validate', 'gather', 'attest']);
    expect(wf.jobs.release.steps.find((st) => st.id === 'release-commit')!.env!.BUILT_COMMIT).toBe('${{ needs.gather.outputs.commit }}');
  });

  test('prepare, wheels, sdist and gather hold no environment, no secret, at most contents: read, and no cache', () => {
    const wf = release();
    for (const id of UNPRIVILEGED) {
      const job = wf.jobs[id];
      expect(job.environment).toBeUndefined();
      expect(job.permissions).toEqual(id === 'gather' ? {} : { contents: 'read' });
      expect(JSON.stringify(job)).not.toMatch(/secrets\.|github\.token/);
      for (const step of job.steps) {
        for (const key of ['cache', 'enable-cache', 'sccache']) {
          if (step.with?.[key] !== undefined) expect([false, 'false']).toContain(step.with[key]);
        }
        expect(step.uses ?? '').not.toMatch(/^actions\/cache/);
      }
    }
  });

  test('the matrix builds exactly the expected wheels, each job on its runner; gather and publish.yml check that list', () => {
    const wf = release();
    const include: Array<Record<string, string>> = wf.jobs.wheels.strategy.matrix.include;
    expect(include.map((e) => [e.name, e.runner])).toEqual(distributions.wheelBuilds().map((b) => [b.name, b.runner]));
    expect(wf.jobs.wheels['runs-on']).toBe('${{ matrix.runner }}');
    const expected = distributions.expectedWheels();
    expect(stepOf(wf, 'gather', 'wheel-set').env!.EXPECTED_WHEELS.split('\n')).toEqual(expected);
    const publish = s.publish;
    expect(stepOf(publish, 'verify', 'wheel-set').env!.EXPECTED_WHEELS.split('\n')).toEqual(expected);
    if (distributions.kind === 'cibuildwheel') {
      // CIBW_BUILD of each entry: its identifiers, which are the expected wheels' identifiers
      expect(include.flatMap((e) => e.build.split(' ')).sort()).toEqual(expected);
      expect(stepOf(wf, 'wheels', 'cibuildwheel').env).toMatchObject({ CIBW_BUILD: '${{ matrix.build }}', CIBW_ARCHS: '${{ matrix.archs }}' });
    } else {
      const maturin = stepOf(wf, 'wheels', 'maturin');
      expect(maturin.with).toMatchObject({ 'sccache': false, 'maturin-version': 'v1.16.0', 'target': '${{ matrix.target }}' });
      expect(stepOf(wf, 'sdist', 'sdist').with).toMatchObject({ command: 'sdist', sccache: false });
    }
  });

  test('every wheel and the sdist job checks out the release commit of the prepare job', () => {
    const wf = release();
    for (const id of ['wheels', 'sdist']) {
      const ids = wf.jobs[id].steps.map((st) => st.id);
      expect(ids.slice(0, 3)).toEqual(['download-release-commit', 'checkout', 'checkout-release-commit']);
      expect(stepOf(wf, id, 'checkout-release-commit').env!.RELEASE_COMMIT).toBe('${{ needs.prepare.outputs.commit }}');
    }
    expect(wf.jobs.prepare.steps.map((st) => st.id)).not.toContain('build');
  });

  test('actionlint and shellcheck find nothing', async () => {
    // actionlint 1.7's list of GitHub-hosted labels predates macos-15-intel and windows-11-arm,
    // which cibuildwheel's README and maturin-action's own test matrix use: only that is allowed.
    const findings = (await lintWorkflows(s.files)).filter((f) => !/label "(macos-15-intel|windows-11-arm)" is unknown/.test(f.message));
    expect(formatFindings(findings)).toBe('');
  });

  test('the security rules find nothing', () => {
    expect(formatRuleFindings(checkWorkflows(s.files))).toBe('');
  });
});

describeWithTools('zizmor on the compiled pipelines', { 'zizmor (tools)': haveTool(ZIZMOR) }, () => {
  test('no findings at the default persona, for every option set', () => {
    const files: Record<string, string> = {};
    for (const [name, make, options] of OPTION_SETS) {
      const monorepo = options?.packageDir ? { packageDir: options.packageDir, distributionName: options.distributionName } : {};
      for (const [f, text] of Object.entries(synth(make(), options, monorepo).files)) files[`${name} ${f}`] = text;
    }
    expect(formatZizmor(zizmorWorkflows(files))).toBe('');
  });
});

describe('what a compiled release refuses at synth', () => {
  test('a cache in the wheel jobs (maturin-action\'s sccache turned on)', () => {
    const project = newProject('fast-pkg');
    const pipeline = new PythonReleasePipeline(project, { toolchain: PythonToolchain.pip(), distributions: Distributions.maturin() });
    const step = pipeline.wheelsJob!.findStep('maturin');
    pipeline.wheelsJob!.replaceStep('maturin', { ...step.options, with: { ...step.options.with, sccache: true } });
    expect(() => project.synth()).toThrow(/step "maturin" of the wheels job uses a cache \(sccache: true\); the jobs that build and release must never restore one/);
    fs.rmSync(project.outdir, { recursive: true, force: true });
  });

  test('VersionStrategy.fromTag() with maturin, which cannot read it', () => {
    expect(() => new PythonReleasePipeline(newProject('fast-pkg'), { distributions: Distributions.maturin(), versionStrategy: VersionStrategy.fromTag() }))
      .toThrow(/versionStrategy VersionStrategy\.fromTag\(\) does not reach maturin.*Use VersionStrategy\.pyproject\(\)/);
  });

  test('an install test on a runner and Python for which the release builds no wheel', () => {
    const distributions = Distributions.cibuildwheel({ pythons: ['3.13'] });
    expect(() => new PypiPublishPipeline(newProject('fast-pkg'), { distributions }))
      .toThrow(/PypiPublishPipeline \(publish\.yml\): the install test runs on ubuntu-24\.04 with Python 3\.12, but the release builds no wheel that installs there \(its manylinux_x86_64 wheels: cp313-manylinux_x86_64\)\. Set pythonVersion/);
    expect(() => new PypiPublishPipeline(newProject('fast-pkg'), { distributions, pythonVersion: '3.13' })).not.toThrow();
    expect(() => new PypiPublishPipeline(newProject('fast-pkg'), { distributions: Distributions.maturin({ targets: ['aarch64-apple-darwin'] }) }))
      .toThrow(/no manylinux_x86_64 wheel at all/);
  });

  test('the pure default is unchanged: one build job', () => {
    const s = synth(Distributions.pure());
    expect(Object.keys(s.release.jobs)).toContain('build');
    expect(Object.keys(s.release.jobs)).not.toContain('gather');
    expect(s.publish.jobs.verify.steps.map((st) => st.id)).not.toContain('wheel-set');
  });
});

describe('the README', () => {
  test('shows the current job graph of examples/cibuildwheel-extension (its second mermaid block)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createProject } = require('../examples/cibuildwheel-extension/.projenrc') as { createProject: (dir: string) => import('projen').Project };
    const project = createProject(fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-graph-')));
    const release = project.node.findAll().find((c): c is PythonReleasePipeline => c instanceof PythonReleasePipeline)!;
    const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf-8');
    const blocks = [...readme.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks[1]).toBe(JobGraph.mermaid([release]));
    fs.rmSync(project.outdir, { recursive: true, force: true });
  });
});

describe('VersionStrategy.fromTag() with cibuildwheel', () => {
  test('the version reaches the build in the Linux containers too (CIBW_ENVIRONMENT_PASS_LINUX) and the sdist', () => {
    const s = synth(Distributions.cibuildwheel({ platforms: ['linux'], pythons: ['3.12'], environment: { CIBW_ENVIRONMENT_PASS_LINUX: 'MY_VAR' } }), { versionStrategy: VersionStrategy.fromTag() });
    const env = stepOf(s.release, 'wheels', 'cibuildwheel').env!;
    expect(env.SETUPTOOLS_SCM_PRETEND_VERSION).toBe('${{ env.VERSION }}');
    expect(env.CIBW_ENVIRONMENT_PASS_LINUX.split(' ')).toEqual(['MY_VAR', 'SETUPTOOLS_SCM_PRETEND_VERSION_FOR_FAST_PKG', 'SETUPTOOLS_SCM_PRETEND_VERSION', 'POETRY_DYNAMIC_VERSIONING_BYPASS']);
    expect(stepOf(s.release, 'sdist', 'sdist').env!.SETUPTOOLS_SCM_PRETEND_VERSION).toBe('${{ env.VERSION }}');
    expect(s.release.jobs.wheels.env!.VERSION).toBe('${{ needs.validate.outputs.version }}');
  });
});
