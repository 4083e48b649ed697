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
 * The actions our workflows use, each pinned to a commit.
 *
 * Where projen's `ActionRefs` pins the same action by SHA we take the SHA from there; the others
 * were read from the action's own repository (`git show-ref --tags -d`), except
 * `pypa/gh-action-pypi-publish`, see below. Every pin is routed through `project.github.actions`,
 * so `project.github.actions.set("actions/checkout", "actions/checkout@<sha>")` overrides it;
 * register the override's tag with `PipelineWorkflow.pinAction()` to keep the version comment.
 */
export class ActionPins {
  /** actions/checkout v7.0.1 (projen `ActionRefs.ACTIONS_CHECKOUT`). */
  public static readonly CHECKOUT = ActionPin.of('actions/checkout', '3d3c42e5aac5ba805825da76410c181273ba90b1', 'v7.0.1');
  /** actions/upload-artifact v7.0.1 (projen `ActionRefs.ACTIONS_UPLOAD_ARTIFACT`). */
  public static readonly UPLOAD_ARTIFACT = ActionPin.of('actions/upload-artifact', '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a', 'v7.0.1');
  /** actions/download-artifact v8.0.1 (projen `ActionRefs.ACTIONS_DOWNLOAD_ARTIFACT`). */
  public static readonly DOWNLOAD_ARTIFACT = ActionPin.of('actions/download-artifact', '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', 'v8.0.1');
  /** actions/setup-python v7.0.0 (tag read from the action's repository). */
  public static readonly SETUP_PYTHON = ActionPin.of('actions/setup-python', '5fda3b95a4ea91299a34e894583c3862153e4b97', 'v7.0.0');
  /**
   * actions/create-github-app-token v3.1.1 (tag read from the action's repository; projen names a
   * v3.2.0 by tag only, which we could not confirm by commit).
   */
  public static readonly CREATE_GITHUB_APP_TOKEN = ActionPin.of('actions/create-github-app-token', '1b10c78c7865c340bc4f6099eb2f838309f1e8c3', 'v3.1.1');
  /** prefix-dev/setup-pixi v0.9.6 (tag read from the action's repository). */
  public static readonly SETUP_PIXI = ActionPin.of('prefix-dev/setup-pixi', '5185adfbffb4bd703da3010310260805d89ebb11', 'v0.9.6');
  /** astral-sh/setup-uv v10.0.1 (tag read from the action's repository). */
  public static readonly SETUP_UV = ActionPin.of('astral-sh/setup-uv', '20cfd1bf945f4377ade1205e4dbc17946fc9a30d', 'v10.0.1');
  /**
   * pypa/gh-action-pypi-publish v1.13.0, the first release without advisory GHSA-vxmw-7h4f-hqxh.
   * The repository snapshot available to us ends at v1.8.14, so the commit of the v1.13.0 tag was
   * confirmed from several independent public workflows and python-semantic-release#1359.
   */
  public static readonly PYPI_PUBLISH = ActionPin.of('pypa/gh-action-pypi-publish', 'ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e', 'v1.13.0');

  /** Every pin in the catalog. */
  public static all(): ActionPin[] {
    return [
      ActionPins.CHECKOUT,
      ActionPins.UPLOAD_ARTIFACT,
      ActionPins.DOWNLOAD_ARTIFACT,
      ActionPins.SETUP_PYTHON,
      ActionPins.CREATE_GITHUB_APP_TOKEN,
      ActionPins.SETUP_PIXI,
      ActionPins.SETUP_UV,
      ActionPins.PYPI_PUBLISH,
    ];
  }

  private constructor() {}
}
