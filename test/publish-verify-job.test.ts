import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttestationCheck, VersionScheme } from '../src';
import { Workflow } from './helpers/project';
import { describeWithTools, havePythonModule, haveTool, tool, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';
import { WRITE_CHECKSUMS } from '../src/scripts/distribution-scripts';
import { PUBLISH_SUMMARY } from '../src/scripts/publish-scripts';
import { machineEnv, publishWf } from './helpers/publish/pipeline';

describeWithTools('the verify job, executed', {
  'bash': haveTool('bash'),
  'sha256sum': haveTool('sha256sum'),
  'twine (tools)': haveTool(tool('twine')),
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
}, () => {
  let root: string;
  let built: string;
  let fakeBin: string;

  interface Release {
    tag: string;
    event?: string;
    ref?: string;
    /** `"<isDraft> <isPrerelease>"`, or undefined for no release */
    state?: string;
    assets: string;
  }

  interface JobRun {
    outputs: Record<string, string>;
    failedStep?: string;
    log: string;
    gh: string;
  }

  function runJob(wf: Workflow, jobId: string, release: Release, stopAfter?: string): JobRun {
    const job = wf.jobs[jobId];
    const work = fs.mkdtempSync(path.join(root, 'work-'));
    const ghLog = path.join(work, 'gh.log');
    fs.writeFileSync(ghLog, '');
    const outputs: Record<string, Record<string, string>> = {};
    const resolve = (value: string): string => value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
      if (expr === 'inputs.tag || github.event.release.tag_name') return release.tag;
      if (expr === 'github.repository') return 'octo/example';
      if (expr === 'github.token') return 'token';
      const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
      if (step) return outputs[step[1]]?.[step[2]] ?? '';
      throw new Error(`unknown expression ${expr}`);
    });
    let log = '';
    for (const step of job.steps) {
      // actions do not run here; twine comes from Debian instead of pipx (no PyPI on this machine)
      if (step.run === undefined || step.id === 'install-tools') continue;
      const outFile = path.join(work, `${step.id}.out`);
      fs.writeFileSync(outFile, '');
      const env: Record<string, string> = {
        ...machineEnv(),
        PATH: `${fakeBin}:${TOOLS_BIN}:${process.env.PATH}`,
        GITHUB_OUTPUT: outFile,
        GITHUB_EVENT_NAME: release.event ?? 'release',
        GITHUB_REF: release.ref ?? `refs/tags/${release.tag}`,
        GH_LOG: ghLog,
        FAKE_ASSETS: release.assets,
        ...(release.state !== undefined ? { FAKE_RELEASE_STATE: release.state } : {}),
      };
      for (const [k, v] of Object.entries({ ...job.env, ...step.env })) env[k] = resolve(String(v));
      const r = spawnSync('bash', ['-c', step.run], { cwd: work, env, encoding: 'utf-8' });
      log += `--- ${step.id}\n${r.stdout}${r.stderr}`;
      outputs[step.id] = Object.fromEntries(fs.readFileSync(outFile, 'utf-8').split('\n').filter(Boolean).map((l) => {
        const i = l.indexOf('=');
        return [l.slice(0, i), l.slice(i + 1)];
      }));
      if (r.status !== 0) return { outputs: {}, failedStep: step.id, log, gh: fs.readFileSync(ghLog, 'utf-8') };
      if (step.id === stopAfter) break;
    }
    const jobOutputs: Record<string, string> = {};
    for (const [name, expr] of Object.entries(job.outputs ?? {})) jobOutputs[name] = resolve(expr);
    return { outputs: jobOutputs, log, gh: fs.readFileSync(ghLog, 'utf-8') };
  }

  /** A directory of release assets: copies of the built files, then `mutate` applied. */
  function assets(name: string, mutate: (dir: string) => void = () => undefined): string {
    const dir = path.join(root, 'assets', name);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(built)) fs.copyFileSync(path.join(built, f), path.join(dir, f));
    mutate(dir);
    return dir;
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-verify-'));
    const src = path.join(root, 'src');
    fs.mkdirSync(path.join(src, 'example_pkg'), { recursive: true });
    fs.writeFileSync(path.join(src, 'README.md'), '# example-pkg\n\nAn example.\n');
    fs.writeFileSync(path.join(src, 'example_pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(src, 'pyproject.toml'), [
      '[build-system]', 'requires = ["hatchling"]', 'build-backend = "hatchling.build"',
      '[project]', 'name = "example-pkg"', 'version = "1.2.0"', 'readme = "README.md"', 'description = "An example"', '',
    ].join('\n'));
    built = path.join(root, 'built');
    const b = spawnSync(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', built, src], { encoding: 'utf-8' });
    if (b.status !== 0) throw new Error(b.stdout + b.stderr);
    // release.yml's own checksum script writes SHA256SUMS
    const sums = spawnSync('bash', ['-c', WRITE_CHECKSUMS], { cwd: root, env: { ...process.env, DIST_DIR: built }, encoding: 'utf-8' });
    if (sums.status !== 0) throw new Error(sums.stderr);
    fakeBin = path.join(root, 'bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'gh'), [
      '#!/usr/bin/env bash',
      'printf "%s\\n" "$*" >> "$GH_LOG"',
      'case "$1 $2" in',
      '  "release view")',
      '    if [[ -z "${FAKE_RELEASE_STATE:-}" ]]; then echo "release not found" >&2; exit 1; fi',
      '    echo "$FAKE_RELEASE_STATE" ;;',
      '  "release download")',
      '    shift 3; dir=.; patterns=()',
      '    while (( $# )); do case "$1" in --dir) dir=$2; shift 2 ;; --pattern) patterns+=("$2"); shift 2 ;; *) shift ;; esac; done',
      '    shopt -s nullglob; found=0',
      '    for p in "${patterns[@]}"; do for f in "$FAKE_ASSETS"/$p; do [[ -e "$f" ]] && cp "$f" "$dir/" && found=1; done; done',
      '    if (( ! found )); then echo "no assets match the file pattern" >&2; exit 1; fi ;;',
      '  *) echo "unexpected gh call: $*" >&2; exit 2 ;;',
      'esac',
      '',
    ].join('\n'), { mode: 0o755 });
  }, 60_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  // the attestations are checked against a gh stand-in in publish-attestations.test.ts
  const { wf } = publishWf({ attestations: AttestationCheck.off() });

  test('a good release passes every check and yields version, tag and prerelease', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('good') });
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs).toEqual({ version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' });
    expect(r.gh).toBe([
      'release view v1.2.0 --json isDraft,isPrerelease --jq "\\(.isDraft) \\(.isPrerelease)"',
      'release download v1.2.0 --dir dist --pattern *.whl --pattern *.tar.gz --pattern SHA256SUMS',
      '',
    ].join('\n'));
    expect(r.log).toMatch(/example_pkg-1\.2\.0-py\S+\.whl: OK/);
    expect(r.log).toContain('example_pkg-1.2.0.tar.gz: version 1.2.0');
    expect(r.log).not.toContain('::warning');
  });

  test('a GitHub prerelease is a prerelease', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false true', assets: assets('pre') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs.prerelease).toBe('true');
  });

  test('a dispatched run not on the tag warns, and goes on', () => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', event: 'workflow_dispatch', ref: 'refs/heads/main', assets: assets('dispatch') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.log).toContain('::warning title=Not run from the tag::This run is on refs/heads/main, not on refs/tags/v1.2.0');
    expect(r.log).toContain('gh workflow run publish.yml --ref v1.2.0 -f tag=v1.2.0');
    expect(r.outputs.version).toBe('1.2.0');
    const onTag = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', event: 'workflow_dispatch', ref: 'refs/tags/v1.2.0', assets: assets('dispatch') }, 'version');
    expect(onTag.log).not.toContain('::warning');
  });

  test.each<[string, Partial<Release>, (dir: string) => void, string, RegExp]>([
    ['another package\'s tag', { tag: 'bar-v1.2.0' }, () => undefined, 'tag', /::error title=Wrong tag::Tag bar-v1\.2\.0 does not start with v/],
    ['no tag', { tag: '' }, () => undefined, 'tag', /::error title=No tag::/],
    ['no release', { state: undefined }, () => undefined, 'tag', /::error title=No release::No published GitHub release for tag v1\.2\.0.*release not found/],
    ['a draft', { state: 'true false' }, () => undefined, 'tag', /::error title=Draft release::/],
    ['a tag that is no version', { tag: 'vnext' }, () => undefined, 'version', /::error title=Invalid version::not a canonical PEP 440 version/],
    ['missing sdist and SHA256SUMS', {}, (d) => {
      for (const f of fs.readdirSync(d)) if (!f.endsWith('.whl')) fs.rmSync(path.join(d, f));
    }, 'download', /::error title=Missing assets::The release v1\.2\.0 lacks an sdist \(\*\.tar\.gz\), SHA256SUMS\./],
    ['no assets at all', {}, (d) => fs.rmSync(d, { recursive: true, force: true }), 'download', /::error title=Download failed::/],
    ['a file that does not match SHA256SUMS', {}, (d) => {
      fs.appendFileSync(path.join(d, fs.readdirSync(d).find((f) => f.endsWith('.tar.gz'))!), 'tampered');
    }, 'checksums', /::error title=Checksum mismatch::/],
    ['a wheel not listed in SHA256SUMS', {}, (d) => {
      fs.copyFileSync(path.join(d, fs.readdirSync(d).find((f) => f.endsWith('.whl'))!), path.join(d, 'example_pkg-1.2.0-py3-none-manylinux_2_17_x86_64.whl'));
    }, 'checksums', /::error title=Unlisted file::example_pkg-1\.2\.0-py3-none-manylinux_2_17_x86_64\.whl/],
    ['files of another version than the tag', { tag: 'v1.3.0' }, () => undefined, 'verify', /::error title=Wrong version::expected 1\.3\.0, but example_pkg-1\.2\.0/],
  ])('fails on %s', (name, release, mutate, step, message) => {
    const r = runJob(wf, 'verify', { tag: 'v1.2.0', state: 'false false', ...release, assets: assets(name.replace(/\W+/g, '-'), mutate) });
    expect(r.failedStep).toBe(step);
    expect(r.log).toMatch(message);
  });

  test('fails on files of another distribution', () => {
    const other = publishWf({ distributionName: 'other-pkg', attestations: AttestationCheck.off() }).wf;
    const r = runJob(other, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('other') });
    expect(r.failedStep).toBe('distribution-name');
    expect(r.log).toMatch(/::error title=Wrong distribution::expected distributions of other-pkg, got example_pkg-1\.2\.0/);
  });

  test('semver tags map to the PEP 440 version (release.yml\'s mapping), and monorepo prefixes are stripped', () => {
    const semver = publishWf({ versionScheme: VersionScheme.semver(), packageDir: 'packages/foo', distributionName: 'foo', attestations: AttestationCheck.off() }).wf;
    const r = runJob(semver, 'verify', { tag: 'foo-v1.2.0-rc.1', state: 'false false', assets: assets('semver') }, 'version');
    expect(r.failedStep).toBeUndefined();
    expect(r.outputs).toEqual({ version: '1.2.0rc1', tag: 'foo-v1.2.0-rc.1', prerelease: 'true' });
    const wrong = runJob(semver, 'verify', { tag: 'v1.2.0', state: 'false false', assets: assets('semver-wrong') }, 'version');
    expect(wrong.failedStep).toBe('tag');
  });

  describe('the summary', () => {
    function summary(env: Record<string, string>): string {
      const file = path.join(root, `summary-${Math.random().toString(36).slice(2)}.md`);
      const r = spawnSync('bash', ['-c', PUBLISH_SUMMARY], {
        env: { ...machineEnv(), GITHUB_STEP_SUMMARY: file, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/example', DIST_NAME: 'example-pkg', TAG: 'v1.2.0', ...env },
        encoding: 'utf-8',
      });
      expect(r.status).toBe(0);
      return fs.readFileSync(file, 'utf-8');
    }

    test('links the GitHub release and the version on TestPyPI and PyPI', () => {
      const text = summary({ VERSION: '1.2.0', VERIFY_RESULT: 'success', TESTPYPI_RESULT: 'success', INSTALL_RESULT: 'success', PYPI_RESULT: 'success' });
      expect(text).toContain('## Publication of example-pkg 1.2.0');
      expect(text).toContain('| Verify the GitHub release | ✅ success | [v1.2.0](https://github.com/octo/example/releases/tag/v1.2.0) |');
      expect(text).toContain('| Publish to TestPyPI | ✅ success | https://test.pypi.org/project/example-pkg/1.2.0/ |');
      expect(text).toContain('| Install from TestPyPI and smoke test | ✅ success | |');
      expect(text).toContain('| Publish to PyPI | ✅ success | https://pypi.org/project/example-pkg/1.2.0/ |');
    });

    test('reports failures and skipped stages, and leaves out stages that are not configured', () => {
      const failed = summary({ VERSION: '', VERIFY_RESULT: 'failure', PYPI_RESULT: 'skipped' });
      expect(failed).toContain('## Publication of example-pkg (version not verified)');
      expect(failed).toContain('| Verify the GitHub release | ❌ failure |');
      expect(failed).toContain('| Publish to PyPI | ⏭️ skipped | https://pypi.org/project/example-pkg/ |');
      expect(failed).not.toContain('TestPyPI');
    });
  });
});
