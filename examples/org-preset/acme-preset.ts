/**
 * What a platform team publishes (as its own npm package, say `@acme/projen-presets`): both
 * pipelines with the company's defaults. Every customization goes through the public API of
 * projen-pypi-pipelines: options, `findJob` / `insertStepBefore`, `addJob`, and `Environment`.
 */
import { Project } from 'projen';
// In a real preset: from 'projen-pypi-pipelines'.
import {
  DeploymentPolicy, Environment, PublishEnvironments, PypiPublishPipeline, PythonReleasePipeline,
  PythonToolchain, ReleaseCredentials,
} from '../../src';

/** Acme's runner for every job. */
export const ACME_RUNNER = ['ubuntu-22.04'];

/** Options a team gives the preset. */
export interface AcmePythonPackageOptions {
  /** The distribution name on PyPI. */
  readonly distributionName: string;
  /** The module the smoke test imports. */
  readonly importName: string;
}

/** The pipelines Acme's preset made, for teams that want to go further. */
export interface AcmePipelines {
  readonly release: PythonReleasePipeline;
  readonly publish: PypiPublishPipeline;
}

/**
 * Release and publish a Python package the Acme way:
 * - every job runs on Acme's runner;
 * - releases are pushed by the Acme release GitHub App, not a personal token;
 * - the build job runs `pixi run audit` (the company's dependency audit) right before the build;
 * - publishing to PyPI waits for a release manager (`acme-corp/release-managers`) and 5 minutes;
 * - after PyPI, a job announces the release on the company's release channel; it reads the
 *   webhook secret, so it runs in an environment of its own (`announce`) that holds it, and runs
 *   nothing of the project's.
 */
export function acmePythonPackage(project: Project, options: AcmePythonPackageOptions): AcmePipelines {
  const release = new PythonReleasePipeline(project, {
    distributionName: options.distributionName,
    toolchain: PythonToolchain.pixi(),
    credentials: ReleaseCredentials.githubApp({ clientIdSecret: 'ACME_RELEASE_APP_CLIENT_ID', privateKeySecret: 'ACME_RELEASE_APP_KEY' }),
    runsOn: ACME_RUNNER,
  });
  release.buildJob.insertStepBefore('build', 'audit', {
    name: 'Audit the dependencies (Acme policy)',
    run: 'pixi run audit',
  });

  const pypi = new Environment(project, 'pypi', {
    url: `https://pypi.org/p/${options.distributionName}`,
    reviewers: ['acme-corp/release-managers'],
    waitTimerMinutes: 5,
    deploymentPolicy: DeploymentPolicy.releaseTags('v'),
  });
  const publish = new PypiPublishPipeline(project, {
    distributionName: options.distributionName,
    importName: options.importName,
    environments: PublishEnvironments.shared({ pypi }),
    runsOn: ACME_RUNNER,
  });
  const channel = new Environment(project, 'announce', { deploymentPolicy: DeploymentPolicy.releaseTags('v') });
  channel.expectSecret('ACME_RELEASE_WEBHOOK');
  const announce = publish.addJob('announce', {
    name: 'Announce the release',
    needs: [publish.verifyJob, publish.publishPypiJob],
    environment: channel,
    runsOn: ACME_RUNNER,
    timeoutMinutes: 5,
  });
  announce.addStep('announce', {
    name: 'Post to the release channel',
    run: [
      'set -euo pipefail',
      'payload=$(printf \'{"text": "%s %s is on PyPI: https://pypi.org/project/%s/%s/"}\' "$DIST_NAME" "$VERSION" "$DIST_NAME" "$VERSION")',
      'curl --fail --silent --show-error --request POST --header "Content-Type: application/json" --data "$payload" "$WEBHOOK_URL"',
    ].join('\n'),
    env: {
      DIST_NAME: options.distributionName,
      VERSION: publish.verifyJob.outputExpression('version'),
      WEBHOOK_URL: '${{ secrets.ACME_RELEASE_WEBHOOK }}',
    },
  });
  return { release, publish };
}
