import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureFreshAssembly } from './helpers/assembly';
import { describeWithTools, haveTool, networkEnv, tool, TOOLS_BIN, TOOLS_PYTHON, UV_CACHE } from './helpers/tools';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

/** The README's "Quick start for users", as a new user reads it: its shell commands and its .projenrc.ts. */
function quickStart(): { commands: string[]; projenrc: string } {
  const section = README.slice(README.indexOf('## Quick start for users'), README.indexOf('### Use from Python'));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  const commands = blocks.filter((b) => b.lang === 'bash').flatMap((b) => b.text.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  return { commands, projenrc: blocks.find((b) => b.lang === 'ts')!.text };
}

/**
 * The README's quick start, run verbatim on an empty directory as a new user would: npm installs
 * projen, ts-node, TypeScript and this library (its npm package, packed from this build) from the
 * registry; the first synthesis runs the README's first-run command, the second `npx projen`
 * (projen's own task); real uv installs the project (projen's post-synthesis step).
 */
describeWithTools('the README quick start, run as a new user would', {
  'npm': haveTool('npm'),
  'uv (tools)': haveTool(tool('uv')),
}, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-quick-start-'));
  const dir = path.join(root, 'acme-greeter');
  const env = {
    ...networkEnv(),
    PATH: [TOOLS_BIN, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    HOME: process.env.HOME ?? root, // npm's cache
    UV_PYTHON: TOOLS_PYTHON,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_CACHE_DIR: UV_CACHE,
    PIP_CONFIG_FILE: '/dev/null',
    GIT_CONFIG_GLOBAL: '/dev/null',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const sh = (command: string) => spawnSync('bash', ['-c', command], { cwd: dir, env, encoding: 'utf-8', timeout: 300_000 });
  const results: Array<{ command: string; status: number | null; out: string }> = [];
  let first: Record<string, string> = {};

  beforeAll(async () => {
    await ensureFreshAssembly();
    fs.mkdirSync(dir, { recursive: true });
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', root], { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, ...networkEnv() } });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    const tarball = path.join(root, pack.stdout.trim().split('\n').pop()!);
    const { commands, projenrc } = quickStart();
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), projenrc);
    for (const command of commands) {
      // the library is not on the registry from this build: install its package instead
      const r = sh(command.replace(/(npm install [^\n]*?)\bprojen-pypi-pipelines\b/, `$1${tarball}`));
      results.push({ command, status: r.status, out: r.stdout + r.stderr });
      if (r.status !== 0) break;
      if (command.startsWith('npx ts-node')) first = workflowsOf(dir);
    }
  }, 600_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function workflowsOf(d: string): Record<string, string> {
    const wf = path.join(d, '.github', 'workflows');
    return fs.existsSync(wf) ? Object.fromEntries(fs.readdirSync(wf).sort().map((f) => [f, fs.readFileSync(path.join(wf, f), 'utf-8')])) : {};
  }

  test('every command of the quick start succeeds, verbatim', () => {
    expect(results.map((r) => r.command)).toEqual(quickStart().commands);
    for (const r of results) if (r.status !== 0) throw new Error(`"${r.command}" failed:\n${r.out}`);
  });

  test('the first synthesis writes both workflows; the second, through projen, changes nothing', () => {
    expect(Object.keys(first)).toEqual(['publish.yml', 'release.yml']);
    expect(workflowsOf(dir)).toEqual(first);
    expect(first['release.yml']).toContain('uv build --no-sources');
    expect(first['release.yml']).toContain('name: Set the version for this build (not committed)');
  });

  test('projen installed the project with uv (uv.lock), and left no token-based publish task', () => {
    expect(fs.existsSync(path.join(dir, 'uv.lock'))).toBe(true);
    const tasks = JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'tasks.json'), 'utf-8')).tasks;
    expect(tasks.publish).toBeUndefined();
    expect(tasks['publish:test']).toBeUndefined();
    expect(tasks['release:rehearse']).toBeDefined();
    expect(tasks.default.steps[0].execArgs).toEqual(['ts-node', '--project', 'tsconfig.projen.json', '.projenrc.ts']);
  });
});
