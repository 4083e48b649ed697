import { RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR, ReleaseContext } from './release-context';
import { ActionPins } from '../../workflow/action-pin';
import { downloadArtifactStep } from '../../workflow/common-steps';
import { Job } from '../../workflow/job';
import { Permission } from '../../workflow/permission';

/**
 * The `attest` job: GitHub artifact attestations (SLSA build provenance, signed through the
 * run's OIDC identity) for the wheel, sdist and SHA256SUMS the build job made. It runs no project
 * code: it downloads the files and calls `actions/attest`, and holds only what that needs.
 * publish.yml verifies these attestations before it uploads anything.
 */
export function addAttestJob(ctx: ReleaseContext, build: Job): Job {
  const job = ctx.workflow.addJob('attest', {
    name: 'Attest the release files',
    needs: [build],
    runsOn: ctx.options.runsOn,
    timeoutMinutes: 10,
  });
  job.addStep('download', { ...downloadArtifactStep(RELEASE_FILES_ARTIFACT, RELEASE_FILES_DIR), name: 'Download the release files' });
  job.addStep('attest', {
    name: 'Attest build provenance',
    uses: ActionPins.ATTEST.ref,
    with: {
      'subject-path': [`${RELEASE_FILES_DIR}/*.whl`, `${RELEASE_FILES_DIR}/*.tar.gz`, `${RELEASE_FILES_DIR}/SHA256SUMS`].join('\n'),
      // No storage record: it needs the artifact-metadata permission and serves deployments only.
      'create-storage-record': false,
    },
    permissions: [
      Permission.write('id-token', 'sign the attestations with the run\'s OIDC identity (Sigstore)'),
      Permission.write('attestations', 'store the attestations on the repository'),
      Permission.read('contents'),
    ],
  });
  job.protectStep('attest', 'publish.yml refuses files without an attestation of this workflow');
  return job;
}
