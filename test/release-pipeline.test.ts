import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { PythonReleasePipeline, PythonReleasePipelineOptions, ReleaseCredentials } from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { allSteps, needsOf, newProject, parseWorkflow, stepOf, synthWorkflows, Workflow } from './helpers/project';

interface Synthesized {
  wf: Workflow;
  text: string;
  project: Project;
  pipeline: PythonReleasePipeline;
}

function release(options: PythonReleasePipelineOptions = {}, project: Project = newProject()): Synthesized {
  const pipeline = new PythonReleasePipeline(project, options);
  const files = synthWorkflows(project);
  return { wf: parseWorkflow(files['release.yml']), text: files['release.yml'], project, pipeline };
}

describe('release.yml (defaults)', () => {
  const { wf, text, project } = release();

  test('matches the snapshot', () => {
    expect(text).toMatchSnapshot();
  });

  test('actionlint and shellcheck report nothing', async () => {
    const findings = await lintWorkflows({ 'release.yml': text });
    expect(formatFindings(findings)).toBe('');
  });

  test('is run by hand with version, prerelease and force_recreate', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const inputs = wf.on.workflow_dispatch.inputs;
    expect(inputs.version).toMatchObject({ required: true, type: 'string' });
    expect(inputs.prerelease).toMatchObject({ type: 'boolean', default: false });
    expect(inputs.force_recreate).toMatchObject({ type: 'boolean', default: false });
  });

  test('is named, queues runs and grants nothing at the top', () => {
    expect(wf.name).toBe('Release');
    expect(wf.permissions).toEqual({});
    expect(text).toMatch(/^on:[\s\S]*^permissions: \{\}\n^concurrency:/m);
    expect(wf.concurrency).toEqual({ 'group': 'release', 'cancel-in-progress': false });
    for (const job of Object.values(wf.jobs)) expect(job.name).toBeTruthy();
  });

  test('validates the version before anything else', () => {
    expect(needsOf(wf.jobs.validate)).toEqual([]);
    for (const [id, job] of Object.entries(wf.jobs)) {
      if (id !== 'validate') expect(needsOf(job)).toContain('validate');
    }
    expect(wf.jobs.validate.steps.map((s) => s.id)).toEqual(['branch', 'version', 'tag-available']);
    expect(stepOf(wf, 'validate', 'version').env).toMatchObject({
      VERSION_INPUT: '${{ inputs.version }}', VERSION_SCHEME: 'pep440', TAG_PREFIX: 'v', ALLOW_V_PREFIX: 'true',
    });
    expect(stepOf(wf, 'validate', 'tag-available').env).toMatchObject({ FORCE_RECREATE: '${{ inputs.force_recreate }}' });
  });

  test('runs the checks and tests in parallel, read-only, and uploads coverage', () => {
    for (const id of ['lint', 'type-check', 'security-check', 'test']) {
      expect(needsOf(wf.jobs[id])).toEqual(['validate']);
      expect(wf.jobs[id].permissions).toEqual({ contents: 'read' });
    }
    expect(stepOf(wf, 'lint', 'lint').run).toBe('pixi run lint\n');
    expect(stepOf(wf, 'type-check', 'type-check').run).toBe('pixi run type-check\n');
    expect(stepOf(wf, 'security-check', 'security-check').run).toBe('pixi run security-check\n');
    expect(stepOf(wf, 'test', 'test').run).toBe('pixi run test\n');
    const upload = stepOf(wf, 'test', 'upload-coverage');
    expect(upload.uses).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/);
    expect(upload.with).toMatchObject({ 'name': 'coverage-report', 'path': 'coverage.xml', 'if-no-files-found': 'error' });
    expect(stepOf(wf, 'test', 'setup-pixi').with).toMatchObject({ cache: true, locked: true });
  });

  test('the release job waits for every check and does the steps in order', () => {
    expect(needsOf(wf.jobs.release).sort()).toEqual(['lint', 'security-check', 'test', 'type-check', 'validate']);
    expect(wf.jobs.release.steps.map((s) => s.id)).toEqual([
      'checkout', 'setup-pixi', 'install-release-tools', 'delete-existing-release', 'set-version',
      'changelog', 'commit', 'build', 'verify', 'checksums', 'push', 'github-release',
    ]);
  });

  test('the release job checks out full history without persisting credentials and never caches', () => {
    expect(stepOf(wf, 'release', 'checkout').with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    expect(stepOf(wf, 'release', 'setup-pixi').with).toMatchObject({ cache: false });
    expect(text).not.toMatch(/actions\/cache@/);
  });

  test('pushes and releases with RELEASE_PAT, never GITHUB_TOKEN, which would not start publish.yml', () => {
    expect(stepOf(wf, 'release', 'push').env).toMatchObject({ RELEASE_TOKEN: '${{ secrets.RELEASE_PAT }}', RELEASE_BRANCH: 'main' });
    expect(stepOf(wf, 'release', 'github-release').env).toMatchObject({ GH_TOKEN: '${{ secrets.RELEASE_PAT }}' });
    expect(stepOf(wf, 'release', 'delete-existing-release')).toMatchObject({ if: '${{ inputs.force_recreate }}' });
    // the workflow token needs no write access: the PAT does the writing
    expect(wf.jobs.release.permissions).toEqual({ contents: 'read' });
    expect(stepOf(wf, 'release', 'push').run).toContain('git push --atomic origin "HEAD:refs/heads/$RELEASE_BRANCH" "refs/tags/$TAG"');
  });

  test('sets the version in pyproject.toml, updates CHANGELOG.md with git-cliff and attaches the files', () => {
    expect(stepOf(wf, 'release', 'set-version').run).toContain('[project].version');
    expect(stepOf(wf, 'release', 'changelog').env).toMatchObject({ CHANGELOG_FILE: 'CHANGELOG.md', CLIFF_CONFIG: 'cliff.toml' });
    expect(stepOf(wf, 'release', 'changelog').run).toContain('--unreleased --tag "$TAG"');
    expect(stepOf(wf, 'release', 'github-release').run).toContain('"$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz "$DIST_DIR/SHA256SUMS"');
    expect(stepOf(wf, 'release', 'github-release').env).toMatchObject({ PRERELEASE: '${{ needs.validate.outputs.prerelease }}' });
    expect(stepOf(wf, 'release', 'build').run).toBe('pixi run build\n');
    expect(stepOf(wf, 'release', 'verify').run).toContain('twine check --strict');
  });

  test('no ${{ }} inside any run: script', () => {
    for (const { step } of allSteps(wf)) {
      if (step.run) expect(step.run).not.toContain('${{');
    }
  });

  test('every action is pinned by SHA with a version comment', () => {
    const uses = text.split('\n').filter((l) => /^\s*uses:/.test(l));
    expect(uses.length).toBeGreaterThan(5);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('writes a git-cliff config for conventional commits', () => {
    const cliff = fs.readFileSync(path.join(project.outdir, 'cliff.toml'), 'utf-8');
    expect(cliff).toContain('conventional_commits = true');
    expect(cliff).toContain('tag_pattern = "^v[0-9]"');
    expect(cliff).toContain('~~ Generated by projen');
  });
});

describe('release.yml options', () => {
  test('a GitHub App token instead of a PAT', () => {
    const { wf, text } = release({ credentials: ReleaseCredentials.githubApp() });
    const token = stepOf(wf, 'release', 'generate_token');
    expect(token.uses).toMatch(/^actions\/create-github-app-token@[0-9a-f]{40}$/);
    expect(token.with).toMatchObject({ 'app-id': '${{ secrets.RELEASE_APP_ID }}', 'permission-contents': 'write' });
    expect(stepOf(wf, 'release', 'push').env!.RELEASE_TOKEN).toBe('${{ steps.generate_token.outputs.token }}');
    expect(text).toMatch(/create-github-app-token@[0-9a-f]{40} # v3\.1\.1/);
  });

  test('a custom PAT secret, tag prefix and release branch', () => {
    const { wf } = release({ credentials: ReleaseCredentials.personalAccessToken('MY_TOKEN'), tagPrefix: 'release-', releaseBranch: 'trunk' });
    expect(stepOf(wf, 'validate', 'version').env!.TAG_PREFIX).toBe('release-');
    expect(stepOf(wf, 'validate', 'branch').env!.RELEASE_BRANCH).toBe('trunk');
    expect(stepOf(wf, 'release', 'push').env).toMatchObject({ RELEASE_TOKEN: '${{ secrets.MY_TOKEN }}', RELEASE_BRANCH: 'trunk' });
  });

  test('a user cliff.toml is used, not overwritten', () => {
    const project = newProject();
    fs.writeFileSync(path.join(project.outdir, 'cliff.toml'), '# mine\n');
    const { pipeline } = release({}, project);
    expect(pipeline.changelogConfig.generated).toBe(false);
    expect(fs.readFileSync(path.join(project.outdir, 'cliff.toml'), 'utf-8')).toBe('# mine\n');
  });
});

describe('bad options fail at synth time, naming the option', () => {
  test.each<[string, () => void, RegExp]>([
    ['empty tag prefix', () => new PythonReleasePipeline(newProject(), { tagPrefix: '' }), /tagPrefix "" must be non-empty/],
    ['bad release branch', () => new PythonReleasePipeline(newProject(), { releaseBranch: 'a..b' }), /releaseBranch "a\.\.b"/],
    ['bad secret name', () => ReleaseCredentials.personalAccessToken('bad-name'), /secretName "bad-name"/],
    ['bad distribution name', () => new PythonReleasePipeline(newProject(), { distributionName: '-x' }), /distributionName "-x"/],
    ['empty pythonVersions', () => new PythonReleasePipeline(newProject(), { pythonVersions: [] }), /pythonVersions is empty/],
    ['no GitHub component', () => new PythonReleasePipeline(new Project({ name: 'x', outdir: fs.mkdtempSync('/tmp/ppp-') })), /needs projen's GitHub component.*github: true/],
    ['two pipelines on one file', () => {
      const p = newProject();
      new PythonReleasePipeline(p);
      new PythonReleasePipeline(p, { workflowName: 'Other' });
    }, /already generated by workflow "Release"/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
