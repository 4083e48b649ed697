import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadApplyScript } from './helpers/environments/apply-module';
import { existingRepo, REPO, synthProject } from './helpers/environments/apply-project';
import { FakeGh } from './helpers/environments/fake-gh';
import { requestProblems } from './helpers/environments/openapi';
import { describeWithTools, haveTool, SYSTEM_PYTHON } from './helpers/tools';

function tampered(script: string, change: (config: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tampered-'));
  fs.copyFileSync(script, path.join(dir, 'apply.cjs'));
  const config = JSON.parse(fs.readFileSync(path.join(path.dirname(script), 'environments.json'), 'utf-8'));
  change(config);
  fs.writeFileSync(path.join(dir, 'environments.json'), JSON.stringify(config, undefined, 2));
  return path.join(dir, 'apply.cjs');
}

const ESC = String.fromCharCode(27);

describeWithTools('a tampered environments.json', { [SYSTEM_PYTHON]: haveTool(SYSTEM_PYTHON) }, () => {
  const script = synthProject();
  const gh = new FakeGh();
  const copies: string[] = [];
  afterAll(() => {
    for (const c of copies) fs.rmSync(path.dirname(c), { recursive: true, force: true });
    fs.rmSync(gh.dir, { recursive: true, force: true });
  });
  const runTampered = (change: (config: any) => void, args: string[] = []) => {
    const copy = tampered(script, change);
    copies.push(copy);
    return gh.run(copy, args, existingRepo());
  };

  // Reproduced before the fix: the script of format 1 sent "PUT repos/acme/widget/collaborators/attacker"
  // with {"permission":"admin"} and "DELETE repos/acme/widget", as listed in the file's requests.
  test('requests listed in the file are refused before anything is sent (the attack that worked before)', () => {
    const run = runTampered((config) => {
      config.environments[0].requests = {
        upsertEnvironment: { method: 'PUT', path: 'repos/{owner}/{repo}/collaborators/attacker', body: { permission: 'admin' } },
        listPolicies: { method: 'GET', path: 'repos/{owner}/{repo}/environments/pypi/deployment-branch-policies', perPage: 100, list: 'branch_policies' },
        createPolicies: [],
        deletePolicy: { method: 'DELETE', path: 'repos/{owner}/{repo}' },
      };
    });
    expect(run.calls).toEqual([]); // not even "gh repo view"
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: environments.json: environments[0] has an unknown field "requests".');
    expect(run.stderr).toContain('This script builds every request itself from the names and settings in environments.json and refuses anything else.');
    expect(run.stderr).toContain('regenerate it with "npx projen", review its diff');
    expect(run.stderr).toContain('Nothing was sent.');
  });

  const cases: Array<[string, (config: any) => void, string]> = [
    ['a path in an environment name', (c) => { c.environments[0].name = 'pypi/../../collaborators/attacker'; }, 'environments[0].name "pypi/../../collaborators/attacker" is not an environment name'],
    ['a path as a reviewer', (c) => { c.environments[0].reviewers = ['../../repos/acme/widget']; }, 'environments[0].reviewers[0] "../../repos/acme/widget" is not a team "org/team-slug"'],
    ['a query in a team slug', (c) => { c.environments[0].reviewers = ['my-org/team?per_page=1']; }, 'is not a team "org/team-slug"'],
    ['a path in a login', (c) => { c.environments[0].reviewers = ['octocat?x']; }, 'environments[0].reviewers[0] "octocat?x" is not a GitHub login'],
    ['a seventh reviewer', (c) => { c.environments[0].reviewers = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']; }, 'environments[0].reviewers must have 0 to 6 entries, not 7'],
    ['a shell command as a secret name', (c) => { c.environments[0].secrets = ['X; rm -rf ~']; }, 'environments[0].secrets[0] "X; rm -rf ~" is not a secret name'],
    ['a GITHUB_ variable', (c) => { c.environments[0].variables = ['GITHUB_TOKEN']; }, '"GITHUB_TOKEN" is not a variable name'],
    ['a policy pattern with a line break', (c) => { c.environments[0].deploymentPolicy.rules[0].name = 'v*\n::error::x'; }, 'deploymentPolicy.rules[0].name "v*\\n::error::x" is not a tag or branch pattern'],
    ['a wait timer as text', (c) => { c.environments[0].waitTimerMinutes = '10'; }, 'environments[0].waitTimerMinutes "10" is not a whole number from 0 to 43200'],
    ['an unknown policy kind', (c) => { c.environments[0].deploymentPolicy.kind = 'all'; }, 'environments[0].deploymentPolicy.kind "all" is not one of any, protected, custom'],
    ['a trusted publisher for another environment', (c) => { c.environments[0].trustedPublishers[0].environment = 'testpypi'; }, 'environments[0].trustedPublishers[0].environment "testpypi" is not the name of its environment, "pypi"'],
    ['a trusted publisher with a URL', (c) => { c.environments[0].trustedPublishers[0].workflowFile = 'https://evil.example/x.yml'; }, 'is not a workflow file name'],
    ['a field at the top', (c) => { c.requests = []; }, 'environments.json: the file has an unknown field "requests"'],
    ['an environment twice', (c) => { c.environments[1].name = 'PyPI'; c.environments[1].trustedPublishers[0].environment = 'PyPI'; }, 'environments lists environment "PyPI" twice'],
    ['an escape sequence in a name', (c) => { c.environments[0].name = `pypi${ESC}[2J`; }, 'environments[0].name "pypi\\u001b[2J" is not an environment name'],
    ['a ruleset with a deploy key', (c) => { c.rulesets = [{ name: 'x', target: 'tag', include: ['refs/tags/v*'], rules: ['creation'], bypass: [{ type: 'DeployKey' }] }]; }, 'rulesets[0].bypass[0].type "DeployKey" is not one of User, Integration, Team, RepositoryRole, OrganizationAdmin'],
    ['a branch in a tag ruleset', (c) => { c.rulesets = [{ name: 'x', target: 'tag', include: ['refs/heads/main'], rules: ['creation'], bypass: [{ type: 'User', login: 'bot' }] }]; }, 'rulesets[0].include[0] "refs/heads/main" is not refs/tags/<pattern>'],
    ['a ruleset id', (c) => { c.rulesets = [{ id: 1, name: 'x', target: 'tag', include: ['refs/tags/v*'], rules: ['creation'], bypass: [{ type: 'User', login: 'bot' }] }]; }, 'rulesets[0] has an unknown field "id"'],
    ['a rule the script does not know', (c) => { c.rulesets = [{ name: 'x', target: 'tag', include: ['refs/tags/v*'], rules: ['workflows'], bypass: [{ type: 'User', login: 'bot' }] }]; }, 'rulesets[0].rules[0] "workflows" is not one of creation, update, deletion, non_fast_forward'],
    ['a ruleset nobody may bypass', (c) => { c.rulesets = [{ name: 'x', target: 'tag', include: ['refs/tags/v*'], rules: ['creation'], bypass: [] }]; }, 'rulesets[0].bypass must have 1 to 10 entries, not 0'],
    ['the old format', (c) => { c.version = 1; }, 'has format version 1, this script reads version 2. Regenerate both with "npx projen".'],
  ];
  test.each(cases)('refuses %s, naming the field, before anything is sent', (_what, change, message) => {
    const run = runTampered(change);
    expect(run.calls).toEqual([]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(ESC);
  });

  test('the refusal holds in a dry run too', () => {
    const run = runTampered((c) => { c.environments[0].name = 'pypi/../x'; }, ['--dry-run']);
    expect(run.calls).toEqual([]);
    expect(run.status).toBe(1);
  });
});

describeWithTools('strings from GitHub are printed with control characters escaped', { [SYSTEM_PYTHON]: haveTool(SYSTEM_PYTHON) }, () => {
  const script = synthProject();
  const gh = new FakeGh();
  afterAll(() => fs.rmSync(gh.dir, { recursive: true, force: true }));

  test('an error message cannot forge workflow commands or move the cursor', () => {
    const responses = existingRepo();
    responses[`PUT ${REPO}/pypi`] = { status: 422, body: { message: 'Validation Failed\n::error::forged', errors: [`reviewer ${ESC}[2Jgone`] } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('failed (HTTP 422 Validation Failed\\n::error::forged: reviewer \\u001b[2Jgone).');
    expect(run.stderr).not.toMatch(/^::error::/m);
    expect(run.stderr).not.toContain(ESC);
  });

  test('a policy listed by GitHub with a line break in its name is shown escaped', () => {
    const responses = existingRepo();
    responses[`GET ${REPO}/pypi/deployment-branch-policies`] = { status: 200, body: { total_count: 1, branch_policies: [{ id: 7, name: 'main\n::warning::forged', type: 'branch' }] } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('branch main\\n::warning::forged (removed: no longer configured)');
    expect(run.stdout).not.toMatch(/^::warning::/m);
    expect(run.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([`${REPO}/pypi/deployment-branch-policies/7`]);
  });

  test('an id from GitHub that is not a number is refused, not put into a path', () => {
    const responses = existingRepo();
    responses[`GET ${REPO}/pypi/deployment-branch-policies`] = { status: 200, body: { total_count: 1, branch_policies: [{ id: '7/../../../../collaborators/attacker', name: 'main', type: 'branch' }] } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('refusing DELETE repos/{owner}/{repo}/environments/{environment}/deployment-branch-policies/{policy_id}: policy_id "7/../../../../collaborators/attacker" is not valid.');
    expect(run.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });

  test('the endpoints the script can call are a fixed list', () => {
    const { ENDPOINTS } = loadApplyScript(script);
    expect(Object.values(ENDPOINTS).map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET users/{login}',
      'GET orgs/{org}/teams/{team_slug}',
      'GET apps/{app_slug}',
      'PUT repos/{owner}/{repo}/environments/{environment}',
      'GET repos/{owner}/{repo}/environments/{environment}/deployment-branch-policies',
      'POST repos/{owner}/{repo}/environments/{environment}/deployment-branch-policies',
      'DELETE repos/{owner}/{repo}/environments/{environment}/deployment-branch-policies/{policy_id}',
      'GET repos/{owner}/{repo}/environments/{environment}/secrets',
      'GET repos/{owner}/{repo}/environments/{environment}/variables',
      'GET repos/{owner}/{repo}/rulesets',
      'POST repos/{owner}/{repo}/rulesets',
      'PUT repos/{owner}/{repo}/rulesets/{ruleset_id}',
    ]);
    for (const e of Object.values(ENDPOINTS)) {
      const concrete = e.path.replace(/\{[a-z_]+\}/g, (m) => (m.endsWith('_id}') ? '1' : 'x'));
      expect(requestProblems(e.method, concrete, e.method === 'GET' || e.method === 'DELETE' ? undefined : {}).filter((p) => /no such path|has no/.test(p))).toEqual([]);
    }
  });
});
