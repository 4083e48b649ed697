import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git, runGit } from './helpers/e2e/sample-repo';
import { describeWithTools, haveTool, havePythonModule, NODE_BIN, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';

/**
 * `npx projen release:rehearse --version 0.2.0` on the committed pixi example (examples/pixi-project),
 * as a user would run it: through projen's CLI, with its generated rehearsal script.
 *
 * pixi itself cannot be installed on this machine, so a stand-in runs the example's pixi tasks
 * (pixi.toml `[tasks]`) with Debian's Python; everything else is real (git, git-cliff, build,
 * twine).
 */
const EXAMPLE = path.resolve(__dirname, '..', 'examples', 'pixi-project');

const FAKE_PIXI = `#!/usr/bin/env bash
# Stand-in for pixi: runs a task of pixi.toml with Debian's Python (which the "python" shim gives).
set -euo pipefail
[[ "\${1:-}" == run ]] || { echo "pixi stand-in: only 'pixi run <task>' is supported" >&2; exit 2; }
cmd=$(${TOOLS_PYTHON} -c 'import sys, tomllib; print(tomllib.load(open("pixi.toml", "rb"))["tasks"][sys.argv[1]])' "$2")
exec bash -c "$cmd"
`;

// pixi's environment would build with isolation from PyPI; offline, Debian's backend is used as is.
const PYTHON_SHIM = `#!/usr/bin/env bash
if [[ "\${1:-} \${2:-}" == "-m build" ]]; then shift 2; exec ${TOOLS_PYTHON} -m build --no-isolation "$@"; fi
exec ${TOOLS_PYTHON} "$@"
`;

describeWithTools('the rehearsal of the pixi example', {
  'git': haveTool('git'),
  'twine (tools)': haveTool(tool('twine')),
  'git-cliff (tools)': haveTool(tool('git-cliff')),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
}, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-example-rehearsal-'));
  const repo = path.join(root, 'example-greeter');
  const bin = path.join(root, 'bin');
  let head = '';
  let result: { status: number | null; out: string };

  beforeAll(() => {
    fs.cpSync(EXAMPLE, repo, { recursive: true, filter: (src) => !/[/\\](dist|__pycache__)$/.test(src) });
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'pixi'), FAKE_PIXI, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'python'), PYTHON_SHIM, { mode: 0o755 });
    // A history: the first release, then conventional commits since.
    git(repo, 'init', '--quiet', '--initial-branch=main');
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '--message', 'feat: greet people by name');
    git(repo, 'tag', '--annotate', 'v0.1.0', '--message', 'Release v0.1.0');
    const init = path.join(repo, 'src', 'example_greeter', '__init__.py');
    fs.appendFileSync(init, '\n\ndef farewell(name: str) -> str:\n    """Say goodbye."""\n    return f"Goodbye, {name}!"\n');
    runGit(repo, ['commit', '--quiet', '--all', '--message', 'feat: say goodbye too']);
    fs.appendFileSync(path.join(repo, 'README.md'), '\n`farewell("PyPI")` says goodbye.\n');
    runGit(repo, ['commit', '--quiet', '--all', '--message', 'docs: show farewell in the README']);
    fs.appendFileSync(path.join(repo, 'src', 'example_greeter', 'py.typed'), 'x');
    runGit(repo, ['commit', '--quiet', '--all', '--message', 'fix: ship the py.typed marker']);
    head = git(repo, 'rev-parse', 'HEAD');

    const r = spawnSync(process.execPath, [path.join(NODE_BIN, 'projen'), 'release:rehearse', '--version', '0.2.0'], {
      cwd: repo,
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: [bin, TOOLS_BIN, NODE_BIN, '/usr/bin', '/bin'].join(path.delimiter),
        HOME: root,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'Sam Maintainer',
        GIT_AUTHOR_EMAIL: 'sam@example.com',
        GIT_COMMITTER_NAME: 'Sam Maintainer',
        GIT_COMMITTER_EMAIL: 'sam@example.com',
        NO_COLOR: '1',
      },
    });
    result = { status: r.status, out: r.stdout + r.stderr };
  }, 180_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('passes and prints a line per stage and the summary', () => {
    expect(result.out).toMatch(/Rehearsal PASSED: \d+ stages/);
    expect(result.status).toBe(0);
    for (const stage of ['version', 'set-version', 'changelog', 'commit', 'build', 'verify', 'checksums']) {
      expect(result.out).toMatch(new RegExp(`PASS\\s+${stage}\\s`));
    }
    expect(result.out).toMatch(/SKIP\s+push\s/);
  });

  test('shows the release notes, the changelog diff, the files and the tag', () => {
    expect(result.out).toMatch(/== Release notes of v0\.2\.0 ==[\s\S]*### Added\s+- Say goodbye too[\s\S]*### Fixed\s+- Ship the py.typed marker[\s\S]*### Documentation\s+- Show farewell in the README/);
    expect(result.out).toMatch(/\+## \[0\.2\.0\] - \d{4}-\d{2}-\d{2}/);
    expect(result.out).toContain('example_greeter-0.2.0-py3-none-any.whl');
    expect(result.out).toContain('example_greeter-0.2.0.tar.gz');
    expect(result.out).toContain('SHA256SUMS');
    expect(result.out).toMatch(/v0\.2\.0 -> [0-9a-f]{7} chore\(release\): v0\.2\.0/);
  });

  test('leaves the repository as it was', () => {
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'tag', '--list')).toBe('v0.1.0');
  });
});
