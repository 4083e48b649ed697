import { ACTIONS, ActionRecord } from '../catalog/catalog';

const SHA = /^[0-9a-f]{40}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9._/-]+$/;
const VERSION = /^v\d+(\.\d+){0,2}$/;

/**
 * A GitHub Action pinned to a full commit SHA, with the release tag that the commit carries.
 *
 * The tag is written as a `# vX.Y.Z` comment after the pin in the generated YAML, which is
 * what Dependabot and Renovate read and update.
 */
export class ActionPin {
  /**
   * Pin an action to a commit.
   *
   * @param name `owner/repo` (or `owner/repo/path` for an action in a subfolder)
   * @param sha the full 40-character commit SHA the tag points to
   * @param version the tag, for example `v4.2.2`
   */
  public static of(name: string, sha: string, version: string): ActionPin {
    return new ActionPin(name, sha, version);
  }

  /** `owner/repo` of the action. */
  public readonly name: string;
  /** The full commit SHA. */
  public readonly sha: string;
  /** The release tag the SHA carries, e.g. `v4.2.2`. */
  public readonly version: string;

  private constructor(name: string, sha: string, version: string) {
    if (!NAME.test(name)) {
      throw new Error(`ActionPin name "${name}" is not of the form "owner/repo".`);
    }
    if (!SHA.test(sha)) {
      throw new Error(`ActionPin for ${name}: sha "${sha}" is not a full 40-character lowercase commit SHA. Pin actions by commit, not by tag or branch.`);
    }
    if (!VERSION.test(version)) {
      throw new Error(`ActionPin for ${name}: version "${version}" is not a release tag such as "v1.2.3".`);
    }
    this.name = name;
    this.sha = sha;
    this.version = version;
  }

  /** `owner/repo@sha`, the value of a step's `uses:`. */
  public get ref(): string {
    return `${this.name}@${this.sha}`;
  }
}

/**
 * The actions our workflows use, each pinned to a commit. The pins and the sources that confirm
 * them live in one catalog (`src/catalog/catalog.ts`). Every pin is routed through
 * `project.github.actions`, so `PipelineWorkflow.pinAction(project, ActionPin.of(...))` overrides
 * it (with the version comment kept), and `npx projen pins:update` writes such overrides for every
 * pinned action that has a newer release.
 */
export class ActionPins {
  /** actions/checkout. */
  public static readonly CHECKOUT = fromCatalog(ACTIONS.checkout);
  /** actions/upload-artifact. */
  public static readonly UPLOAD_ARTIFACT = fromCatalog(ACTIONS.uploadArtifact);
  /** actions/download-artifact. */
  public static readonly DOWNLOAD_ARTIFACT = fromCatalog(ACTIONS.downloadArtifact);
  /** actions/setup-python. */
  public static readonly SETUP_PYTHON = fromCatalog(ACTIONS.setupPython);
  /** actions/create-github-app-token. */
  public static readonly CREATE_GITHUB_APP_TOKEN = fromCatalog(ACTIONS.createGithubAppToken);
  /** prefix-dev/setup-pixi. */
  public static readonly SETUP_PIXI = fromCatalog(ACTIONS.setupPixi);
  /** astral-sh/setup-uv. */
  public static readonly SETUP_UV = fromCatalog(ACTIONS.setupUv);
  /** pypa/gh-action-pypi-publish (its bundled twine must read Metadata 2.5: v1.14.2 or newer). */
  public static readonly PYPI_PUBLISH = fromCatalog(ACTIONS.pypiPublish);
  /** actions/attest (GitHub artifact attestations, SLSA build provenance). */
  public static readonly ATTEST = fromCatalog(ACTIONS.attest);
  /** pypa/cibuildwheel (wheels of C/C++ extensions, one per platform and Python). */
  public static readonly CIBUILDWHEEL = fromCatalog(ACTIONS.cibuildwheel);
  /** PyO3/maturin-action (wheels of Rust crates and binaries). */
  public static readonly MATURIN_ACTION = fromCatalog(ACTIONS.maturinAction);

  /** Every pin in the catalog. */
  public static all(): ActionPin[] {
    return Object.values(ACTIONS).map(fromCatalog);
  }

  private constructor() {}
}

function fromCatalog(record: ActionRecord): ActionPin {
  return ActionPin.of(record.name, record.sha, record.version);
}
