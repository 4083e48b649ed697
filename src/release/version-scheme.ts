import * as semver from 'semver';

/** Options of a `VersionScheme`. */
export interface VersionSchemeOptions {
  /**
   * Accept a version typed with a leading `v` (`v1.2.0`), dropping the `v`.
   * @default true
   */
  readonly allowVPrefix?: boolean;
}

/**
 * Which version strings the release workflow accepts and how they map to the package version.
 * The workflow's validation script enforces it; `toPackageVersion` is the same mapping in
 * TypeScript.
 */
export class VersionScheme {
  /** Canonical PEP 440 (`1.0.0`, `1.0.0rc1`, `2.0.0.post1`): the package version is the input. */
  public static pep440(options: VersionSchemeOptions = {}): VersionScheme {
    return new VersionScheme('pep440', options.allowVPrefix ?? true);
  }

  /**
   * Semver-shaped (`1.2.3`, `1.2.3-rc.1`, `-alpha.N`, `-beta.N`): the tag carries the semver
   * form, the package the PEP 440 form (`1.2.3rc1`).
   */
  public static semver(options: VersionSchemeOptions = {}): VersionScheme {
    return new VersionScheme('semver', options.allowVPrefix ?? true);
  }

  /** `pep440` or `semver`. */
  public readonly kind: string;
  /** Whether a leading `v` is accepted. */
  public readonly allowVPrefix: boolean;

  private constructor(kind: string, allowVPrefix: boolean) {
    this.kind = kind;
    this.allowVPrefix = allowVPrefix;
  }

  /**
   * The PEP 440 version a package released as `input` carries (semver scheme), or `input`
   * itself (pep440 scheme); throws when the scheme rejects it. Mirrors the workflow's script.
   */
  public toPackageVersion(input: string): string {
    const v = this.allowVPrefix && input.startsWith('v') ? input.slice(1) : input;
    if (this.kind === 'pep440') {
      return v;
    }
    const parsed = semver.parse(v);
    const pre = parsed?.prerelease ?? [];
    const ok = parsed && parsed.version === v && (pre.length === 0 ||
      (pre.length === 2 && ['alpha', 'beta', 'rc'].includes(String(pre[0])) && typeof pre[1] === 'number'));
    if (!parsed || !ok) {
      throw new Error(`"${input}" is not a semver release (X.Y.Z or X.Y.Z-{alpha,beta,rc}.N).`);
    }
    const core = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
    return pre.length ? `${core}${{ alpha: 'a', beta: 'b', rc: 'rc' }[String(pre[0])]}${pre[1]}` : core;
  }
}
