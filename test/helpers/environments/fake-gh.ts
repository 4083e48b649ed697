import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../project';

/**
 * A stand-in for the GitHub CLI: a small script named `gh` that records each call (its arguments,
 * and for `gh api` the method, path and JSON body read from stdin) as a JSON line, and answers
 * from canned responses the way `gh` does: the body on stdout, and for an HTTP error also
 * `gh: <message> (HTTP <status>)` on stderr and exit code 1. It is written in Python (Debian's
 * /usr/bin/python3, isolated mode) because it starts several times faster than node.
 */
const FAKE_GH = `#!/usr/bin/python3 -IS
import json, os, sys
d = os.environ['FAKE_GH_DIR']
args = sys.argv[1:]
stdin = sys.stdin.read()
call = {'args': args}
key = ' '.join(args[:2])
if args and args[0] == 'api':
    method, i = 'GET', 1
    while i < len(args):
        a = args[i]
        if a in ('--method', '-X'):
            method = args[i + 1]; i += 1
        elif a in ('-H', '--header', '--input', '--jq', '-q', '-f', '-F'):
            i += 1
        elif not a.startswith('-'):
            call['path'] = a
        i += 1
    call['method'] = method
    if '--input' in args:
        call['body'] = json.loads(stdin) if stdin else None
    key = method + ' ' + call.get('path', '')
with open(os.path.join(d, 'calls.jsonl'), 'a') as f:
    f.write(json.dumps(call) + '\\n')
with open(os.path.join(d, 'responses.json')) as f:
    responses = json.load(f)
r = responses.get(key) or responses.get(key.split('?')[0])
if not r and call.get('method') == 'PUT':
    r = {'status': 200, 'body': {'name': call['path'].split('/')[-1]}}
if not r and call.get('method') == 'POST':
    r = {'status': 200, 'body': dict({'id': 900}, **(call.get('body') or {}))}
if not r and call.get('method') == 'DELETE':
    r = {'status': 204}
if not r:
    r = {'status': 404, 'body': {'message': 'Not Found', 'documentation_url': 'https://docs.github.com/rest', 'status': '404'}}
if 'stdout' in r or 'exit' in r:
    sys.stdout.write(r.get('stdout', ''))
    sys.stderr.write(r.get('stderr', ''))
    sys.exit(r.get('exit', 0))
if 'body' in r:
    sys.stdout.write(json.dumps(r['body']))
if r['status'] >= 400:
    message = (r.get('body') or {}).get('message') or 'HTTP %d' % r['status']
    sys.stderr.write('gh: %s (HTTP %d)\\n' % (message, r['status']))
    sys.exit(1)
`;

/** A canned answer: an HTTP status and JSON body, or raw stdout/stderr/exit for non-API commands. */
export interface FakeResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: number;
}

/** One recorded call. */
export interface FakeCall {
  readonly args: string[];
  readonly method?: string;
  readonly path?: string;
  readonly body?: any;
}

/** The result of running a command with the stand-in on PATH. */
export interface FakeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: FakeCall[];
}

/** A directory with the stand-in `gh`; `run` executes a node script with only it on PATH. */
export class FakeGh {
  public readonly dir: string;
  public readonly bin: string;

  public constructor() {
    this.dir = tempDir('fake-gh-');
    this.bin = path.join(this.dir, 'bin');
    fs.mkdirSync(this.bin);
    fs.writeFileSync(path.join(this.bin, 'gh'), FAKE_GH, { mode: 0o755 });
  }

  /**
   * Runs `node script args` with the stand-in as the only thing on PATH (`withGh: false`: nothing
   * on PATH at all), answering `responses` (keys: `METHOD path` with or without the query, or
   * `repo view`).
   */
  public run(script: string, args: string[], responses: Record<string, FakeResponse>, options: { cwd?: string; withGh?: boolean } = {}): FakeRun {
    const callsFile = path.join(this.dir, 'calls.jsonl');
    fs.writeFileSync(callsFile, '');
    fs.writeFileSync(path.join(this.dir, 'responses.json'), JSON.stringify(responses));
    const empty = path.join(this.dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const result = spawnSync(process.execPath, [script, ...args], {
      cwd: options.cwd ?? path.dirname(script),
      encoding: 'utf-8',
      env: { PATH: options.withGh === false ? empty : this.bin, FAKE_GH_DIR: this.dir, HOME: this.dir },
      timeout: 30_000,
    });
    const calls = fs.readFileSync(callsFile, 'utf-8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  }
}
