import type { PublishJobContext } from './job-context';
import * as publish from '../../scripts/publish-scripts';
import { Job } from '../../workflow/job';

/** The jobs the summary reports on. */
export interface SummarizedJobs {
  readonly verify: Job;
  readonly publishTestPypi?: Job;
  readonly testInstall?: Job;
  readonly publishPypi: Job;
}

/**
 * The `summary` job: results and links in the job summary, whatever happened (unless cancelled
 * or not this package's release). Tag and version come from the verify job's outputs, never from
 * the raw input.
 */
export function buildSummaryJob(ctx: PublishJobContext, jobs: SummarizedJobs): Job {
  const stages: Array<[string, Job | undefined]> = [
    ['VERIFY_RESULT', jobs.verify],
    ['TESTPYPI_RESULT', jobs.publishTestPypi],
    ['INSTALL_RESULT', jobs.testInstall],
    ['PYPI_RESULT', jobs.publishPypi],
  ];
  const results: { [key: string]: string } = {};
  for (const [key, j] of stages) {
    if (j) results[key] = `\${{ needs.${j.jobId}.result }}`;
  }
  const job = ctx.addJob('summary', {
    name: 'Summary',
    runsOn: ctx.runsOn,
    needs: stages.map(([, j]) => j).filter((j): j is Job => j !== undefined),
    timeoutMinutes: 5,
    if: '${{ !cancelled() && needs.verify.result != \'skipped\' }}',
  });
  job.addStep('summary', {
    name: 'Write the summary',
    run: publish.PUBLISH_SUMMARY,
    env: {
      DIST_NAME: ctx.settings.distributionName,
      VERSION: jobs.verify.outputExpression('version'),
      TAG: jobs.verify.outputExpression('tag'),
      ...results,
    },
  });
  return job;
}
