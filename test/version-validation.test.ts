import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as pep440 from '@renovatebot/pep440';
import { PythonReleasePipeline, VersionScheme } from '../src';
import { newProject, parseWorkflow, stepOf, synthWorkflows, tempDir } from './helpers/project';

const steps = new Map<boolean, ReturnType<typeof stepOf>>();

/** The validate job's version step, as synthesized (once per setting). */
function versionStep(allowVPrefix: boolean) {
  if (!steps.has(allowVPrefix)) steps.set(allowVPrefix, synthVersionStep(allowVPrefix));
  return steps.get(allowVPrefix)!;
}

function synthVersionStep(allowVPrefix: boolean) {
  const project = newProject();
  new PythonReleasePipeline(project, { versionScheme: VersionScheme.pep440({ allowVPrefix }) });
  return stepOf(parseWorkflow(synthWorkflows(project)['release.yml']), 'validate', 'version');
}

const work = tempDir('ppp-version-');

function validate(input: string, allowVPrefix = true, prerelease = 'false') {
  const step = versionStep(allowVPrefix);
  const output = path.join(work, `out-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(output, '');
  const env = {
    ...process.env,
    GITHUB_OUTPUT: output,
    ...step.env,
    VERSION_INPUT: input,
    PRERELEASE_INPUT: prerelease,
  };
  // stdin not a pipe: bash on a socket stdin takes itself for a remote shell and reads ~/.bashrc
  const r = spawnSync('bash', ['-c', step.run!], { env, encoding: 'utf-8', cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const outputs = Object.fromEntries(fs.readFileSync(output, 'utf-8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { ok: r.status === 0, stdout: r.stdout, outputs };
}

describe('the version validation script (run with bash)', () => {
  test.each([
    ['1.0.0', '1.0.0', 'v1.0.0', 'false'],
    ['1.0.0rc1', '1.0.0rc1', 'v1.0.0rc1', 'true'],
    ['2.0.0.post1', '2.0.0.post1', 'v2.0.0.post1', 'false'],
    ['1.2.0.dev3', '1.2.0.dev3', 'v1.2.0.dev3', 'true'],
    ['1.0a1.post2', '1.0a1.post2', 'v1.0a1.post2', 'true'],
    ['1!2.0', '1!2.0', 'v1!2.0', 'false'],
    ['v1.4.0', '1.4.0', 'v1.4.0', 'false'],
  ])('accepts %j as version %j, tag %j, prerelease %s', (input, version, tag, prerelease) => {
    const r = validate(input);
    expect(r.ok).toBe(true);
    expect(r.outputs).toEqual({ version, tag, prerelease });
  });

  test('the prerelease input marks a final version as prerelease too', () => {
    expect(validate('1.0.0', true, 'true').outputs.prerelease).toBe('true');
  });

  test.each([
    ['a shell command after a semicolon', '1.0.0; rm -rf /'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a trailing newline', '1.0.0\n'],
    ['a newline and a workflow command', '1.0.0\n::set-output name=tag::v9'],
    ['a trailing space', '1.0.0 '],
    ['a leading space', ' 1.0.0'],
    ['empty', ''],
    ['only v', 'v'],
    ['a local version', '1.0.0+local'],
    ['a leading zero', '01.0.0'],
    ['a non-canonical pre-release', '1.0.0-rc1'],
    ['upper case', '1.0.0RC1'],
    ['a pre-release without number', '1.0.0a'],
    ['an explicit zero epoch', '0!1.0'],
    ['a glob', '1.*'],
    ['a path', '../1.0.0'],
  ])('rejects %s', (_what, input) => {
    const marker = path.join(work, 'pwned');
    const r = validate(input.replace('rm -rf /', `touch ${marker}`));
    expect(r.ok).toBe(false);
    expect(r.outputs).toEqual({});
    expect(fs.existsSync(marker)).toBe(false);
    // one error line, which quotes the input so that it cannot start a workflow command
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::')).length).toBe(1);
  });

  test('a leading v is refused when allowVPrefix is false, with a message saying so', () => {
    const r = validate('v1.0.0', false);
    expect(r.ok).toBe(false);
    expect(r.stdout).toContain('without a leading v');
  });
});

describe('agrees with a PEP 440 implementation (@renovatebot/pep440) on generated versions', () => {
  // a fixed-seed generator: the same versions on every run
  let seed = 20261124;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const candidates = new Set<string>();
  // mostly canonical pieces, with a sprinkling of the non-canonical spellings PEP 440 normalizes
  const nums = ['0', '1', '2', '3', '10', '42', '123', '0', '1', '01', '007'];
  const pres = ['', '', '', '', 'a1', 'b2', 'rc0', 'rc10', 'c1', 'alpha1', '-rc1', '.rc1', 'a', 'RC1', 'a01'];
  const posts = ['', '', '', '', '.post1', '.post0', 'post1', '-1', '.post01', '.POST1'];
  const devs = ['', '', '', '', '.dev0', '.dev12', 'dev1', '.dev', '-dev1'];
  const epochs = ['', '', '', '', '', '', '1!', '0!', '12!'];
  const locals = ['', '', '', '', '', '', '', '+abc', '+1.2'];
  while (candidates.size < 1000) {
    const release = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(nums)).join('.');
    candidates.add(pick(epochs) + release + pick(pres) + pick(posts) + pick(devs) + pick(locals));
  }
  const versions = [...candidates];

  test(`on ${versions.length} versions`, () => {
    expect(versions.length).toBe(1000);
    const step = versionStep(false);
    const script = path.join(work, 'validate.sh');
    fs.writeFileSync(script, step.run!);
    const list = path.join(work, 'versions.txt');
    fs.writeFileSync(list, versions.join('\n') + '\n');
    // one bash loop runs the script once per version, reporting accept/reject and the prerelease flag
    const loop = `out="$WORK/outputs"
    while IFS= read -r v; do
      : > "$out"
      if (export VERSION_INPUT="$v" GITHUB_OUTPUT="$out"; source "$SCRIPT") > /dev/null 2>&1; then
        while IFS= read -r line; do [[ "$line" == prerelease=* ]] && echo "1 $line"; done < "$out"
      else
        echo 0
      fi
    done < "$LIST"`;
    const r = spawnSync('bash', ['-c', loop], {
      env: { ...process.env, ...step.env, PRERELEASE_INPUT: 'false', SCRIPT: script, LIST: list, WORK: work },
      encoding: 'utf-8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const results = r.stdout.trim().split('\n');
    expect(results).toHaveLength(versions.length);
    const disagreements: string[] = [];
    versions.forEach((v, i) => {
      const canonical = pep440.valid(v) !== null && pep440.clean(v) === v && pep440.explain(v)!.local === null;
      const accepted = results[i].startsWith('1');
      if (accepted !== canonical) disagreements.push(`${v}: script ${accepted ? 'accepts' : 'rejects'}, pep440 says ${canonical ? 'canonical' : 'not canonical'}`);
      if (accepted && canonical && results[i] !== `1 prerelease=${pep440.explain(v)!.is_prerelease}`) {
        disagreements.push(`${v}: prerelease ${results[i]} vs ${pep440.explain(v)!.is_prerelease}`);
      }
    });
    expect(disagreements).toEqual([]);
    // the generator must produce both kinds, or the agreement means little
    const acceptedCount = results.filter((x) => x.startsWith('1')).length;
    expect(acceptedCount).toBeGreaterThan(75);
    expect(versions.length - acceptedCount).toBeGreaterThan(100);
  });
});
