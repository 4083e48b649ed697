import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { DeploymentPolicy, Environment, EnvironmentsConfig, RepositoryRuleset, RulesetBypass } from '../src';
import { loadApplyScript } from './helpers/environments/apply-module';
import { FakeCall, FakeGh, FakeResponse } from './helpers/environments/fake-gh';
import { requestProblems, responseProblems } from './helpers/environments/openapi';
import { newProject } from './helpers/project';
import { describeWithTools, haveTool, SYSTEM_PYTHON } from './helpers/tools';

/**
 * The generated apply script, executed by node against a stand-in `gh` that records its calls
 * and answers canned responses.
 */

const REPO = 'repos/acme/widget/environments';
const STAMP = { created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };

function synthProject(): string {
  const project = newProject('example-pkg');
  const publish = new Construct(project, 'PublishPipeline');
  const pypi = new Environment(publish, 'pypi', {
    url: 'https://pypi.org/p/example-pkg',
    reviewers: ['octocat', 'my-org/release-managers'],
    waitTimerMinutes: 10,
    deploymentPolicy: DeploymentPolicy.tags('v*'),
    secrets: ['PYPI_API_TOKEN'],
    variables: ['SMOKE_TEST_MODULE'],
  });
  pypi.addTrustedPublisher({ index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml' });
  const testpypi = new Environment(publish, 'testpypi', { url: 'https://test.pypi.org/p/example-pkg', reviewers: ['octocat'] });
  testpypi.addTrustedPublisher({ index: 'testpypi', projectName: 'example-pkg', workflowFile: 'publish.yml' });
  testpypi.expectSecret('TEST_PYPI_API_TOKEN');
  project.synth();
  return path.join(project.outdir, EnvironmentsConfig.SCRIPT_PATH);
}

/** The repository as it is: pypi has a stale branch policy and lacks its secret; testpypi is complete. */
function existingRepo(): Record<string, FakeResponse> {
  return {
    'repo view': { stdout: 'acme/widget\n' },
    'GET users/octocat': { status: 200, body: { login: 'octocat', id: 583231, type: 'User' } },
    'GET orgs/my-org/teams/release-managers': { status: 200, body: { id: 4242, slug: 'release-managers' } },
    [`GET ${REPO}/pypi/deployment-branch-policies`]: { status: 200, body: { total_count: 1, branch_policies: [{ id: 7, name: 'main', type: 'branch' }] } },
    [`GET ${REPO}/testpypi/deployment-branch-policies`]: { status: 200, body: { total_count: 1, branch_policies: [{ id: 8, name: 'v*', type: 'tag' }] } },
    [`GET ${REPO}/pypi/secrets`]: { status: 200, body: { total_count: 1, secrets: [{ name: 'UNRELATED', ...STAMP }] } },
    [`GET ${REPO}/pypi/variables`]: { status: 200, body: { total_count: 0, variables: [] } },
    [`GET ${REPO}/testpypi/secrets`]: { status: 200, body: { total_count: 1, secrets: [{ name: 'TEST_PYPI_API_TOKEN', ...STAMP }] } },
  };
}

const MUTATING = ['PUT', 'POST', 'PATCH', 'DELETE'];
const mutating = (calls: FakeCall[]) => calls.filter((c) => c.method && MUTATING.includes(c.method));
const api = (calls: FakeCall[]) => calls.filter((c) => c.args[0] === 'api').map((c) => `${c.method} ${c.path}`);

describeWithTools('apply.cjs against a stand-in gh', { [SYSTEM_PYTHON]: haveTool(SYSTEM_PYTHON) }, () => {
  const script = synthProject();
  const gh = new FakeGh();

  test('the canned responses are shaped as GitHub\'s OpenAPI description says', () => {
    for (const [key, r] of Object.entries(existingRepo())) {
      if (!key.startsWith('GET repos/')) continue;
      expect(responseProblems('GET', key.slice(4), 200, r.body)).toEqual([]);
    }
  });

  describe('applying', () => {
    const run = gh.run(script, [], existingRepo());

    test('succeeds', () => {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });

    test('finds the repository, resolves a user and a team, then configures each environment', () => {
      expect(run.calls[0].args).toEqual(['repo', 'view', '--json', 'nameWithOwner', '--jq', '.nameWithOwner']);
      expect(api(run.calls)).toEqual([
        'GET users/octocat',
        'GET orgs/my-org/teams/release-managers',
        `PUT ${REPO}/pypi`,
        `GET ${REPO}/pypi/deployment-branch-policies?per_page=100&page=1`,
        `POST ${REPO}/pypi/deployment-branch-policies`,
        `DELETE ${REPO}/pypi/deployment-branch-policies/7`,
        `GET ${REPO}/pypi/secrets?per_page=100&page=1`,
        `GET ${REPO}/pypi/variables?per_page=30&page=1`,
        `PUT ${REPO}/testpypi`,
        `GET ${REPO}/testpypi/deployment-branch-policies?per_page=100&page=1`,
        `GET ${REPO}/testpypi/secrets?per_page=100&page=1`,
      ]);
      expect(run.stdout).toContain('user octocat has id 583231');
      expect(run.stdout).toContain('team my-org/release-managers has id 4242');
    });

    test('sends the environment with the resolved reviewer ids', () => {
      const put = run.calls.find((c) => c.method === 'PUT' && c.path === `${REPO}/pypi`)!;
      expect(put.body).toEqual({
        wait_timer: 10,
        prevent_self_review: true,
        reviewers: [{ type: 'User', id: 583231 }, { type: 'Team', id: 4242 }],
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      });
      // arguments arrive intact (no shell): headers with spaces, the body on stdin
      expect(put.args).toEqual(['api', '--method', 'PUT', '-H', 'Accept: application/vnd.github+json', '-H', 'X-GitHub-Api-Version: 2022-11-28', `${REPO}/pypi`, '--input', '-']);
    });

    test('adds the missing tag policy, keeps the existing one and removes the stale one', () => {
      const posts = run.calls.filter((c) => c.method === 'POST');
      expect(posts.map((c) => [c.path, c.body])).toEqual([[`${REPO}/pypi/deployment-branch-policies`, { name: 'v*', type: 'tag' }]]);
      expect(run.stdout).toContain('environment "pypi": tag v* (added), branch main (removed: no longer configured)');
      expect(run.stdout).toContain('environment "testpypi": tag v* (kept)');
    });

    test('every request it sent is valid according to GitHub\'s OpenAPI description', () => {
      const calls = run.calls.filter((c) => c.args[0] === 'api');
      expect(calls.filter((c) => c.body !== undefined)).toHaveLength(3);
      for (const c of calls) expect(requestProblems(c.method!, c.path!, c.body)).toEqual([]);
    });

    test('reports the missing secret and variable with the command that sets them', () => {
      expect(run.stdout).toContain('MISSING secret PYPI_API_TOKEN: set it with  gh secret set PYPI_API_TOKEN --env pypi --repo acme/widget');
      expect(run.stdout).toContain('MISSING variable SMOKE_TEST_MODULE: set it with  gh variable set SMOKE_TEST_MODULE --env pypi --repo acme/widget --body VALUE');
      expect(run.stdout).not.toMatch(/MISSING secret TEST_PYPI_API_TOKEN/);
    });

    test('prints what to register as trusted publisher on PyPI and TestPyPI', () => {
      const out = run.stdout;
      expect(out).toContain('PyPI, project "example-pkg":');
      expect(out).toContain('https://pypi.org/manage/project/example-pkg/settings/publishing/');
      expect(out).toContain('https://test.pypi.org/manage/account/publishing/');
      expect(out).toMatch(/Owner: +acme\n +Repository name: +widget\n +Workflow name: +publish\.yml\n +Environment name: +pypi\n/);
      expect(out).toMatch(/TestPyPI, project "example-pkg":[\s\S]*Environment name: +testpypi/);
      expect(out).not.toContain('{owner}');
    });
  });

  test('re-applying to a repository that matches changes only the environments themselves', () => {
    const responses = existingRepo();
    responses[`GET ${REPO}/pypi/deployment-branch-policies`] = { status: 200, body: { total_count: 1, branch_policies: [{ id: 9, name: 'v*', type: 'tag' }] } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(0);
    expect(mutating(run.calls).map((c) => c.method)).toEqual(['PUT', 'PUT']);
  });

  test('--dry-run sends nothing that changes the repository and prints every such request', () => {
    const run = gh.run(script, ['--', '--dry-run'], existingRepo());
    expect(run.status).toBe(0);
    expect(mutating(run.calls)).toEqual([]);
    expect(run.stdout).toContain('Dry run for 2 environment(s) to acme/widget');
    expect(run.stdout).toMatch(/\[dry-run\] PUT repos\/acme\/widget\/environments\/pypi\n +\{\n +"wait_timer": 10,[\s\S]*"id": 583231[\s\S]*"id": 4242/);
    expect(run.stdout).toMatch(/\[dry-run\] POST repos\/acme\/widget\/environments\/pypi\/deployment-branch-policies\n +\{\n +"name": "v\*",\n +"type": "tag"/);
    expect(run.stdout).toContain('[dry-run] DELETE repos/acme/widget/environments/pypi/deployment-branch-policies/7');
    expect(run.stdout).toContain('[dry-run] PUT repos/acme/widget/environments/testpypi');
    expect(run.stdout).toContain('tag v* (would be added), branch main (would be removed: no longer configured)');
    expect(run.stdout).toContain('MISSING secret PYPI_API_TOKEN');
    expect(run.stdout).toContain('Dry run: nothing was changed in acme/widget.');
    expect(run.stdout).toContain('Workflow name:     publish.yml');
  });

  test('--dry-run --repo on a repository without the environments yet plans everything from scratch', () => {
    const run = gh.run(script, ['--dry-run', '--repo=acme/new-repo'], {
      'GET users/octocat': { status: 200, body: { id: 583231 } },
      'GET orgs/my-org/teams/release-managers': { status: 200, body: { id: 4242 } },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(mutating(run.calls)).toEqual([]);
    // --repo: gh is not asked which repository this is
    expect(run.calls.some((c) => c.args[0] === 'repo')).toBe(false);
    expect(run.calls.filter((c) => c.path?.startsWith('repos/')).every((c) => c.path!.startsWith('repos/acme/new-repo/'))).toBe(true);
    expect(run.stdout).toContain('[dry-run] PUT repos/acme/new-repo/environments/pypi');
    expect(run.stdout).toContain('[dry-run] POST repos/acme/new-repo/environments/testpypi/deployment-branch-policies');
    expect(run.stdout).toMatch(/Owner: +acme\n +Repository name: +new-repo/);
    expect(run.stdout).toContain('note: the environment does not exist yet');
    expect(run.stdout).toContain('MISSING secret TEST_PYPI_API_TOKEN: set it with  gh secret set TEST_PYPI_API_TOKEN --env testpypi --repo acme/new-repo');
  });

  test('a 404 on the environment (private repository on GitHub Free) is a clear error', () => {
    const responses = existingRepo();
    responses[`PUT ${REPO}/pypi`] = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/deployments/environments', status: '404' } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: creating or updating environment "pypi" of acme/widget failed (HTTP 404 Not Found).');
    expect(run.stderr).toContain('private on GitHub Free, where deployment environments are not available');
    expect(run.stderr).toContain('make the repository public, or move it to GitHub Pro, Team or Enterprise');
    expect(run.stderr).toContain('gh auth status');
    expect(mutating(run.calls).map((c) => c.method)).toEqual(['PUT']);
  });

  test('a 422 on the environment is a clear error with GitHub\'s reasons', () => {
    const responses = existingRepo();
    responses[`PUT ${REPO}/pypi`] = {
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'Environment', code: 'custom', message: 'Reviewers must have at least read access to the repository' }], status: '422' },
    };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('failed (HTTP 422 Validation Failed: Reviewers must have at least read access to the repository).');
    expect(run.stderr).toContain('Check that every reviewer exists and has at least read access to acme/widget');
    expect(run.stderr).toContain('required reviewers and wait timers need GitHub Enterprise');
    expect(run.stdout).not.toContain('Applied to');
  });

  test('a 422 on a tag policy names the pattern and the option to fix', () => {
    const responses = existingRepo();
    responses[`POST ${REPO}/pypi/deployment-branch-policies`] = { status: 422, body: { message: 'Validation Failed', errors: ['Name is invalid'] } };
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('adding the tag policy "v*" to environment "pypi" of acme/widget failed (HTTP 422 Validation Failed: Name is invalid).');
    expect(run.stderr).toContain('Fix deploymentPolicy in your projen configuration.');
  });

  test('an unknown reviewer stops before anything is changed', () => {
    const responses = existingRepo();
    delete responses['GET users/octocat'];
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('looking up reviewer "octocat" of environment "pypi" failed (HTTP 404 Not Found).');
    expect(run.stderr).toContain('there is no GitHub user "octocat"');
    expect(mutating(run.calls)).toEqual([]);
  });

  test('an unknown team hints at the slug and the read:org scope', () => {
    const responses = existingRepo();
    delete responses['GET orgs/my-org/teams/release-managers'];
    const run = gh.run(script, [], responses);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('gh auth refresh -s read:org');
  });

  test('without gh, or outside a GitHub clone, it says what to do', () => {
    const noGh = gh.run(script, [], {}, { withGh: false });
    expect(noGh.status).toBe(1);
    expect(noGh.stderr).toContain('the GitHub CLI "gh" is not installed or not on PATH. Install it (https://cli.github.com)');
    const noRepo = gh.run(script, [], { 'repo view': { exit: 1, stderr: 'none of the git remotes configured for this repository point to a known GitHub host.\n' } });
    expect(noRepo.status).toBe(1);
    expect(noRepo.stderr).toContain('could not tell which GitHub repository to configure');
    expect(noRepo.stderr).toContain('pass --repo OWNER/REPO');
  });

  test('refuses unknown arguments and a malformed --repo', () => {
    const bad = gh.run(script, ['--force'], {});
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown argument "--force"');
    expect(bad.stderr).toContain('--dry-run');
    expect(gh.run(script, ['--repo', 'widget'], {}).stderr).toContain('--repo must be OWNER/REPO');
    expect(bad.calls).toEqual([]);
    const help = gh.run(script, ['--help'], {});
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: node');
  });
});

/** A copy of the synthesized script beside a changed environments.json, in a fresh directory. */
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
