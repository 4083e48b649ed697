import * as fs from 'fs';
import * as path from 'path';
import { Environment, EnvironmentsConfig, PublishEnvironments, PypiPublishPipeline, PythonReleasePipeline } from '../src';
import { read, requestsOf, synthConfig } from './helpers/environments/config';
import { newProject } from './helpers/project';

describe('reviewers and a wait timer added to an existing environment', () => {
  test('addReviewers and addWaitTimer change the environment, and self-review is then forbidden', () => {
    const project = newProject();
    const env = new Environment(project, 'pypi');
    expect(env.preventSelfReview).toBe(false);
    env.addReviewers('octocat');
    env.addReviewers('my-org/release-managers', 'hubot');
    env.addWaitTimer(30);
    expect(env.reviewers).toEqual(['octocat', 'my-org/release-managers', 'hubot']);
    expect(env.preventSelfReview).toBe(true);
    expect(env.waitTimerMinutes).toBe(30);
    env.reviewers.push('mallory'); // a copy: the environment does not change
    expect(env.reviewers).toHaveLength(3);
    const [pypi] = synthConfig(project).environments;
    expect(pypi).toMatchObject({ reviewers: ['octocat', 'my-org/release-managers', 'hubot'], preventSelfReview: true, waitTimerMinutes: 30 });
    const put = requestsOf(project, { 'user octocat': 1, 'user hubot': 2, 'team my-org/release-managers': 3 }).find((r) => r.method === 'PUT')!;
    expect(put.body).toMatchObject({ wait_timer: 30, prevent_self_review: true, reviewers: [{ type: 'User', id: 1 }, { type: 'Team', id: 3 }, { type: 'User', id: 2 }] });
  });

  test('preventSelfReview: false stays false when reviewers are added later', () => {
    const env = new Environment(newProject(), 'pypi', { reviewers: ['octocat'], preventSelfReview: false });
    env.addReviewers('hubot');
    expect(env.preventSelfReview).toBe(false);
  });

  test('the default environments of the pipelines get reviewers and wait timers without being replaced', () => {
    const project = newProject('example-pkg');
    const release = new PythonReleasePipeline(project);
    const publish = new PypiPublishPipeline(project, { environments: PublishEnvironments.separate() });
    release.releaseEnvironment.addReviewers('my-org/release-managers');
    publish.pypiEnvironment.addReviewers('octocat', 'hubot');
    publish.pypiEnvironment.addWaitTimer(15);
    const config = synthConfig(project);
    const byName = (n: string) => config.environments.find((e: any) => e.name === n);
    expect(config.environments.map((e: any) => e.name)).toEqual(['pypi', 'release', 'testpypi']);
    expect(byName('pypi')).toMatchObject({
      url: 'https://pypi.org/p/example-pkg',
      reviewers: ['octocat', 'hubot'],
      preventSelfReview: true,
      waitTimerMinutes: 15,
      deploymentPolicy: { kind: 'custom', rules: [{ name: 'v*', type: 'tag' }] },
    });
    expect(byName('pypi').trustedPublishers).toEqual([{ index: 'pypi', projectName: 'example-pkg', workflowFile: 'publish.yml', environment: 'pypi' }]);
    expect(byName('release')).toMatchObject({ reviewers: ['my-org/release-managers'], deploymentPolicy: { kind: 'custom', rules: [{ name: 'main', type: 'branch' }] } });
    expect(byName('release').secrets).toEqual(['RELEASE_PAT']);
    expect(byName('testpypi')).toMatchObject({ reviewers: [], waitTimerMinutes: 0 });
    // the workflows still name the same environments
    const workflows = fs.readdirSync(path.join(project.outdir, '.github', 'workflows')).map((f) => read(project, `.github/workflows/${f}`)).join('\n');
    expect(workflows).toMatch(/name: pypi\n/);
    expect(workflows).toMatch(/name: release\n/);
  });

  test('a monorepo package gets release-<dist>, pypi-<dist> and testpypi-<dist>', () => {
    const project = newProject('acme');
    fs.mkdirSync(path.join(project.outdir, 'packages', 'alpha'), { recursive: true });
    fs.writeFileSync(path.join(project.outdir, 'packages', 'alpha', 'pyproject.toml'), '[project]\nname = "acme-alpha"\nversion = "0.1.0"\n');
    new PythonReleasePipeline(project, { packageDir: 'packages/alpha' });
    const publish = new PypiPublishPipeline(project, { packageDir: 'packages/alpha', environments: PublishEnvironments.separate() });
    publish.testPypiEnvironment!.addReviewers('octocat');
    const config = synthConfig(project);
    expect(EnvironmentsConfig.of(project).environmentNames).toEqual(['pypi-acme-alpha', 'release-acme-alpha', 'testpypi-acme-alpha']);
    const testpypi = config.environments.find((e: any) => e.name === 'testpypi-acme-alpha');
    expect(testpypi).toMatchObject({ reviewers: ['octocat'], deploymentPolicy: { kind: 'custom', rules: [{ name: 'acme-alpha-v*', type: 'tag' }] } });
  });

  const refused: Array<[string, (env: Environment) => void, RegExp]> = [
    ['a seventh reviewer', (e) => e.addReviewers('a3', 'a4', 'a5', 'a6', 'a7'), /Environment "pypi": addReviewers would make 7 reviewers \(2 already\); GitHub allows at most 6/],
    ['a reviewer it has already', (e) => e.addReviewers('OctoCat'), /addReviewers lists "OctoCat" twice \(it is a reviewer already\)/],
    ['the same new reviewer twice', (e) => e.addReviewers('hubot', 'hubot'), /addReviewers lists "hubot" twice/],
    ['a login with @', (e) => e.addReviewers('@hubot'), /Environment "pypi": addReviewers entry "@hubot": write it without the "@"/],
    ['a bad team', (e) => e.addReviewers('my-org/Release Managers'), /addReviewers entry "my-org\/Release Managers" is not a valid team/],
    ['a negative wait timer', (e) => e.addWaitTimer(-5), /Environment "pypi": addWaitTimer must be a whole number from 0 to 43200 \(30 days\), got -5/],
    ['a wait timer over 30 days', (e) => e.addWaitTimer(43201), /addWaitTimer must be a whole number from 0 to 43200/],
    ['a fractional wait timer', (e) => e.addWaitTimer(0.5), /addWaitTimer must be a whole number/],
  ];
  test.each(refused)('refuses %s, naming the method, and changes nothing', (_what, change, message) => {
    const env = new Environment(newProject(), 'pypi', { reviewers: ['octocat', 'my-org/team'], waitTimerMinutes: 5 });
    expect(() => change(env)).toThrow(message);
    expect(env.reviewers).toEqual(['octocat', 'my-org/team']);
    expect(env.waitTimerMinutes).toBe(5);
  });
});
