import type { PublishJobContext } from './job-context';
import { ActionPins } from '../../workflow/action-pin';
import { downloadArtifactStep } from '../../workflow/common-steps';
import { Environment } from '../../workflow/environment';
import { Job } from '../../workflow/job';
import { Permission } from '../../workflow/permission';
import { ARTIFACT, DIST_DIR, PYPI_UPLOAD, TESTPYPI_UPLOAD } from '../publish-constants';

/** What a publishing job is: its id, index, environment and place in the graph. */
export interface PublishJobSpec {
  readonly id: string;
  readonly index: 'pypi' | 'testpypi';
  readonly name: string;
  readonly environment: Environment;
  readonly environmentUrl?: string;
  readonly needs: Job[];
  readonly if?: string;
}

/**
 * The `with:` of the `pypa/gh-action-pypi-publish` step for an index. TestPyPI only gets
 * `skip-existing`: a re-run skips what the first run uploaded (the install test then checks that
 * TestPyPI's files are the release's). PyPI itself accepts byte-identical files again, and must
 * refuse different files under a published name.
 */
export function publishInputs(index: 'pypi' | 'testpypi'): { [key: string]: string | boolean } {
  const testPypi = index === 'testpypi';
  return {
    'repository-url': testPypi ? TESTPYPI_UPLOAD : PYPI_UPLOAD,
    'packages-dir': `${DIST_DIR}/`,
    'print-hash': true,
    ...(testPypi ? { 'skip-existing': true } : {}),
  };
}

/**
 * A publishing job (`publish-testpypi`, `publish-pypi`): the artifact download and exactly one
 * `pypa/gh-action-pypi-publish` step, nothing else. Records the trusted publisher (or the
 * expected token secret) on its environment.
 */
export function buildPublishJob(ctx: PublishJobContext, spec: PublishJobSpec): Job {
  const testPypi = spec.index === 'testpypi';
  const secret = testPypi ? ctx.auth.testPypiSecret : ctx.auth.pypiSecret;
  const trusted = ctx.auth.isTrustedPublishing;
  const job = ctx.addJob(spec.id, {
    name: spec.name,
    environment: spec.environment,
    environmentUrl: spec.environmentUrl,
    needs: spec.needs,
    if: spec.if,
    runsOn: ctx.runsOn,
    timeoutMinutes: 15,
  });
  job.addStep('download', downloadArtifactStep(ARTIFACT, DIST_DIR));
  job.addStep('publish', {
    name: testPypi ? 'Upload to TestPyPI' : 'Upload to PyPI',
    uses: ActionPins.PYPI_PUBLISH.ref,
    with: {
      ...publishInputs(spec.index),
      ...(trusted ? {} : { password: `\${{ secrets.${secret} }}` }),
    },
    permissions: trusted ? [Permission.idTokenForTrustedPublishing()] : [],
  });
  if (trusted) {
    spec.environment.addTrustedPublisher({ index: spec.index, projectName: ctx.settings.distributionName, workflowFile: ctx.fileName });
  } else {
    spec.environment.expectSecret(secret!);
  }
  return job;
}
