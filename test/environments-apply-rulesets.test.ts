import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { DeploymentPolicy, Environment, EnvironmentsConfig, RepositoryRuleset, RulesetBypass } from '../src';
import { api, mutating, REPO } from './helpers/environments/apply-project';
import { FakeGh, FakeResponse } from './helpers/environments/fake-gh';
import { requestProblems, responseProblems } from './helpers/environments/openapi';
import { newProject } from './helpers/project';
import { describeWithTools, haveTool, SYSTEM_PYTHON } from './helpers/tools';

describeWithTools('apply.cjs applies the release rulesets', { [SYSTEM_PYTHON]: haveTool(SYSTEM_PYTHON) }, () => {
  const project = newProject('example-pkg');
  const release = new Construct(project, 'Release');
  new Environment(release, 'release', { deploymentPolicy: DeploymentPolicy.branches('main') });
  RepositoryRuleset.releaseTags(release, 'Tags', { releaseIdentity: RulesetBypass.githubApp('acme-release'), alsoBypass: [RulesetBypass.repositoryRole('admin')] });
  RepositoryRuleset.releaseBranch(release, 'Branch', { releaseIdentity: RulesetBypass.githubApp('acme-release') });
  project.synth();
  const script = path.join(project.outdir, EnvironmentsConfig.SCRIPT_PATH);
  const gh = new FakeGh();
  afterAll(() => fs.rmSync(gh.dir, { recursive: true, force: true }));
  const RULESETS = 'repos/acme/widget/rulesets';
  const ruleset = (id: number, name: string, source: string) => ({ id, name, source_type: source, source: source === 'Repository' ? 'acme/widget' : 'acme', enforcement: 'active', target: 'tag' });
  const responses = (): Record<string, FakeResponse> => ({
    'repo view': { stdout: 'acme/widget\n' },
    'GET apps/acme-release': { status: 200, body: { id: 31337, slug: 'acme-release', name: 'Acme Release' } },
    [`GET ${REPO}/release/deployment-branch-policies`]: { status: 200, body: { total_count: 1, branch_policies: [{ id: 3, name: 'main', type: 'branch' }] } },
    // the tag ruleset exists; the organization's ruleset of the branch's name is not the repository's own
    [`GET ${RULESETS}`]: { status: 200, body: [ruleset(42, 'release tags v*', 'Repository'), ruleset(7, 'release branch main', 'Organization')] },
  });

  test('the canned listing is shaped as GitHub\'s OpenAPI description says', () => {
    expect(responseProblems('GET', RULESETS, 200, responses()[`GET ${RULESETS}`].body)).toEqual([]);
    expect(responseProblems('GET', RULESETS, 200, [{ id: 1, name: 'x' }]).join('\n')).toMatch(/must have required property/);
  });

  test('updates the repository\'s ruleset of the same name and creates the missing one, with the App\'s id as bypass actor', () => {
    const run = gh.run(script, [], responses());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(api(run.calls)).toEqual([
      'GET apps/acme-release',
      `PUT ${REPO}/release`,
      `GET ${REPO}/release/deployment-branch-policies?per_page=100&page=1`,
      `GET ${RULESETS}?per_page=100&page=1&includes_parents=false`,
      `POST ${RULESETS}`,
      `PUT ${RULESETS}/42`,
    ]);
    const post = run.calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({ name: 'release branch main', target: 'branch', bypass_actors: [{ actor_id: 31337, actor_type: 'Integration', bypass_mode: 'always' }] });
    const put = run.calls.find((c) => c.path === `${RULESETS}/42`)!;
    expect(put.body).toMatchObject({
      name: 'release tags v*',
      target: 'tag',
      enforcement: 'active',
      bypass_actors: [{ actor_id: 31337, actor_type: 'Integration' }, { actor_id: 5, actor_type: 'RepositoryRole' }],
      conditions: { ref_name: { include: ['refs/tags/v*'] } },
    });
    for (const c of run.calls.filter((x) => x.args[0] === 'api')) expect(requestProblems(c.method!, c.path!, c.body)).toEqual([]);
    expect(run.stdout).toContain('GitHub App acme-release has id 31337');
    expect(run.stdout).toContain('ruleset "release branch main" (refs/heads/main; bypass: GitHub App acme-release): created');
    expect(run.stdout).toContain('ruleset "release tags v*" (refs/tags/v*; bypass: GitHub App acme-release, repository role admin): updated');
  });

  test('--dry-run prints both ruleset requests with their bodies and sends neither', () => {
    const run = gh.run(script, ['--dry-run'], responses());
    expect(run.status).toBe(0);
    expect(mutating(run.calls)).toEqual([]);
    expect(run.stdout).toContain('Dry run for 1 environment(s) and 2 ruleset(s) to acme/widget with gh.');
    expect(run.stdout).toMatch(/\[dry-run\] POST repos\/acme\/widget\/rulesets\n +\{\n +"name": "release branch main",/);
    expect(run.stdout).toMatch(/\[dry-run\] PUT repos\/acme\/widget\/rulesets\/42\n +\{\n +"name": "release tags v\*",[\s\S]*"actor_id": 31337/);
    expect(run.stdout).toContain('ruleset "release tags v*" (refs/tags/v*; bypass: GitHub App acme-release, repository role admin): would be updated');
  });

  test('an unknown App stops before anything is changed, saying where its slug is', () => {
    const r = responses();
    delete r['GET apps/acme-release'];
    const run = gh.run(script, [], r);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('looking up bypass actor GitHub App acme-release of ruleset "release branch main" failed (HTTP 404 Not Found).');
    expect(run.stderr).toContain('https://github.com/apps/<slug>');
    expect(mutating(run.calls)).toEqual([]);
  });

  test('a 422 on a ruleset says what to check', () => {
    const r = responses();
    r[`POST ${RULESETS}`] = { status: 422, body: { message: 'Validation Failed', errors: ['Actor GitHub Actions integration must be part of the ruleset source or owner organization'] } };
    const run = gh.run(script, [], r);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('creating the branch ruleset "release branch main" of acme/widget failed (HTTP 422 Validation Failed: Actor GitHub Actions integration');
    expect(run.stderr).toContain('a GitHub App must be installed on it');
  });

  test('two rulesets of the repository with the name are refused rather than guessed', () => {
    const r = responses();
    r[`GET ${RULESETS}`] = { status: 200, body: [ruleset(42, 'release tags v*', 'Repository'), ruleset(43, 'release tags v*', 'Repository')] };
    const run = gh.run(script, [], r);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('acme/widget has 2 rulesets named "release tags v*"; delete all but one');
  });
});
