import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { EnvironmentsConfig, RepositoryRuleset, RulesetBypass } from '../src';
import { requestsOf, synthConfig } from './helpers/environments/config';
import { pathTemplate, requestProblems } from './helpers/environments/openapi';
import { newProject } from './helpers/project';

describe('layers', () => {
  const src = path.join(__dirname, '..', 'src');
  const importsOf = (file: string) => [...fs.readFileSync(path.join(src, file), 'utf-8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);

  test('the workflow model does not import the environments layer (the cycle is gone)', () => {
    for (const file of fs.readdirSync(path.join(src, 'workflow'))) {
      expect([file, importsOf(`workflow/${file}`).filter((i) => i.startsWith('../environments'))]).toEqual([file, []]);
    }
    expect(importsOf('workflow/environment.ts').sort()).toEqual(['./deployment-policy', './environments-registry', 'constructs']);
  });

  test('the ruleset model imports only constructs, itself and the workflow layer, so a pipeline may use it', () => {
    for (const file of ['environments/repository-ruleset.ts', 'environments/ruleset-bypass.ts']) {
      const imports = importsOf(file).filter((i) => !['constructs', './ruleset-bypass', '../workflow/environments-registry'].includes(i));
      expect([file, imports]).toEqual([file, []]);
    }
  });
});

describe('repository rulesets for the release tags and the release branch', () => {
  const project = newProject('example-pkg');
  const release = new Construct(project, 'Release');
  RepositoryRuleset.releaseTags(release, 'Tags', { releaseIdentity: RulesetBypass.user('acme-release-bot'), alsoBypass: [RulesetBypass.repositoryRole('admin')] });
  RepositoryRuleset.releaseBranch(release, 'Branch', { releaseIdentity: RulesetBypass.githubApp('acme-release'), requiredApprovals: 1 });
  const config = synthConfig(project);
  const ids = { 'user acme-release-bot': 101, 'app acme-release': 202 };
  const requests = requestsOf(project, ids);
  const create = (name: string) => requests.find((r) => r.method === 'POST' && r.body?.name === name)!;

  test('a ruleset alone brings the environments file and the apply task', () => {
    expect(config.environments).toEqual([]);
    expect(EnvironmentsConfig.of(project).rulesetNames).toEqual(['release branch main', 'release tags v*']);
    expect(project.tasks.tryFind('github:environments')).toBeDefined();
  });

  test('the file holds the rulesets as data: target, refs, rules and bypass actors', () => {
    expect(config.rulesets).toEqual([
      {
        name: 'release branch main',
        target: 'branch',
        include: ['refs/heads/main'],
        rules: ['deletion', 'non_fast_forward', 'pull_request'],
        requiredApprovals: 1,
        bypass: [{ type: 'Integration', app: 'acme-release' }],
      },
      {
        name: 'release tags v*',
        target: 'tag',
        include: ['refs/tags/v*'],
        rules: ['creation', 'update', 'deletion'],
        bypass: [{ type: 'User', login: 'acme-release-bot' }, { type: 'RepositoryRole', role: 'admin' }],
      },
    ]);
  });

  test('the tag ruleset: only the release identity (and admins, as asked) creates, moves or deletes v* tags', () => {
    expect(create('release tags v*').body).toEqual({
      name: 'release tags v*',
      target: 'tag',
      enforcement: 'active',
      bypass_actors: [
        { actor_id: 101, actor_type: 'User', bypass_mode: 'always' },
        { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      ],
      conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
      rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }],
    });
  });

  test('the branch ruleset: no deletion or force-push, pull requests for everyone but the release App', () => {
    expect(create('release branch main').body).toMatchObject({
      target: 'branch',
      bypass_actors: [{ actor_id: 202, actor_type: 'Integration', bypass_mode: 'always' }],
      conditions: { ref_name: { include: ['refs/heads/main'], exclude: [] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'pull_request', parameters: { required_approving_review_count: 1 } }],
    });
  });

  test('the look-ups, the listing, the creation and the update are valid according to GitHub\'s OpenAPI description', () => {
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET apps/acme-release',
      'GET users/acme-release-bot',
      'GET repos/acme/widget/rulesets?per_page=100&page=1&includes_parents=false',
      'POST repos/acme/widget/rulesets',
      'PUT repos/acme/widget/rulesets/1',
      'POST repos/acme/widget/rulesets',
      'PUT repos/acme/widget/rulesets/1',
    ]);
    for (const r of requests) expect(requestProblems(r.method, r.path, r.body)).toEqual([]);
    expect(pathTemplate('repos/acme/widget/rulesets/1')).toBe('/repos/{owner}/{repo}/rulesets/{ruleset_id}');
    // and the validator would catch a wrong actor type or target
    const body = create('release tags v*').body;
    expect(requestProblems('POST', 'repos/acme/widget/rulesets', { ...body, bypass_actors: [{ actor_id: 1, actor_type: 'Admin' }] }).join('\n')).toMatch(/allowed values/);
    expect(requestProblems('POST', 'repos/acme/widget/rulesets', { ...body, target: 'tags' }).join('\n')).toMatch(/allowed values/);
  });

  test('two packages protecting the same branch share one ruleset with both release identities', () => {
    const p = newProject();
    const [a, b] = [new Construct(p, 'A'), new Construct(p, 'B')];
    RepositoryRuleset.releaseBranch(a, 'Branch', { releaseIdentity: RulesetBypass.githubApp('release-a') });
    RepositoryRuleset.releaseBranch(b, 'Branch', { releaseIdentity: RulesetBypass.githubApp('release-b') });
    RepositoryRuleset.releaseTags(a, 'Tags', { tagPrefix: 'a-v', releaseIdentity: RulesetBypass.githubApp('release-a') });
    RepositoryRuleset.releaseTags(b, 'Tags', { tagPrefix: 'b-v', releaseIdentity: RulesetBypass.githubApp('release-b') });
    const rulesets = synthConfig(p).rulesets;
    expect(rulesets.map((r: any) => [r.name, r.include, r.bypass.map((x: any) => x.app)])).toEqual([
      ['release branch main', ['refs/heads/main'], ['release-a', 'release-b']],
      ['release tags a-v*', ['refs/tags/a-v*'], ['release-a']],
      ['release tags b-v*', ['refs/tags/b-v*'], ['release-b']],
    ]);
  });

  test('the same ruleset name with different rules is refused, naming both', () => {
    const p = newProject();
    RepositoryRuleset.releaseBranch(new Construct(p, 'A'), 'Branch', { releaseIdentity: RulesetBypass.user('bot') });
    RepositoryRuleset.releaseBranch(new Construct(p, 'B'), 'Branch', { releaseIdentity: RulesetBypass.user('bot'), requiredApprovals: 2 });
    expect(() => p.synth()).toThrow(/Ruleset "release branch main" is defined twice with different rules: requiredApprovals is 0 at [^ ]*\/A\/Branch but 2 at [^ ]*\/B\/Branch/);
  });

  test('ruleset names that differ only in case are refused', () => {
    const p = newProject();
    RepositoryRuleset.releaseTags(p, 'A', { releaseIdentity: RulesetBypass.user('bot'), name: 'Release tags' });
    RepositoryRuleset.releaseTags(p, 'B', { releaseIdentity: RulesetBypass.user('bot'), tagPrefix: 'w', name: 'release tags' });
    expect(() => p.synth()).toThrow(/Rulesets "Release tags" .* and "release tags" .* differ only in case/);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['a refs/ tag prefix', () => RepositoryRuleset.releaseTags(newProject(), 'T', { tagPrefix: 'refs/tags/v', releaseIdentity: RulesetBypass.user('bot') }), /RepositoryRuleset.releaseTags \(.*\/T\): tagPrefix "refs\/tags\/v" must be the tag's prefix without "refs\/tags\/"/],
    ['a tag prefix with a space', () => RepositoryRuleset.releaseTags(newProject(), 'T', { tagPrefix: 'v ', releaseIdentity: RulesetBypass.user('bot') }), /tagPrefix "v "/],
    ['a refs/ branch', () => RepositoryRuleset.releaseBranch(newProject(), 'B', { branch: 'refs/heads/main', releaseIdentity: RulesetBypass.user('bot') }), /releaseBranch \(.*\/B\): branch "refs\/heads\/main" must be a branch name without "refs\/heads\/"/],
    ['a branch pattern', () => RepositoryRuleset.releaseBranch(newProject(), 'B', { branch: 'release/*', releaseIdentity: RulesetBypass.user('bot') }), /branch "release\/\*" must be a branch name .* without wildcards/],
    ['eleven approvals', () => RepositoryRuleset.releaseBranch(newProject(), 'B', { requiredApprovals: 11, releaseIdentity: RulesetBypass.user('bot') }), /requiredApprovals must be a whole number from 0 to 10, got 11/],
    ['approvals without pull requests', () => RepositoryRuleset.releaseBranch(newProject(), 'B', { requirePullRequest: false, requiredApprovals: 1, releaseIdentity: RulesetBypass.user('bot') }), /requiredApprovals needs requirePullRequest/],
    ['no release identity (a JavaScript caller)', () => RepositoryRuleset.releaseTags(newProject(), 'T', {} as any), /releaseIdentity is required: RulesetBypass.user\(.*\) or RulesetBypass.githubApp/],
    ['a name with a newline', () => RepositoryRuleset.releaseTags(newProject(), 'T', { name: 'tags\nx', releaseIdentity: RulesetBypass.user('bot') }), /name "tags\nx" must be 1-100 letters/],
    ['a login with @', () => RulesetBypass.user('@bot'), /RulesetBypass.user: "@bot" is not a valid GitHub login/],
    ['an App name instead of its slug', () => RulesetBypass.githubApp('Acme Release'), /RulesetBypass.githubApp: "Acme Release" is not a GitHub App slug .*https:\/\/github.com\/apps\/<slug>/],
    ['a team without its organization', () => RulesetBypass.team('release-managers'), /RulesetBypass.team: "release-managers" is not a team; write "org\/team-slug"/],
    ['an unknown role', () => RulesetBypass.repositoryRole('owner'), /RulesetBypass.repositoryRole: "owner" is not one of admin, maintain, write/],
  ];
  test.each(bad)('refuses %s', (_what, make, message) => {
    expect(make).toThrow(message);
  });

  test('with requirePullRequest: false the branch ruleset only forbids deletion and force-push', () => {
    const p = newProject();
    RepositoryRuleset.releaseBranch(p, 'B', { branch: 'release/1.x', requirePullRequest: false, releaseIdentity: RulesetBypass.team('acme/releasers'), alsoBypass: [RulesetBypass.organizationAdmins()] });
    const [r] = synthConfig(p).rulesets;
    expect(r).toEqual({ name: 'release branch release/1.x', target: 'branch', include: ['refs/heads/release/1.x'], rules: ['deletion', 'non_fast_forward'], bypass: [{ type: 'Team', team: 'acme/releasers' }, { type: 'OrganizationAdmin' }] });
    const reqs = requestsOf(p, { 'team acme/releasers': 9 });
    expect(reqs.find((x) => x.method === 'POST')!.body.bypass_actors).toEqual([
      { actor_id: 9, actor_type: 'Team', bypass_mode: 'always' },
      { actor_id: 1, actor_type: 'OrganizationAdmin', bypass_mode: 'always' },
    ]);
    for (const x of reqs) expect(requestProblems(x.method, x.path, x.body)).toEqual([]);
  });
});
