import { Project } from 'projen';
import {
  ActionPins, PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, QualityCheck, VersionStrategy,
} from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { needsOf, newProject, parseWorkflow, stepOf, synthWorkflows, Workflow, WorkflowStep } from './helpers/project';

type ToolchainName = 'pixi' | 'uv' | 'hatch' | 'poetry' | 'pip';
type StrategyName = 'pyproject' | 'fromTag' | 'verifyOnly';

const TOOLCHAINS: Record<ToolchainName, () => PythonToolchain> = {
  pixi: () => PythonToolchain.pixi(),
  uv: () => PythonToolchain.uv(),
  hatch: () => PythonToolchain.hatch(),
  poetry: () => PythonToolchain.poetry(),
  pip: () => PythonToolchain.pip(),
};
const STRATEGIES: Record<StrategyName, () => VersionStrategy> = {
  pyproject: () => VersionStrategy.pyproject(),
  fromTag: () => VersionStrategy.fromTag(),
  verifyOnly: () => VersionStrategy.verifyOnly(),
};

function synth(options: PythonReleasePipelineOptions, project: Project = newProject('example-pkg')): { wf: Workflow; text: string } {
  new PythonReleasePipeline(project, { distributionName: 'example-pkg', ...options });
  const text = synthWorkflows(project)['release.yml'];
  return { wf: parseWorkflow(text), text };
}

/** Every toolchain with every version strategy, synthesized once. */
const matrix = Object.keys(TOOLCHAINS).flatMap((t) => Object.keys(STRATEGIES).map((s) => {
  const { wf, text } = synth({ toolchain: TOOLCHAINS[t as ToolchainName](), versionStrategy: STRATEGIES[s as StrategyName]() });
  return { toolchain: t as ToolchainName, strategy: s as StrategyName, wf, text };
}));
const workflowOf = (t: ToolchainName, s: StrategyName = 'pyproject') => matrix.find((m) => m.toolchain === t && m.strategy === s)!.wf;

const CHECK_JOBS = ['lint', 'type-check', 'security-check', 'test'];

/** What each toolchain's jobs must contain (the commands its users would write by hand). */
const EXPECTED: Record<ToolchainName, {
  setup: string[];
  install?: string;
  commands: Record<string, string>;
  build: string;
  setVersion?: string;
}> = {
  pixi: {
    setup: ['setup-pixi'],
    commands: { 'lint': 'pixi run lint', 'type-check': 'pixi run type-check', 'security-check': 'pixi run security-check', 'test': 'pixi run test' },
    build: 'pixi run build',
  },
  uv: {
    setup: ['setup-uv'],
    install: 'uv sync --locked',
    commands: { 'lint': 'uv run ruff check', 'type-check': 'uv run mypy .', 'security-check': 'uv run bandit -r src', 'test': 'uv run pytest --cov --cov-report=xml' },
    build: 'uv build --no-sources',
    setVersion: 'uv version "$VERSION" --no-sync',
  },
  hatch: {
    setup: ['setup-python', 'install-hatch'],
    commands: { 'lint': 'hatch check code && hatch check fmt', 'type-check': 'hatch run types:check', 'security-check': 'hatch run security:check', 'test': 'hatch test --cover-xml' },
    build: 'hatch build',
    setVersion: 'hatch version --force "$VERSION"',
  },
  poetry: {
    setup: ['install-poetry', 'setup-python'],
    install: 'poetry install --no-interaction',
    commands: { 'lint': 'poetry run ruff check', 'type-check': 'poetry run mypy .', 'security-check': 'poetry run bandit -r src', 'test': 'poetry run pytest --cov --cov-report=xml' },
    build: 'poetry build',
    setVersion: 'poetry version "$VERSION"',
  },
  pip: {
    setup: ['setup-python'],
    install: 'python -m pip install -e ".[dev]"',
    commands: { 'lint': 'python -m ruff check', 'type-check': 'python -m mypy .', 'security-check': 'python -m bandit -r src', 'test': 'python -m pytest --cov --cov-report=xml' },
    build: 'python -m pip install "build==1.6.1" && python -m build',
  },
};

/** Whether a setup step of a check job turns a cache on, and of the release job leaves it off. */
function cacheOf(step: WorkflowStep): unknown {
  const w = step.with ?? {};
  if (step.uses?.startsWith('prefix-dev/setup-pixi@')) return w.cache;
  if (step.uses?.startsWith('astral-sh/setup-uv@')) return w['enable-cache'];
  if (step.uses?.startsWith('actions/setup-python@')) return w.cache;
  return undefined;
}

describe('every toolchain with every version strategy', () => {
  test(`${matrix.length} workflows pass actionlint and shellcheck`, async () => {
    const files = Object.fromEntries(matrix.map((m) => [`${m.toolchain}-${m.strategy}.yml`, m.text]));
    expect(formatFindings(await lintWorkflows(files))).toBe('');
  });

  test.each(matrix.map((m) => [m.toolchain, m.strategy]))('%s / %s: every action pinned by SHA, no ${{ }} in run:, no actions/cache', (t, s) => {
    const { text, wf } = matrix.find((m) => m.toolchain === t && m.strategy === s)!;
    for (const line of text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
    for (const job of Object.values(wf.jobs)) for (const step of job.steps) if (step.run) expect(step.run).not.toContain('${{');
    expect(text).not.toMatch(/actions\/cache/);
  });
});

describe.each(Object.keys(EXPECTED) as ToolchainName[])('%s toolchain', (t) => {
  const expected = EXPECTED[t];
  const wf = workflowOf(t);
  /** pixi checks in validate that the pinned pixi reads the committed pixi.lock. */
  const validateChecks = t === 'pixi' ? ['checkout', 'pixi-lock'] : [];

  test('check jobs: setup steps (pinned actions), install, the check command', () => {
    for (const id of CHECK_JOBS) {
      const ids = wf.jobs[id].steps.map((s) => s.id);
      expect(ids).toEqual(['checkout', ...expected.setup, ...(expected.install ? ['install'] : []), id, ...(id === 'test' ? ['upload-coverage'] : [])]);
      expect(stepOf(wf, id, id).run).toBe(`${expected.commands[id]}\n`);
      if (expected.install) expect(stepOf(wf, id, 'install').run).toBe(`${expected.install}\n`);
      expect(wf.jobs[id].permissions).toEqual({ contents: 'read' });
    }
  });

  test('the setup action is the official one, pinned through ActionPins', () => {
    const uses = wf.jobs.lint.steps.filter((s) => s.uses && !s.uses.startsWith('actions/checkout@')).map((s) => s.uses);
    const official = { pixi: ActionPins.SETUP_PIXI, uv: ActionPins.SETUP_UV }[t as string] ?? ActionPins.SETUP_PYTHON;
    expect(uses).toEqual([official.ref]);
  });

  test('caches in the check jobs only, never in the build job', () => {
    const checkSetup = wf.jobs.lint.steps.filter((s) => s.uses && !s.uses.startsWith('actions/checkout@'));
    const releaseSetup = wf.jobs.build.steps.filter((s) => expected.setup.includes(s.id));
    expect(releaseSetup.map((s) => s.id)).toEqual(expected.setup);
    const cached = { pixi: true, uv: true, hatch: undefined, poetry: 'poetry', pip: 'pip' }[t];
    expect(checkSetup.map(cacheOf)).toEqual([cached]);
    for (const step of releaseSetup.filter((s) => s.uses)) {
      // pixi and uv cache unless told not to: the build job says false explicitly
      expect(cacheOf(step)).toEqual(t === 'pixi' || t === 'uv' ? false : undefined);
    }
    if (t === 'poetry') expect(checkSetup[0].with).toMatchObject({ 'cache-dependency-path': 'poetry.lock' });
    if (t === 'pip') expect(checkSetup[0].with).toMatchObject({ 'cache-dependency-path': 'pyproject.toml' });
  });

  test('the build job sets up the toolchain, sets the version, builds and verifies, and installs nothing else', () => {
    const ids = wf.jobs.build.steps.map((s) => s.id);
    expect(ids).toEqual([
      'checkout', ...expected.setup, 'install-release-tools', 'set-version',
      'changelog', 'commit', 'build', 'verify', 'checksums', 'stage', 'upload',
    ]);
    expect(stepOf(wf, 'build', 'build').run).toBe(`${expected.build}\n`);
    expect(stepOf(wf, 'build', 'build').env).toBeUndefined();
    const setVersion = stepOf(wf, 'build', 'set-version').run!;
    if (expected.setVersion) expect(setVersion).toBe(`${expected.setVersion}\n`);
    else expect(setVersion).toContain('[project].version');
    expect(wf.jobs.build.env).toMatchObject({ VERSION: '${{ needs.validate.outputs.version }}' });
  });

  test('fromTag: no set-version step; the build gets the pretend-version variables', () => {
    const tagged = workflowOf(t, 'fromTag');
    expect(tagged.jobs.build.steps.map((s) => s.id)).not.toContain('set-version');
    expect(stepOf(tagged, 'build', 'build').env).toEqual({
      SETUPTOOLS_SCM_PRETEND_VERSION_FOR_EXAMPLE_PKG: '${{ env.VERSION }}',
      SETUPTOOLS_SCM_PRETEND_VERSION: '${{ env.VERSION }}',
      POETRY_DYNAMIC_VERSIONING_BYPASS: '${{ env.VERSION }}',
    });
    expect(tagged.jobs.validate.steps.map((s) => s.id)).toEqual(['branch', 'version', 'tag-available', ...validateChecks, 'action-updates']);
  });

  test('verifyOnly: the validate job checks the committed version; the build job sets none', () => {
    const verified = workflowOf(t, 'verifyOnly');
    expect(verified.jobs.build.steps.map((s) => s.id)).not.toContain('set-version');
    expect(verified.jobs.validate.steps.map((s) => s.id)).toEqual(['branch', 'version', 'tag-available', 'checkout', ...validateChecks.slice(1), 'committed-version', 'action-updates']);
    expect(stepOf(verified, 'validate', 'checkout').with).toEqual({ 'persist-credentials': false });
    const check = stepOf(verified, 'validate', 'committed-version');
    expect(check.env).toEqual({ VERSION: '${{ steps.version.outputs.version }}' });
    expect(check.run).toContain('pyproject.toml');
    expect(stepOf(verified, 'build', 'build').env).toBeUndefined();
  });
});

describe('compact view of each toolchain (snapshot)', () => {
  test.each(Object.keys(TOOLCHAINS))('%s', (t) => {
    const wf = workflowOf(t as ToolchainName);
    const view = (job: string) => wf.jobs[job].steps
      .filter((s) => !['checkout', 'upload-coverage'].includes(s.id))
      .map((s) => {
        if (s.uses) return `${s.id}: ${s.uses.split('@')[0]} ${JSON.stringify(s.with)}`;
        return s.run!.startsWith('set -euo pipefail') ? `${s.id}: (script) ${s.name}` : `${s.id}: ${s.run!.trim()}`;
      });
    expect({ test: view('test'), build: view('build') }).toMatchSnapshot();
  });
});

describe('Python version matrix (pythonVersions)', () => {
  test.each(['uv', 'hatch', 'poetry', 'pip'] as ToolchainName[])('%s: the test job runs on each version; coverage comes from the first', (t) => {
    const { wf } = synth({ toolchain: TOOLCHAINS[t](), pythonVersions: ['3.11', '3.12', '3.13'] });
    const test = wf.jobs.test;
    expect(test.strategy).toEqual({ 'fail-fast': false, 'matrix': { python: ['3.11', '3.12', '3.13'] } });
    expect(test.name).toBe('Test (Python ${{ matrix.python }})');
    const setup = test.steps.find((s) => s.uses && (s.uses.startsWith('actions/setup-python@') || s.uses.startsWith('astral-sh/setup-uv@')))!;
    expect(setup.with!['python-version']).toBe('${{ matrix.python }}');
    expect(stepOf(wf, 'test', 'upload-coverage').if).toBe("always() && matrix.python == '3.11'");
    // only the test job is a matrix; the release job builds on the toolchain's own Python
    for (const id of ['lint', 'type-check', 'security-check', 'build']) expect(wf.jobs[id].strategy).toBeUndefined();
    // the build job's Python: setup-python's 3.12, or for uv none (uv takes the project's requires-python)
    const releaseSetup = wf.jobs.build.steps.filter((s) => s.uses?.startsWith('actions/setup-python@') || s.uses?.startsWith('astral-sh/setup-uv@'));
    expect(releaseSetup).toHaveLength(1);
    expect(releaseSetup[0].with!['python-version']).toBe(t === 'uv' ? undefined : '3.12');
  });

  test('versions such as 3.10 stay strings in the YAML', () => {
    const { text } = synth({ toolchain: PythonToolchain.uv(), pythonVersions: ['3.10', '3.14'] });
    expect(text).toMatch(/python:\n\s+- "3\.10"\n\s+- "3\.14"/);
  });

  test('the matrix passes actionlint and shellcheck', async () => {
    const files = Object.fromEntries((['uv', 'pip'] as ToolchainName[]).map((t) => [`${t}.yml`, synth({ toolchain: TOOLCHAINS[t](), pythonVersions: ['3.11', '3.12'] }).text]));
    expect(formatFindings(await lintWorkflows(files))).toBe('');
  });

  test.each<[string, () => void, RegExp]>([
    ['pixi', () => synth({ toolchain: PythonToolchain.pixi(), pythonVersions: ['3.12'] }), /PythonToolchain\.pixi\(\): pythonVersions cannot be used with pixi.*one pixi environment per Python version/],
    ['custom', () => synth({ toolchain: customToolchain(), pythonVersions: ['3.12'] }), /PythonToolchain\.custom\("mine"\): pythonVersions cannot be used/],
    ['a quote in a version', () => synth({ toolchain: PythonToolchain.uv(), pythonVersions: ["3.12'"] }), /pythonVersions entry "3\.12'" is not a Python version/],
  ])('refused: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('commands can be replaced and checks switched off', () => {
  test('a project without a type checker and with its own test command', () => {
    const toolchain = PythonToolchain.uv({
      skip: [QualityCheck.TYPE_CHECK, QualityCheck.SECURITY_CHECK],
      commands: { test: 'uv run pytest -x --cov=mypkg --cov-report=xml', setVersion: 'uv version "$VERSION" --frozen' },
    });
    expect(toolchain.checks).toEqual([QualityCheck.LINT, QualityCheck.TEST]);
    expect(toolchain.command('typeCheck')).toBeUndefined();
    const { wf } = synth({ toolchain });
    expect(Object.keys(wf.jobs).sort()).toEqual(['attest', 'build', 'lint', 'release', 'test', 'validate']);
    expect(needsOf(wf.jobs.build).sort()).toEqual(['lint', 'test', 'validate']);
    expect(stepOf(wf, 'test', 'test').run).toBe('uv run pytest -x --cov=mypkg --cov-report=xml\n');
    expect(stepOf(wf, 'build', 'set-version').run).toBe('uv version "$VERSION" --frozen\n');
    expect(stepOf(wf, 'lint', 'lint').run).toBe('uv run ruff check\n');
  });

  test('exact tool versions and the Python version are options', () => {
    const uv = synth({ toolchain: PythonToolchain.uv({ uvVersion: '0.11.0', pythonVersion: '3.13' }) }).wf;
    expect(stepOf(uv, 'lint', 'setup-uv').with).toMatchObject({ 'version': '0.11.0', 'python-version': '3.13' });
    const pixi = synth({ toolchain: PythonToolchain.pixi({ pixiVersion: 'v0.77.0', environments: 'default lint' }) }).wf;
    expect(stepOf(pixi, 'lint', 'setup-pixi').with).toMatchObject({ 'pixi-version': 'v0.77.0', 'environments': 'default lint', 'locked': true });
    const poetry = synth({ toolchain: PythonToolchain.poetry({ toolVersion: '2.3.4', pythonVersion: '3.11' }) }).wf;
    expect(stepOf(poetry, 'build', 'install-poetry').run).toBe('pipx install "poetry==2.3.4"\n');
    expect(stepOf(poetry, 'build', 'setup-python').with).toEqual({ 'python-version': '3.11' });
    const pip = synth({ toolchain: PythonToolchain.pip({ toolVersion: '1.4.0' }) }).wf;
    expect(stepOf(pip, 'build', 'build').run).toBe('python -m pip install "build==1.4.0" && python -m build\n');
  });

  test.each<[string, () => unknown, RegExp]>([
    ['an unknown command', () => PythonToolchain.uv({ commands: { typecheck: 'mypy' } as any }), /commands\.typecheck is not a toolchain command.*typeCheck/],
    ['an empty command', () => PythonToolchain.hatch({ commands: { lint: ' ' } }), /PythonToolchain\.hatch\(\): commands\.lint must be a non-empty command line.*"skip"/],
    ['an expression in a command', () => PythonToolchain.pip({ commands: { test: 'pytest ${{ inputs.x }}' } }), /commands\.test must be a non-empty command line without \$\{\{ \}\}/],
    ['an unknown check to skip', () => PythonToolchain.pixi({ skip: ['types' as QualityCheck] }), /skip entry "types" is not a quality check/],
    ['a floating pixi version', () => PythonToolchain.pixi({ pixiVersion: 'latest' }), /pixiVersion "latest" is not an exact version such as "v0\.77\.0"/],
    ['a uv range', () => PythonToolchain.uv({ uvVersion: '>=0.5' }), /uvVersion ">=0\.5" is not an exact version/],
    ['a quoted tool version', () => PythonToolchain.poetry({ toolVersion: '2.0" && curl x' }), /PythonToolchain\.poetry\(\): toolVersion "2\.0" && curl x" is not an exact version/],
    ['a bad Python version', () => PythonToolchain.hatch({ pythonVersion: '3.12 ' }), /pythonVersion "3\.12 " is not an exact version such as "3\.12"/],
    ['an unknown command key', () => PythonToolchain.uv().command('deploy'), /"deploy" is not a toolchain command/],
  ])('refused: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

function customToolchain(releaseSetup?: Parameters<typeof PythonToolchain.custom>[0]['releaseSetup']): PythonToolchain {
  return PythonToolchain.custom({
    name: 'mine',
    checkSetup: [
      { id: 'setup-python', step: { name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.13', 'cache': 'pip' } } },
      { id: 'tools', step: { name: 'Install tools', run: 'python -m pip install nox==2025.5.1' } },
    ],
    releaseSetup: releaseSetup ?? [
      { id: 'setup-python', step: { name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref, with: { 'python-version': '3.13' } } },
      { id: 'tools', step: { name: 'Install tools', run: 'python -m pip install nox==2025.5.1' } },
    ],
    commands: { lint: 'nox -s lint', test: 'nox -s tests', buildDistributions: 'nox -s build' },
  });
}

describe('a custom toolchain', () => {
  const { wf, text } = synth({ toolchain: customToolchain() });

  test('uses its own setup steps, caching only in the check jobs, and its commands', () => {
    expect(Object.keys(wf.jobs).sort()).toEqual(['attest', 'build', 'lint', 'release', 'test', 'validate']);
    expect(stepOf(wf, 'lint', 'setup-python').with).toEqual({ 'python-version': '3.13', 'cache': 'pip' });
    expect(stepOf(wf, 'build', 'setup-python').with).toEqual({ 'python-version': '3.13' });
    expect(stepOf(wf, 'lint', 'lint').run).toBe('nox -s lint\n');
    expect(stepOf(wf, 'build', 'build').run).toBe('nox -s build\n');
    // no setVersion command: our pyproject.toml script
    expect(stepOf(wf, 'build', 'set-version').run).toContain('[project].version');
  });

  test('passes actionlint and shellcheck', async () => {
    expect(formatFindings(await lintWorkflows({ 'release.yml': text }))).toBe('');
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no build command', () => PythonToolchain.custom({ name: 'x', checkSetup: [{ id: 'a', step: { name: 'a', run: 'true' } }] }), /commands\.buildDistributions is required/],
    ['no name', () => PythonToolchain.custom({ name: '', checkSetup: [], commands: { buildDistributions: 'make dist' } }), /"name" is required/],
    ['no setup', () => PythonToolchain.custom({ name: 'x', checkSetup: [], commands: { buildDistributions: 'make dist' } }), /checkSetup is empty/],
    ['a caching release setup', () => customToolchain([{ id: 'uv', step: { name: 'uv', uses: ActionPins.SETUP_UV.ref, with: { version: '0.12.5' } } }]), /releaseSetup step "uv" caches; the release job must never use a cache/],
    ['a cache step in the release setup', () => customToolchain([{ id: 'cache', step: { name: 'cache', uses: `actions/cache@${'0'.repeat(40)}`, with: { path: 'x', key: 'y' } } }]), /releaseSetup step "cache" caches/],
    ['a caching check setup and no release setup', () => PythonToolchain.custom({
      name: 'x',
      checkSetup: [{ id: 'py', step: { name: 'py', uses: ActionPins.SETUP_PYTHON.ref, with: { cache: 'pip' } } }],
      commands: { buildDistributions: 'python -m build' },
    }), /checkSetup \(used for the release job, as releaseSetup is not given\) step "py" caches/],
  ])('refused: %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
