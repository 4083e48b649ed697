import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { PythonReleasePipeline, PythonReleasePipelineOptions, ReleaseCredentials, RulesetBypass } from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { allSteps, needsOf, newProject, parseWorkflow, stepOf, synthWorkflows, tempDir, Workflow } from './helpers/project';

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

  test('is run by hand with version, prerelease, draft and force_recreate', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const inputs = wf.on.workflow_dispatch.inputs;
    expect(inputs.version).toMatchObject({ required: true, type: 'string' });
    for (const flag of ['prerelease', 'draft', 'force_recreate']) expect(inputs[flag]).toMatchObject({ type: 'boolean', default: false });
  });

  test('is named, queues runs and grants nothing at the top', () => {
    expect(wf.name).toBe('Release');
    expect(wf.permissions).toEqual({});
    expect(text).toMatch(/^on:[\s\S]*^permissions: \{\}\n^concurrency:/m);
    expect(wf.concurrency).toEqual({ 'group': 'release', 'cancel-in-progress': false });
    for (const job of Object.values(wf.jobs)) expect(job.name).toBeTruthy();
  });

  test('the checks start with validate; build waits for all of them; attest, then release', () => {
    expect(Object.keys(wf.jobs)).toEqual(['validate', 'lint', 'type-check', 'security-check', 'test', 'build', 'attest', 'release']);
    for (const id of ['validate', 'lint', 'type-check', 'security-check', 'test']) expect(needsOf(wf.jobs[id])).toEqual([]);
    expect(needsOf(wf.jobs.build)).toEqual(['validate', 'lint', 'type-check', 'security-check', 'test']);
    expect(needsOf(wf.jobs.attest)).toEqual(['build']);
    expect(needsOf(wf.jobs.release)).toEqual(['validate', 'build', 'attest']);
    expect(wf.jobs.validate.steps.map((s) => s.id)).toEqual(['branch', 'version', 'tag-available', 'checkout', 'pixi-lock', 'action-updates']);
    expect(stepOf(wf, 'validate', 'version').env).toMatchObject({
      VERSION_INPUT: '${{ inputs.version }}', VERSION_SCHEME: 'pep440', TAG_PREFIX: 'v', ALLOW_V_PREFIX: 'true',
    });
    expect(stepOf(wf, 'validate', 'tag-available').env).toMatchObject({ FORCE_RECREATE: '${{ inputs.force_recreate }}' });
  });

  test('runs the checks and tests in parallel, read-only, and uploads coverage', () => {
    for (const id of ['lint', 'type-check', 'security-check', 'test']) {
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

  test('the build job runs the project\'s code with no environment, no secret and read-only, and never pushes', () => {
    const build = wf.jobs.build;
    expect(build.steps.map((s) => s.id)).toEqual([
      'checkout', 'setup-pixi', 'install-release-tools', 'set-version', 'changelog', 'commit', 'build', 'verify', 'checksums', 'stage', 'upload',
    ]);
    expect(build.environment).toBeUndefined();
    expect(build.permissions).toEqual({ contents: 'read' });
    expect(JSON.stringify(build)).not.toMatch(/secrets\.|github\.token/);
    expect(JSON.stringify(build)).not.toMatch(/git push/);
    expect(stepOf(wf, 'build', 'checkout').with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0 });
    expect(stepOf(wf, 'build', 'setup-pixi').with).toMatchObject({ cache: false });
    expect(stepOf(wf, 'build', 'upload').with).toMatchObject({ name: 'release-files', path: '${{ runner.temp }}/release-files' });
    expect(build.outputs).toEqual({ commit: '${{ steps.stage.outputs.commit }}' });
    expect(text).not.toMatch(/actions\/cache@/);
  });

  test('the attest job signs the release files and holds only what that needs', () => {
    const attest = wf.jobs.attest;
    expect(attest.steps.map((s) => s.uses!.split('@')[0])).toEqual(['actions/download-artifact', 'actions/attest']);
    expect(attest.permissions).toEqual({ 'attestations': 'write', 'contents': 'read', 'id-token': 'write' });
    expect(stepOf(wf, 'attest', 'attest').with!['subject-path']).toBe(
      '${{ runner.temp }}/release-files/*.whl\n${{ runner.temp }}/release-files/*.tar.gz\n${{ runner.temp }}/release-files/SHA256SUMS');
    expect(text).toMatch(/id-token: write # sign the attestations/);
    expect(text).toMatch(/attestations: write # store the attestations/);
  });

  test('only the release job holds the release token; it runs no project code and installs nothing', () => {
    const job = wf.jobs.release;
    expect(job.environment).toEqual({ name: 'release' });
    expect(job.steps.map((s) => s.id)).toEqual(['checkout', 'download', 'checksums', 'release-commit', 'delete-existing-release', 'push', 'github-release']);
    expect(job.steps.filter((s) => s.uses).map((s) => s.uses!.split('@')[0])).toEqual(['actions/checkout', 'actions/download-artifact']);
    const scripts = job.steps.map((s) => s.run ?? '').join('\n');
    expect(scripts).not.toMatch(/\b(pixi|pip|pipx|uv|python3?|hatch|poetry|git-cliff|twine|npm|npx)\b/);
    expect(stepOf(wf, 'release', 'checkout').with).toEqual({ 'persist-credentials': false, 'fetch-depth': 1 });
    expect(stepOf(wf, 'release', 'push').env).toMatchObject({
      RELEASE_TOKEN: '${{ secrets.RELEASE_PAT }}', RELEASE_BRANCH: 'main', COMMIT: '${{ steps.release-commit.outputs.commit }}',
    });
    expect(stepOf(wf, 'release', 'github-release').env).toMatchObject({ GH_TOKEN: '${{ secrets.RELEASE_PAT }}', DRAFT: '${{ inputs.draft }}' });
    expect(stepOf(wf, 'release', 'delete-existing-release')).toMatchObject({ if: '${{ inputs.force_recreate }}' });
    expect(stepOf(wf, 'release', 'release-commit').env!.ALLOWED_FILES.split('\n')).toEqual([
      'any CHANGELOG.md', 'version pyproject.toml', 'version uv.lock', 'version pixi.lock', 'version poetry.lock', 'version pylock.toml',
    ]);
    // the workflow token needs no write access: the PAT does the writing
    expect(job.permissions).toEqual({ contents: 'read' });
    for (const [id, other] of Object.entries(wf.jobs)) {
      if (id !== 'release') expect(JSON.stringify(other)).not.toContain('secrets.');
    }
  });

  test('sets the version in pyproject.toml (and pixi.lock), updates CHANGELOG.md with git-cliff', () => {
    expect(stepOf(wf, 'build', 'set-version').run).toContain('[project].version');
    expect(stepOf(wf, 'build', 'set-version').run).toMatch(/\npixi lock\n$/);
    expect(stepOf(wf, 'build', 'changelog').env).toMatchObject({ CHANGELOG_FILE: 'CHANGELOG.md', CLIFF_CONFIG: 'cliff.toml' });
    expect(stepOf(wf, 'build', 'build').run).toBe('pixi run build\n');
    expect(stepOf(wf, 'release', 'github-release').env).toMatchObject({ PRERELEASE: '${{ needs.validate.outputs.prerelease }}' });
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
    expect(token.with).toEqual({
      'client-id': '${{ secrets.RELEASE_APP_CLIENT_ID }}', 'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}', 'permission-contents': 'write',
    });
    // the App's key is read in the release job only
    expect(Object.keys(wf.jobs).filter((id) => JSON.stringify(wf.jobs[id]).includes('RELEASE_APP_PRIVATE_KEY'))).toEqual(['release']);
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

describe('the release job runs no project code, and its steps cannot go silently', () => {
  test.each<[string, object]>([
    ['a toolchain set up', { name: 'Set up Python', uses: 'actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97' }],
    ['a build', { name: 'Build again', run: 'uv build\n' }],
    ['a package install', { name: 'Tools', run: 'pipx install twine==7.0.0\n' }],
  ])('%s in the release job is refused at synth, naming the step and the build job', (_what, step) => {
    const project = newProject();
    const pipeline = new PythonReleasePipeline(project);
    pipeline.releaseJob.insertStepBefore('push', 'mine', step as any);
    expect(() => synthWorkflows(project)).toThrow(/release\.yml: step "mine" of the release job would run the project's code .*Add it to the build job \(pipeline\.buildJob\)/);
  });

  test('a user step in a job without an environment may not read a secret; with one it may', () => {
    const project = newProject();
    const pipeline = new PythonReleasePipeline(project);
    pipeline.buildJob.addStep('leak', { name: 'Sign', run: 'echo sign\n', env: { KEY: '${{ secrets.SIGNING_KEY }}' } });
    expect(() => synthWorkflows(project)).toThrow(/job "build" reads secrets\.SIGNING_KEY \(step leak\) but runs in no environment/);
  });

  test('an expression in actions/github-script\'s script is refused', () => {
    const pipeline = new PythonReleasePipeline(newProject());
    expect(() => pipeline.validateJob.addStep('js', { name: 'JS', uses: 'actions/github-script@'+'f'.repeat(40), with: { script: 'core.info("${{ inputs.version }}")' } }))
      .toThrow(/input "script" of actions\/github-script is a script, and it contains a \$\{\{ \}\} expression/);
  });

  test.each([['build', 'verify'], ['build', 'checksums'], ['build', 'stage'], ['attest', 'attest'], ['release', 'release-commit'], ['release', 'push'], ['release', 'github-release']])(
    'removing %s/%s is refused unless told what replaces it', (job, step) => {
      const pipeline = new PythonReleasePipeline(newProject());
      expect(() => pipeline.findJob(job).removeStep(step)).toThrow(new RegExp(`step "${step}" cannot be removed silently`));
      pipeline.findJob(job).removeStep(step, 'our own step does it');
      expect(pipeline.findJob(job).tryFindStep(step)).toBeUndefined();
    });
});

describe('release rulesets as code', () => {
  const rulesetsOf = (options: PythonReleasePipelineOptions) => {
    const { project } = release(options);
    return JSON.parse(fs.readFileSync(path.join(project.outdir, '.github/environments/environments.json'), 'utf-8')).rulesets;
  };

  test('with releaseIdentity only the release identity may create, move or delete the release tags', () => {
    expect(rulesetsOf({ releaseIdentity: RulesetBypass.user('acme-release-bot'), tagPrefix: 'pkg-v' })).toEqual([{
      name: 'release tags pkg-v*',
      target: 'tag',
      include: ['refs/tags/pkg-v*'],
      rules: ['creation', 'update', 'deletion'],
      bypass: [expect.objectContaining({ type: 'User', login: 'acme-release-bot' })],
    }]);
    expect(rulesetsOf({})).toEqual([]);
  });

  test('protectReleaseBranch adds a branch ruleset the release App bypasses; without an identity it is refused', () => {
    const rulesets = rulesetsOf({ releaseIdentity: RulesetBypass.githubApp('acme-release'), protectReleaseBranch: true, releaseBranch: 'trunk' });
    expect(rulesets.map((r: any) => [r.name, r.target, r.include, r.bypass])).toEqual([
      ['release branch trunk', 'branch', ['refs/heads/trunk'], [{ type: 'Integration', app: 'acme-release' }]],
      ['release tags v*', 'tag', ['refs/tags/v*'], [{ type: 'Integration', app: 'acme-release' }]],
    ]);
    expect(() => new PythonReleasePipeline(newProject(), { protectReleaseBranch: true })).toThrow(/protectReleaseBranch needs releaseIdentity/);
  });
});

describe('bad options fail at synth time, naming the option', () => {
  test.each<[string, () => void, RegExp]>([
    ['empty tag prefix', () => new PythonReleasePipeline(newProject(), { tagPrefix: '' }), /tagPrefix "" must be non-empty/],
    ['bad release branch', () => new PythonReleasePipeline(newProject(), { releaseBranch: 'a..b' }), /releaseBranch "a\.\.b"/],
    ['bad secret name', () => ReleaseCredentials.personalAccessToken('bad-name'), /secretName "bad-name"/],
    ['bad distribution name', () => new PythonReleasePipeline(newProject(), { distributionName: '-x' }), /distributionName "-x"/],
    ['empty pythonVersions', () => new PythonReleasePipeline(newProject(), { pythonVersions: [] }), /pythonVersions is empty/],
    ['no GitHub component', () => new PythonReleasePipeline(new Project({ name: 'x', outdir: tempDir() })), /needs projen's GitHub component.*github: true/],
    ['two pipelines on one file', () => {
      const p = newProject();
      new PythonReleasePipeline(p, { packageDir: 'a' });
      new PythonReleasePipeline(p, { packageDir: 'b', fileName: 'release-a.yml' });
    }, /release-a\.yml is already generated by workflow "Release a"/],
    ['two pipelines for the root package', () => {
      const p = newProject();
      new PythonReleasePipeline(p);
      new PythonReleasePipeline(p, { workflowName: 'Other' });
    }, /already has a release pipeline for the package at the repository root/],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
