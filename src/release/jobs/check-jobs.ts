import { ReleaseContext } from './release-context';
import { QualityCheck } from '../../toolchains/toolchain-options';
import { checkoutStep, inPackage, uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';

const CHECK_NAMES: Record<string, [string, string]> = {
  [QualityCheck.LINT]: ['lint', 'Lint'],
  [QualityCheck.TYPE_CHECK]: ['type-check', 'Type check'],
  [QualityCheck.SECURITY_CHECK]: ['security-check', 'Security check'],
  [QualityCheck.TEST]: ['test', 'Test'],
};

/**
 * One job per quality check, read-only, started with the validate job (they need nothing from it,
 * so they do not wait for it); their setup may cache. The build job waits for all of them.
 */
export function addCheckJobs(ctx: ReleaseContext): Job[] {
  const pythonVersions = ctx.options.pythonVersions;
  return ctx.toolchain.checks.map((check) => {
    const [id, name] = CHECK_NAMES[check];
    const matrix = check === QualityCheck.TEST && pythonVersions;
    const job = ctx.workflow.addJob(id, {
      name: matrix ? `${name} (Python \${{ matrix.python }})` : name,
      runsOn: ctx.options.runsOn,
      workingDirectory: ctx.packageWorkingDirectory,
      strategy: matrix ? { failFast: false, matrix: { domain: { python: matrix } } } : undefined,
    });
    job.addStep('checkout', checkoutStep());
    addToolchainSetup(ctx, job, true, matrix ? '${{ matrix.python }}' : undefined);
    job.addStep(id, { name, run: ctx.toolchain.command(check)! });
    if (check === QualityCheck.TEST) {
      job.addStep('upload-coverage', {
        ...uploadArtifactStep(
          'coverage-report',
          [inPackage(ctx.settings.packageDir, ctx.options.coverageReport ?? 'coverage.xml')],
          'Upload the coverage report',
        ),
        if: matrix ? `always() && matrix.python == '${matrix[0]}'` : 'always()',
      });
    }
    return job;
  });
}

/**
 * Adds the toolchain's setup steps to a job, and in the check jobs (`cache` true) its install
 * step: the build job only builds, and never installs the project's development dependencies.
 */
export function addToolchainSetup(ctx: ReleaseContext, job: Job, cache: boolean, pythonVersion?: string): void {
  for (const { id, step } of ctx.toolchain.setupSteps(cache, pythonVersion, ctx.settings.packageDir)) {
    job.addStep(id, step);
  }
  const install = ctx.toolchain.command('install');
  if (install && cache) job.addStep('install', { name: 'Install the project', run: install });
}
