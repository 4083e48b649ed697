import * as path from 'path';
import { addRealisticEnvironments } from './config';
import { FakeCall, FakeResponse } from './fake-gh';
import { EnvironmentsConfig } from '../../../src';
import { newProject } from '../project';

/** A synthesized project with a pypi and a testpypi environment, the repository as the stand-in gh answers for it, and filters of the calls the apply script made. */

export const REPO = 'repos/acme/widget/environments';
export const STAMP = { created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };

export function synthProject(): string {
  const project = newProject('example-pkg');
  addRealisticEnvironments(project, ['octocat']);
  project.synth();
  return path.join(project.outdir, EnvironmentsConfig.SCRIPT_PATH);
}

/** The repository as it is: pypi has a stale branch policy and lacks its secret; testpypi is complete. */
export function existingRepo(): Record<string, FakeResponse> {
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

export const MUTATING = ['PUT', 'POST', 'PATCH', 'DELETE'];
export const mutating = (calls: FakeCall[]) => calls.filter((c) => c.method && MUTATING.includes(c.method));
export const api = (calls: FakeCall[]) => calls.filter((c) => c.args[0] === 'api').map((c) => `${c.method} ${c.path}`);
