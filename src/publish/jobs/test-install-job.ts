import type { PublishJobContext } from './job-context';
import * as publish from '../../scripts/publish-scripts';
import { ActionPins } from '../../workflow/action-pin';
import { downloadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';
import { ARTIFACT, CHECKSUMS_ARTIFACT, DIST_DIR } from '../publish-constants';

/**
 * The `test-install` job: checks that TestPyPI serves exactly the files of SHA256SUMS, installs
 * the version from TestPyPI into a fresh venv outside the checkout (the package alone with
 * `--no-deps` from TestPyPI, then its validated dependencies from PyPI), waiting with a bounded
 * back-off while the index lags, then imports it and compares the version.
 */
export function buildTestInstallJob(ctx: PublishJobContext, verify: Job, publishTestPypi: Job): Job {
  const venv = '${{ runner.temp }}/testpypi-venv';
  const poll = {
    POLL_TIMEOUT_SECONDS: String(ctx.testPypiWaitMinutes * 60),
    POLL_INITIAL_DELAY_SECONDS: '15',
    POLL_MAX_DELAY_SECONDS: '120',
  };
  const job = ctx.addJob('test-install', {
    name: 'Install from TestPyPI and smoke test',
    runsOn: ctx.runsOn,
    needs: [verify, publishTestPypi],
    timeoutMinutes: ctx.testPypiWaitMinutes + 10,
    env: { DIST_NAME: ctx.settings.distributionName, VERSION: verify.outputExpression('version'), DIST_DIR },
  });
  job.addStep('setup-python', {
    name: 'Set up Python',
    uses: ActionPins.SETUP_PYTHON.ref,
    with: { 'python-version': ctx.pythonVersion },
  });
  job.addStep('download', downloadArtifactStep(ARTIFACT, DIST_DIR));
  job.addStep('download-checksums', { ...downloadArtifactStep(CHECKSUMS_ARTIFACT, DIST_DIR), name: 'Download SHA256SUMS' });
  job.addStep('testpypi-digests', {
    name: 'Check that TestPyPI serves the files of SHA256SUMS',
    run: publish.CHECK_TESTPYPI_DIGESTS,
    env: { TESTPYPI_JSON_URL: publish.TESTPYPI_JSON_API, ...poll },
  });
  job.addStep('install', {
    name: 'Install from TestPyPI (waits for the index)',
    run: publish.INSTALL_FROM_TESTPYPI,
    env: {
      VENV_DIR: venv,
      TESTPYPI_INDEX_URL: publish.TESTPYPI_SIMPLE_INDEX,
      PYPI_INDEX_URL: publish.PYPI_SIMPLE_INDEX,
      ...poll,
    },
  });
  job.addStep('smoke-test', {
    name: `Import ${ctx.importName} and check the version`,
    run: publish.SMOKE_TEST,
    env: { VENV_DIR: venv, IMPORT_NAME: ctx.importName },
  });
  if (ctx.smokeCommand !== undefined) {
    job.addStep('smoke-command', {
      name: 'Run the smoke command',
      run: publish.smokeCommandScript(ctx.smokeCommand),
      env: { VENV_DIR: venv },
    });
  }
  return job;
}
