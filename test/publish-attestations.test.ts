import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttestationCheck } from '../src';
import { E2E_TOOLS } from './helpers/e2e/pipelines';
import { stepOf } from './helpers/project';
import { buildPackage, releaseDir } from './helpers/publish/packages';
import { attestAll, REPO, synthPublish, VerifyRun, VerifyRunner, WORKFLOW_TOKEN } from './helpers/publish/verify-run';
import { describeWithTools } from './helpers/tools';

/**
 * publish.yml's verify job refuses, before anything is uploaded, a release whose files lack an
 * artifact attestation from this repository's release workflow on the release branch.
 *
 * GitHub's attestation API and Sigstore cannot run here: `gh attestation verify` is a stand-in
 * (test/helpers/publish/attesting-gh.ts) that decides from a table of attestations by sha256,
 * applying the checks gh applies for the flags the script passes (the subject digest, the
 * repository, `--signer-workflow` as gh's SAN regular expression, `--source-ref` exactly).
 * What it proves: the script asks for the right identity, for every file, and fails on any
 * refusal with a message naming the file; not that GitHub's verification works.
 */
describeWithTools('publish.yml verifies the artifact attestations of the release files', E2E_TOOLS, () => {
  let root: string;
  let assets: Record<string, Buffer>;
  let runner: VerifyRunner;
  let names: { wheel: string; sdist: string };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-attest-'));
    const built = await buildPackage(root, { name: 'sample-pkg', version: '1.2.0', sdist: true });
    const dir = releaseDir(path.join(root, 'release'), built.files);
    assets = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    names = { wheel: path.basename(built.wheel), sdist: path.basename(built.sdist!) };
    runner = new VerifyRunner(root, synthPublish());
  }, 120_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const attestationCalls = (run: VerifyRun) => run.attestations.calls.filter((c) => c.args[0] === 'attestation' && c.args[1] === 'verify' && !c.args.includes('--help'));

  test('a release whose every file release.yml attested on main passes, and each file is checked with the exact identity', () => {
    const run = runner.run('v1.2.0', { assets }, { attest: (gh, dir) => attestAll(gh, dir) });
    if (!run.job.ok) throw new Error(run.job.log());
    expect(run.job.ran).toContain('attestations');
    const calls = attestationCalls(run);
    expect(calls.map((c) => path.basename(c.args[2])).sort()).toEqual(['SHA256SUMS', names.sdist, names.wheel].sort());
    for (const call of calls) {
      // --cert-identity is exact; gh's --signer-workflow was an unanchored prefix (release.yml.evil.yml passed)
      expect(call.args.slice(3)).toEqual(['--repo', REPO, '--cert-identity', `https://github.com/${REPO}/.github/workflows/release.yml@refs/heads/main`, '--source-ref', 'refs/heads/main']);
      expect(call.token).toBe(WORKFLOW_TOKEN);
    }
    expect(run.job.step('attestations').output).toContain(`${names.wheel}: attested by ${REPO}/.github/workflows/release.yml on refs/heads/main`);
    // before anything is handed on to the publishing jobs
    const ids = run.job.results.map((r) => r.id);
    expect(ids.indexOf('attestations')).toBeLessThan(ids.indexOf('upload'));
  });

  test('a file without an attestation (uploaded by hand) is refused, naming it', () => {
    const run = runner.run('v1.2.0', { assets }, {
      attest: (gh, dir) => {
        for (const f of [names.sdist, 'SHA256SUMS']) gh.attest(path.join(dir, f), { repo: REPO, workflow: `${REPO}/.github/workflows/release.yml`, sourceRef: 'refs/heads/main' });
      },
    });
    expect(run.job.failed?.id).toBe('attestations');
    expect(run.job.failed?.output).toContain(`::error title=No attestation::${names.wheel} has no artifact attestation in ${REPO}`);
    expect(run.job.failed?.output).not.toContain(`::error title=No attestation::${names.sdist}`);
    expect(run.job.ran).not.toContain('upload');
  });

  test('files swapped after the release (new wheel and new SHA256SUMS, consistent with each other) are refused', async () => {
    const other = await buildPackage(root, { name: 'sample-pkg', version: '1.2.0', sdist: true }, 'swapped');
    const swappedDir = releaseDir(path.join(root, 'swapped'), other.files);
    const swapped = Object.fromEntries(fs.readdirSync(swappedDir).map((f) => [f, fs.readFileSync(path.join(swappedDir, f))]));
    // the original files were attested; the swapped ones were not
    const originals = path.join(root, 'release');
    const run = runner.run('v1.2.0', { assets: swapped }, { attest: (gh) => attestAll(gh, originals) });
    expect(run.job.failed?.id).toBe('attestations');
    for (const f of [names.wheel, names.sdist, 'SHA256SUMS']) expect(run.job.failed?.output).toContain(`::error title=No attestation::${f} has no artifact attestation`);
  }, 60_000);

  test.each([
    ['another workflow of this repository', `${REPO}/.github/workflows/build-by-hand.yml`, 'refs/heads/main'],
    ['a workflow whose name only starts like release.yml', `${REPO}/.github/workflows/release.yml.evil.yml`, 'refs/heads/main'],
    ['release.yml run on another branch', `${REPO}/.github/workflows/release.yml`, 'refs/heads/feature'],
    ['release.yml of another repository', 'mallory/sample-pkg/.github/workflows/release.yml', 'refs/heads/main'],
  ])('files signed by %s are refused', (_what, workflow, sourceRef) => {
    const run = runner.run('v1.2.0', { assets }, {
      attest: (gh, dir) => {
        for (const f of fs.readdirSync(dir)) gh.attest(path.join(dir, f), { repo: workflow.startsWith(REPO) ? REPO : 'mallory/sample-pkg', workflow, sourceRef });
      },
    });
    expect(run.job.failed?.id).toBe('attestations');
    expect(run.job.failed?.output).toMatch(new RegExp(`::error title=(No attestation|Wrong attestation)::${names.wheel.replace(/[.]/g, '\\.')} has `));
    expect(run.job.failed?.output).toContain(`release workflow ${REPO}/.github/workflows/release.yml on refs/heads/main`);
  });

  test('files attested by release.yml of main, but from a run on another branch, are refused (--source-ref)', () => {
    // a reusable-workflow call: the certificate names the called release.yml@main, the source ref is the caller's branch
    const run = runner.run('v1.2.0', { assets }, {
      attest: (gh, dir) => {
        for (const f of fs.readdirSync(dir)) {
          gh.attest(path.join(dir, f), { repo: REPO, workflow: `${REPO}/.github/workflows/release.yml`, workflowRef: 'refs/heads/main', sourceRef: 'refs/heads/feature' });
        }
      },
    });
    expect(run.job.failed?.id).toBe('attestations');
    expect(run.job.failed?.output).toContain('gh: Error: expected SourceRepositoryRef to be refs/heads/main, got refs/heads/feature');
    expect(run.job.failed?.output).toContain(`::error title=Wrong attestation::${names.wheel} has no attestation that gh accepts from the release workflow ${REPO}/.github/workflows/release.yml on refs/heads/main`);
    expect(run.job.ran).not.toContain('upload');
  });

  test('gh output is shown, but cannot forge workflow commands', () => {
    const run = runner.run('v1.2.0', { assets }, {});
    const output = run.job.failed?.output ?? '';
    expect(output).toContain('gh: ✗ No attestations found for subject sha256:');
    for (const line of output.split('\n').filter((l) => l.trimStart().startsWith('::'))) expect(line).toMatch(/^::error title=(No attestation|Not attested)::/);
  });

  test('an old gh without --source-ref fails with a clear message instead of checking less', () => {
    const old = runner.run('v1.2.0', { assets }, {
      attest: (gh, dir) => {
        attestAll(gh, dir);
        Object.assign(gh.env, { FAKE_GH_OLD: '1' });
      },
    });
    expect(old.job.failed?.id).toBe('attestations');
    expect(old.job.failed?.output).toContain('::error title=gh too old::');
  });

  test('the release workflow file and branch are options; a monorepo package defaults to release-<dist>.yml', () => {
    const custom = synthPublish({ releaseWorkflowFile: 'ship.yml', releaseBranch: 'trunk' });
    expect(stepOf(custom, 'verify', 'attestations').env).toMatchObject({ RELEASE_WORKFLOW_FILE: 'ship.yml', RELEASE_BRANCH: 'trunk' });
    const mono = synthPublish({ packageDir: 'packages/sample-pkg' });
    expect(stepOf(mono, 'verify', 'attestations').env).toMatchObject({ RELEASE_WORKFLOW_FILE: 'release-sample-pkg.yml', RELEASE_BRANCH: 'main' });
    const run = new VerifyRunner(path.join(root, 'custom'), custom).run('v1.2.0', { assets }, {
      attest: (gh, dir) => attestAll(gh, dir, `${REPO}/.github/workflows/ship.yml`, 'refs/heads/trunk'),
    });
    if (!run.job.ok) throw new Error(run.job.log());
    const refused = new VerifyRunner(path.join(root, 'custom2'), custom).run('v1.2.0', { assets }, { attest: (gh, dir) => attestAll(gh, dir) });
    expect(refused.job.failed?.id).toBe('attestations');
  });

  test('the verify job may read attestations, and nothing more than it needs', () => {
    const wf = synthPublish();
    expect(wf.jobs.verify.permissions).toEqual({ attestations: 'read', contents: 'read' });
  });

  test('AttestationCheck.off() (private repositories whose plan lacks attestations): no step, no permission', () => {
    const wf = synthPublish({ attestations: AttestationCheck.off() });
    expect(wf.jobs.verify.steps.map((s) => s.id)).not.toContain('attestations');
    expect(wf.jobs.verify.permissions).toEqual({ contents: 'read' });
    const run = new VerifyRunner(path.join(root, 'off'), wf).run('v1.2.0', { assets }, {});
    if (!run.job.ok) throw new Error(run.job.log());
    expect(run.attestations.calls.filter((c) => c.args[0] === 'attestation')).toEqual([]);
  });
});
