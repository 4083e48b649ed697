import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Project } from 'projen';
import { loadApplyScript } from './apply-module';
import { DeploymentPolicy, Environment, EnvironmentsConfig } from '../../../src';

/** The environments config of a synthesized project: its files, as read back, and the requests its apply script would send. */

export const CONFIG = EnvironmentsConfig.CONFIG_PATH;
export const SCRIPT = EnvironmentsConfig.SCRIPT_PATH;

export function read(project: Project, file: string): string {
  return fs.readFileSync(path.join(project.outdir, file), 'utf-8');
}

export function synthConfig(project: Project): any {
  project.synth();
  return JSON.parse(read(project, CONFIG));
}

/** Every request the generated apply script would send for the project's file, with these ids. */
export function requestsOf(project: Project, ids: Record<string, number> = {}): Array<{ method: string; path: string; body?: any }> {
  const apply = loadApplyScript(path.join(project.outdir, SCRIPT));
  return apply.everyRequest(apply.readConfig(), 'acme', 'widget', ids);
}

/**
 * The environments of a realistic publish pipeline, under a `PublishPipeline` construct: `pypi`
 * (two reviewers, a wait timer, release tags only, a secret, a variable, a trusted publisher) and
 * `testpypi` (a trusted publisher, an expected secret, and these reviewers).
 */
export function addRealisticEnvironments(project: Project, testpypiReviewers?: string[]): void {
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
  const testpypi = new Environment(publish, 'testpypi', { url: 'https://test.pypi.org/p/example-pkg', reviewers: testpypiReviewers });
  testpypi.addTrustedPublisher({ index: 'testpypi', projectName: 'example-pkg', workflowFile: 'publish.yml' });
  testpypi.expectSecret('TEST_PYPI_API_TOKEN');
}
