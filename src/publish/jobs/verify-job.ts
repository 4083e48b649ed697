import type { PublishJobContext } from './job-context';
import { INSTALL_RELEASE_TOOLS, VERIFY_CHECKSUMS, VERIFY_DISTRIBUTIONS } from '../../scripts/distribution-scripts';
import * as publish from '../../scripts/publish-scripts';
import { VALIDATE_VERSION } from '../../scripts/version-scripts';
import { CHECK_WHEEL_SET } from '../../scripts/wheel-scripts';
import { ActionPins } from '../../workflow/action-pin';
import { uploadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';
import { Permission } from '../../workflow/permission';
import { ARTIFACT, CHECKSUMS_ARTIFACT, DIST_DIR, TAG_EXPRESSION } from '../publish-constants';

/**
 * The `verify` job: the tag's shape (before anything echoes it) and its release, the version
 * (release.yml's own check), the release's files, their artifact attestations, SHA256SUMS, the
 * distribution name, `twine check --strict` and the version inside the files; then it hands the
 * distributions (and SHA256SUMS, for the install test) on as artifacts. It runs only for tags with
 * this package's prefix (other packages' releases skip the whole workflow); a dispatched run with
 * a wrong tag fails in its first step.
 */
export function buildVerifyJob(ctx: PublishJobContext): Job {
  const s = ctx.settings;
  const job = ctx.addJob('verify', {
    name: 'Verify the release files',
    runsOn: ctx.runsOn,
    timeoutMinutes: 10,
    if: `github.event_name == 'workflow_dispatch' || startsWith(github.event.release.tag_name, '${s.tagPrefix}')`,
    env: { GH_REPO: '${{ github.repository }}', DIST_DIR },
    outputs: {
      version: { stepId: 'version', outputName: 'version' },
      tag: { stepId: 'version', outputName: 'tag' },
      prerelease: { stepId: 'version', outputName: 'prerelease' },
    },
  });
  job.addStep('tag', {
    name: 'Check the tag and the release',
    run: publish.RESOLVE_RELEASE_TAG,
    env: {
      RELEASE_TAG: TAG_EXPRESSION,
      TAG_PREFIX: s.tagPrefix,
      WORKFLOW_FILE: ctx.fileName,
      GH_TOKEN: '${{ github.token }}',
    },
    permissions: [Permission.read('contents')],
  });
  job.addStep('version', {
    name: 'Derive the package version from the tag',
    run: VALIDATE_VERSION,
    env: {
      // The tag is prefix + version exactly (release.yml drops a typed "v"), so no "v" here.
      VERSION_INPUT: '${{ steps.tag.outputs.version_input }}',
      PRERELEASE_INPUT: '${{ steps.tag.outputs.github_prerelease }}',
      VERSION_SCHEME: ctx.versionScheme.kind,
      ALLOW_V_PREFIX: 'false',
      TAG_PREFIX: s.tagPrefix,
    },
  });
  job.addStep('setup-python', {
    name: 'Set up Python',
    uses: ActionPins.SETUP_PYTHON.ref,
    with: { 'python-version': ctx.pythonVersion },
  });
  job.addStep('install-tools', {
    name: 'Install twine',
    run: INSTALL_RELEASE_TOOLS,
    env: { RELEASE_TOOLS: `twine==${ctx.twineVersion}` },
  });
  job.addStep('download', {
    name: 'Download the release files',
    run: publish.DOWNLOAD_RELEASE_ASSETS,
    env: { TAG: '${{ steps.version.outputs.tag }}', GH_TOKEN: '${{ github.token }}' },
    permissions: [Permission.read('contents')],
  });
  if (ctx.attestations) {
    job.addStep('attestations', {
      name: 'Check that release.yml attested every file',
      run: publish.VERIFY_ATTESTATIONS,
      env: {
        RELEASE_WORKFLOW_FILE: ctx.attestations.workflowFile,
        RELEASE_BRANCH: ctx.attestations.branch,
        GH_TOKEN: '${{ github.token }}',
      },
      permissions: [Permission.read('attestations', "gh attestation verify: read release.yml's attestations of the release files")],
    });
  }
  job.addStep('checksums', { name: 'Check SHA256SUMS', run: VERIFY_CHECKSUMS });
  job.addStep('distribution-name', {
    name: 'Check the distribution name',
    run: publish.CHECK_DISTRIBUTION_NAME,
    env: { DIST_NAME: s.distributionName },
  });
  if (ctx.expectedWheels.length) {
    job.addStep('wheel-set', {
      name: 'Check that exactly the expected wheels are attached',
      run: CHECK_WHEEL_SET,
      env: { EXPECTED_WHEELS: ctx.expectedWheels.join('\n') },
    });
  }
  job.addStep('verify', {
    name: 'twine check and the version in the files',
    run: VERIFY_DISTRIBUTIONS,
    env: { VERSION: '${{ steps.version.outputs.version }}' },
  });
  // Only the distributions: the publish action uploads everything in its packages dir.
  job.addStep('upload', uploadArtifactStep(ARTIFACT, [`${DIST_DIR}/*.whl`, `${DIST_DIR}/*.tar.gz`], 'Hand the verified files on'));
  if (ctx.usesTestPypi) {
    job.addStep('upload-checksums', uploadArtifactStep(CHECKSUMS_ARTIFACT, [`${DIST_DIR}/SHA256SUMS`], 'Hand SHA256SUMS on to the install test'));
  }
  return job;
}
