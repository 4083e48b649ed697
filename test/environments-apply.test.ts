import { api, existingRepo, mutating, REPO, synthProject } from './helpers/environments/apply-project';
import { FakeGh } from './helpers/environments/fake-gh';
import { requestProblems, responseProblems } from './helpers/environments/openapi';
import { describeWithTools, haveTool, SYSTEM_PYTHON } from './helpers/tools';

/**
 * The generated apply script, executed by node against a stand-in `gh` that records its calls
 * and answers canned responses.
 */

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
