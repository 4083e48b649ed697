import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as pep440 from '@renovatebot/pep440';
import * as fc from 'fast-check';
import { PythonReleasePipeline, VersionScheme } from '../src';
import { newProject, parseWorkflow, stepOf, synthWorkflows } from './helpers/project';

const TAG_PREFIX = 'mypkg-v';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-scheme-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const steps = new Map<string, ReturnType<typeof stepOf>>();

/** The validate job's version step for a scheme, as synthesized (once per scheme and setting). */
function versionStep(scheme: VersionScheme) {
  const key = `${scheme.kind}-${scheme.allowVPrefix}`;
  if (!steps.has(key)) steps.set(key, synthVersionStep(scheme));
  return steps.get(key)!;
}

function synthVersionStep(scheme: VersionScheme) {
  const project = newProject('mypkg');
  new PythonReleasePipeline(project, { versionScheme: scheme, tagPrefix: TAG_PREFIX });
  return stepOf(parseWorkflow(synthWorkflows(project)['release.yml']), 'validate', 'version');
}

interface Outcome {
  readonly ok: boolean;
  readonly version?: string;
  readonly tag?: string;
  readonly prerelease?: string;
}

/**
 * Runs the synthesized script once per input, in one bash process (inputs one per line, so none
 * may contain a newline), and returns what it wrote to $GITHUB_OUTPUT.
 */
function runScript(scheme: VersionScheme, inputs: string[]): Outcome[] {
  const step = versionStep(scheme);
  const script = path.join(work, `validate-${scheme.kind}-${scheme.allowVPrefix}.sh`);
  fs.writeFileSync(script, step.run!);
  const list = path.join(work, `inputs-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(list, inputs.map((i) => `${i}\n`).join(''));
  const loop = `out="$WORK/out"
    while IFS= read -r v; do
      : > "$out"
      if (export VERSION_INPUT="$v" GITHUB_OUTPUT="$out"; source "$SCRIPT") > /dev/null 2>&1; then
        mapfile -t lines < "$out"
        echo "1 \${lines[*]}"
      else
        echo 0
      fi
    done < "$LIST"`;
  const r = spawnSync('bash', ['-c', loop], {
    env: { PATH: process.env.PATH!, ...step.env, PRERELEASE_INPUT: 'false', SCRIPT: script, LIST: list, WORK: work },
    encoding: 'utf-8',
    maxBuffer: 16 * 1024 * 1024,
    // stdin not a socket: bash would take itself for a remote shell and source ~/.bashrc
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(inputs.length);
  return lines.map((line) => {
    if (!line.startsWith('1 ')) return { ok: false };
    const fields = Object.fromEntries(line.slice(2).trim().split(' ').map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
    return { ok: true, version: fields.version, tag: fields.tag, prerelease: fields.prerelease };
  });
}

/** The message `toPackageVersion` refuses a version with; any other error is a bug, not a refusal. */
const REFUSED = /^"[\s\S]*" is not a (canonical PEP 440 )?version such as 1\.2\.0/;

/** The same, from the TypeScript side. */
function fromTypeScript(scheme: VersionScheme, input: string): Outcome {
  try {
    return {
      ok: true,
      version: scheme.toPackageVersion(input),
      tag: scheme.tag(input, TAG_PREFIX),
      prerelease: String(scheme.isPrerelease(input)),
    };
  } catch (e) {
    // only the scheme's own refusal counts as "rejected": a TypeError (or any other crash) is thrown on
    if (e instanceof TypeError || !(e instanceof Error) || !REFUSED.test(e.message)) throw e;
    return { ok: false };
  }
}

const SEMVER_TABLE: Array<[string, string | null]> = [
  ['1.2.3', '1.2.3'],
  ['0.0.0', '0.0.0'],
  ['10.20.30', '10.20.30'],
  ['v1.2.3', '1.2.3'],
  ['1.2.3-alpha.0', '1.2.3a0'],
  ['1.2.3-alpha.1', '1.2.3a1'],
  ['1.2.3-beta.12', '1.2.3b12'],
  ['1.2.3-rc.1', '1.2.3rc1'],
  ['v2.0.0-rc.2', '2.0.0rc2'],
  // rejects
  ['1.2', null],
  ['1', null],
  ['1.2.3.4', null],
  ['01.2.3', null],
  ['1.02.3', null],
  ['1.2.03', null],
  ['1.2.3rc1', null],
  ['1.2.3-rc1', null],
  ['1.2.3-rc', null],
  ['1.2.3-rc.', null],
  ['1.2.3-RC.1', null],
  ['1.2.3-rc.01', null],
  ['1.2.3-rc.1.2', null],
  ['1.2.3-dev.1', null],
  ['1.2.3-pre.1', null],
  ['1.2.3-alpha.beta', null],
  ['1.2.3-0', null],
  ['1.2.3-', null],
  ['1.2.3+build.1', null],
  ['1.2.3-rc.1+build', null],
  ['1.2.3-constructor.1', null],
  ['1.2.3-__proto__.1', null],
  ['1.2.3-toString.1', null],
  ['V1.2.3', null],
  ['vv1.2.3', null],
  ['v', null],
  ['', null],
  [' 1.2.3', null],
  ['1.2.3 ', null],
  ['-1.2.3', null],
  ['1.2.3; id', null],
  ['$(id)', null],
];

const PEP440_TABLE: Array<[string, string | null]> = [
  ['1.0.0', '1.0.0'],
  ['v1.0.0', '1.0.0'],
  ['1.0', '1.0'],
  ['1.0.0rc1', '1.0.0rc1'],
  ['1.0.0a0', '1.0.0a0'],
  ['2.0.0.post1', '2.0.0.post1'],
  ['1.2.0.dev3', '1.2.0.dev3'],
  ['1.0rc1.post1', '1.0rc1.post1'],
  ['1!2.0', '1!2.0'],
  ['1.0.0-rc.1', null],
  ['1.0.0-rc1', null],
  ['1.0.0RC1', null],
  ['1.0.0+local', null],
  ['01.0', null],
  ['0!1.0', null],
  ['1.0.0 ', null],
  ['', null],
];

describe.each<[string, VersionScheme, Array<[string, string | null]>]>([
  ['semver', VersionScheme.semver(), SEMVER_TABLE],
  ['pep440', VersionScheme.pep440(), PEP440_TABLE],
])('VersionScheme.%s(): the validate script and toPackageVersion() agree', (_kind, scheme, table) => {
  const outcomes = runScript(scheme, table.map(([input]) => input));

  test.each(table.map(([input, expected], i) => [input, expected, i] as const))('%j -> %j', (input, expected, i) => {
    const script = outcomes[i];
    const ts = fromTypeScript(scheme, input);
    expect(ts).toEqual(script);
    if (expected === null) {
      expect(script.ok).toBe(false);
      expect(() => scheme.toPackageVersion(input)).toThrow(/is not a (canonical PEP 440 )?version such as 1\.2\.0/);
    } else {
      expect(script).toEqual({ ok: true, version: expected, tag: `${TAG_PREFIX}${input.replace(/^v/, '')}`, prerelease: String(pep440.explain(expected)!.is_prerelease) });
      // the package version is canonical PEP 440
      expect(pep440.clean(expected)).toBe(expected);
    }
  });
});

describe('VersionScheme.semver() on generated semver-shaped input', () => {
  // well-formed versions, half of them put through one mutation (numbers small enough for
  // JavaScript's semver: see the known difference below)
  const MUTATIONS: Array<(v: string) => string> = [
    (v) => `v${v}`,
    (v) => `V${v}`,
    (v) => `${v}+b1`,
    (v) => `${v}.4`,
    (v) => `${v}-`,
    (v) => `0${v}`,
    (v) => v.replace('.', ''),
    (v) => v.replace('-', ''),
    (v) => v.replace(/\.(\d+)$/, '$1'),
    (v) => v.replace(/(\d+)$/, '0$1'),
    (v) => v.toUpperCase(),
    (v) => v.replace(/alpha|beta|rc/, 'dev'),
    (v) => v.replace(/alpha|beta|rc/, 'a'),
  ];
  const valid = fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'rc'), fc.nat({ max: 40 }))))
    .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre ? `-${pre[0]}.${pre[1]}` : ''}`);
  const input = fc.tuple(valid, fc.option(fc.nat({ max: MUTATIONS.length - 1 }), { freq: 2 }))
    .map(([v, m]) => (m === null ? v : MUTATIONS[m](v)));
  const inputs = [...new Set(fc.sample(input, { numRuns: 250, seed: 20261124 }))];

  test(`script and TypeScript agree on ${inputs.length} inputs, and accepted ones map to canonical PEP 440`, () => {
    const scheme = VersionScheme.semver();
    const outcomes = runScript(scheme, inputs);
    const disagreements = inputs
      .map((v, i) => ({ v, script: outcomes[i], ts: fromTypeScript(scheme, v) }))
      .filter(({ script, ts }) => JSON.stringify(script) !== JSON.stringify(ts))
      .map(({ v, script, ts }) => `${v}: script ${JSON.stringify(script)}, TypeScript ${JSON.stringify(ts)}`);
    expect(disagreements).toEqual([]);
    const accepted = outcomes.filter((o) => o.ok);
    // both kinds, or the agreement means little
    expect(accepted.length).toBeGreaterThan(50);
    expect(inputs.length - accepted.length).toBeGreaterThan(50);
    for (const o of accepted) {
      expect(pep440.clean(o.version!)).toBe(o.version);
      expect(String(pep440.explain(o.version!)!.is_prerelease)).toBe(o.prerelease);
    }
  });

  test('known difference: numbers beyond 2^53 pass the script, but not JavaScript\'s semver', () => {
    const huge = '99999999999999999999.0.0';
    expect(runScript(VersionScheme.semver(), [huge])[0].ok).toBe(true);
    expect(() => VersionScheme.semver().toPackageVersion(huge)).toThrow(/is not a version such as/);
  });
});

describe('allowVPrefix: false', () => {
  test.each([['semver', VersionScheme.semver({ allowVPrefix: false })], ['pep440', VersionScheme.pep440({ allowVPrefix: false })]] as const)('%s: refuses v1.2.3 in both', (_kind, scheme) => {
    const [script] = runScript(scheme, ['v1.2.3']);
    expect(script.ok).toBe(false);
    expect(fromTypeScript(scheme, 'v1.2.3').ok).toBe(false);
    expect(fromTypeScript(scheme, '1.2.3')).toEqual(runScript(scheme, ['1.2.3'])[0]);
  });
});
