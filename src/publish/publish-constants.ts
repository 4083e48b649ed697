/** Names and URLs the publish workflow's jobs (and the manual publication) share. */

/** Where each job keeps the release files. */
export const DIST_DIR = 'dist';
/** The artifact with the verified distributions (only wheels and sdists: the action uploads everything in it). */
export const ARTIFACT = 'verified-distributions';
/** The artifact with the release's SHA256SUMS, for the install test's digest check. */
export const CHECKSUMS_ARTIFACT = 'release-checksums';
/** The tag this run publishes: the dispatch input, or the published release's tag. Never echoed raw. */
export const TAG_EXPRESSION = '${{ inputs.tag || github.event.release.tag_name }}';
/** PyPI's upload endpoint. */
export const PYPI_UPLOAD = 'https://upload.pypi.org/legacy/';
/** TestPyPI's upload endpoint. */
export const TESTPYPI_UPLOAD = 'https://test.pypi.org/legacy/';
