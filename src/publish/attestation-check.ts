/**
 * Whether publish.yml checks the GitHub artifact attestations of the release files.
 *
 * release.yml attests the wheels, the sdist and SHA256SUMS (SLSA build provenance). With
 * `required()` (the default), publish.yml's verify job refuses, before anything is uploaded, any
 * file that lacks an attestation made by this repository's release workflow on the release
 * branch: files swapped after the release, uploaded by hand, or built by another workflow or
 * branch never reach PyPI. The PEP 740 attestations PyPI gets with trusted publishing are
 * separate and stay on.
 */
export class AttestationCheck {
  /** Every file must be attested by the release workflow on the release branch (the default). */
  public static required(): AttestationCheck {
    return new AttestationCheck(true);
  }

  /**
   * No attestation check. Only for a private or internal repository on a plan without artifact
   * attestations (they are free for public repositories; private ones need GitHub Enterprise
   * Cloud): the release workflow then cannot attest, and a required check would refuse every
   * release. The checksums, the name and the version are still checked.
   */
  public static off(): AttestationCheck {
    return new AttestationCheck(false);
  }

  /** Whether the verify job checks the attestations. */
  public readonly isRequired: boolean;

  private constructor(required: boolean) {
    this.isRequired = required;
  }
}
