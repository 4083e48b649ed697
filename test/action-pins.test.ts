import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ActionPins, PypiPublishPipeline, PythonReleasePipeline } from '../src';
import { newProject, parseWorkflow, stepOf, synthWorkflows } from './helpers/project';
import { CHECK_ACTION_UPDATES } from '../src/scripts/release-scripts';

/**
 * A stand-in for `gh api` (GitHub's API cannot be reached here): answers GET routes from a JSON map
 * of route -> body, with the `--jq` forms our scripts use; an unknown route is a 404.
 */
const FAKE_GH = `#!/usr/bin/python3 -IS
import json, os, re, sys
args = sys.argv[1:]
routes = json.load(open(os.environ["FAKE_GH_ROUTES"]))
with open(os.environ["FAKE_GH_ROUTES"] + ".calls", "a") as log:
    log.write(" ".join(args) + "\\n")
if args[:1] != ["api"]:
    sys.exit("fake gh: only gh api")
route, jq = args[1], args[args.index("--jq") + 1] if "--jq" in args else None
if route not in routes:
    print("gh: Not Found (HTTP 404)", file=sys.stderr); sys.exit(1)
body = routes[route]
def pick(v, path):
    for k in path.strip(".").split("."):
        v = v[k]
    return v
if jq is None: print(json.dumps(body))
elif jq.startswith('"'): print(re.sub(r"\\\\\\((\\.[a-z_.]+)\\)", lambda m: str(pick(body, m.group(1))), jq[1:-1]))
else: print(pick(body, jq))
`;

const sha = (c: string) => c.repeat(40);

describe('npx projen pins:update and the overrides file', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-pins-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A stand-in gh whose releases: actions/checkout has v7.2.0 (annotated tag), the rest are current. */
  function fakeGh(dir: string, latest: Record<string, string>): Record<string, string> {
    const routes: Record<string, unknown> = {};
    for (const pin of ActionPins.all()) routes[`repos/${pin.name}/releases/latest`] = { tag_name: latest[pin.name] ?? pin.version };
    routes['repos/actions/checkout/git/ref/tags/v7.2.0'] = { object: { type: 'tag', sha: sha('a') } };
    routes[`repos/actions/checkout/git/tags/${sha('a')}`] = { object: { type: 'commit', sha: sha('b') } };
    routes['repos/astral-sh/setup-uv/git/ref/tags/v10.3.0'] = { object: { type: 'commit', sha: sha('c') } };
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bin', 'gh'), FAKE_GH, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'routes.json'), JSON.stringify(routes));
    return { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, FAKE_GH_ROUTES: path.join(dir, 'routes.json') };
  }

  function synth(outdir?: string) {
    const project = newProject('sample-pkg', outdir);
    new PythonReleasePipeline(project);
    new PypiPublishPipeline(project);
    const files = synthWorkflows(project);
    return { project, release: parseWorkflow(files['release.yml']), text: files['release.yml'] };
  }

  test('looks up each release, peels annotated tags, writes only newer pins, and the next synth pins them', () => {
    const { project } = synth();
    const env = fakeGh(root, { 'actions/checkout': 'v7.2.0', 'astral-sh/setup-uv': 'v10.3.0', 'actions/setup-python': 'v6.0.0' });
    const tasks = JSON.parse(fs.readFileSync(path.join(project.outdir, '.projen/tasks.json'), 'utf-8')).tasks;
    expect(tasks['pins:update'].steps).toEqual([{ exec: 'node .projen/pins-update.cjs', receiveArgs: true }]);

    const dry = spawnSync(process.execPath, ['.projen/pins-update.cjs', '--dry-run'], { cwd: project.outdir, env, encoding: 'utf-8' });
    expect(dry.stdout).toContain(`Would pin in .github/action-pins.json:\n  actions/checkout: v7.0.1 (3d3c42e) -> v7.2.0 (${sha('b').slice(0, 7)})\n  astral-sh/setup-uv: ${ActionPins.SETUP_UV.version} (${ActionPins.SETUP_UV.sha.slice(0, 7)}) -> v10.3.0 (${sha('c').slice(0, 7)})`);
    expect(fs.existsSync(path.join(project.outdir, '.github/action-pins.json'))).toBe(false);

    const run = spawnSync(process.execPath, ['.projen/pins-update.cjs'], { cwd: project.outdir, env, encoding: 'utf-8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('actions/setup-python: v7.0.0 is its newest release');
    expect(run.stdout).toContain('Review the change (git diff .github/action-pins.json), run npx projen to pin the workflows, and commit both.');
    const written = JSON.parse(fs.readFileSync(path.join(project.outdir, '.github/action-pins.json'), 'utf-8'));
    expect(written.pins).toEqual({
      'actions/checkout': { sha: sha('b'), version: 'v7.2.0' },
      'astral-sh/setup-uv': { sha: sha('c'), version: 'v10.3.0' },
    });

    const again = synth(project.outdir);
    expect(stepOf(again.release, 'build', 'checkout').uses).toBe(`actions/checkout@${sha('b')}`);
    expect(again.text).toContain(`actions/checkout@${sha('b')} # v7.2.0`);
    expect(again.text).not.toContain(ActionPins.CHECKOUT.sha);
    expect(stepOf(again.release, 'validate', 'action-updates').env!.PINNED_ACTIONS.split('\n')).toContain('actions/checkout v7.2.0');
    // and the updater now starts from the new pins
    const next = spawnSync(process.execPath, ['.projen/pins-update.cjs'], { cwd: project.outdir, env, encoding: 'utf-8' });
    expect(next.stdout).toContain('Every pinned action is at its newest release.');
  });

  test('an action whose release cannot be read is named and kept; the run exits 1', () => {
    const dir = path.join(root, 'broken');
    const { project } = synth();
    const env = fakeGh(dir, { 'actions/attest': 'latest; rm -rf /' });
    const run = spawnSync(process.execPath, ['.projen/pins-update.cjs', '--dry-run'], { cwd: project.outdir, env, encoding: 'utf-8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('actions/attest: could not read its newest release (tag "latest; rm -rf /"); kept v4.2.2');
  });

  test.each<[string, string, RegExp]>([
    ['not JSON', '{', /\.github\/action-pins\.json is not valid JSON/],
    ['no pins object', '{"pins": []}', /needs a "pins" object/],
    ['a tag instead of a SHA', '{"pins": {"actions/checkout": {"sha": "v7", "version": "v7.2.0"}}}', /pins\["actions\/checkout"\]: .*not a full 40-character lowercase commit SHA/],
  ])('a broken overrides file (%s) fails the synth, naming the file and the entry', (_what, text, message) => {
    const project = newProject('sample-pkg');
    fs.mkdirSync(path.join(project.outdir, '.github'), { recursive: true });
    fs.writeFileSync(path.join(project.outdir, '.github/action-pins.json'), text);
    expect(() => new PythonReleasePipeline(project)).toThrow(message);
  });
});

describe('the validate job warns when a pinned action has a newer release', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-pins-warn-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('newer: a warning naming the action, both versions and the fix; same, older or odd tags: nothing', () => {
    const routes = {
      'repos/actions/checkout/releases/latest': { tag_name: 'v7.2.0' },
      'repos/actions/setup-python/releases/latest': { tag_name: 'v7.0.0' },
      'repos/prefix-dev/setup-pixi/releases/latest': { tag_name: 'v0.9.5' },
      'repos/astral-sh/setup-uv/releases/latest': { tag_name: 'v99\n::error::forged' },
    };
    fs.mkdirSync(path.join(root, 'bin'));
    fs.writeFileSync(path.join(root, 'bin', 'gh'), FAKE_GH, { mode: 0o755 });
    fs.writeFileSync(path.join(root, 'routes.json'), JSON.stringify(routes));
    const r = spawnSync('bash', ['-c', CHECK_ACTION_UPDATES], {
      encoding: 'utf-8',
      env: {
        PATH: `${path.join(root, 'bin')}:/usr/bin:/bin`,
        FAKE_GH_ROUTES: path.join(root, 'routes.json'),
        PINNED_ACTIONS: ['actions/checkout v7.0.1', 'actions/setup-python v7.0.0', 'prefix-dev/setup-pixi v0.9.6', 'astral-sh/setup-uv v10.0.1', 'actions/attest v4.2.2'].join('\n'),
      },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '::warning title=Newer action release::actions/checkout v7.2.0 is out; this workflow pins v7.0.1. Run npx projen pins:update, review the diff, and commit.',
    ]);
  });
});
