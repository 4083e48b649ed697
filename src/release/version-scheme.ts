import { dirname } from 'path';
import { PEP440_CANONICAL } from '../scripts/version-scripts';

type SemverParse = typeof import('semver/functions/parse');

let loadedSemverParse: SemverParse | undefined;

/**
 * semver's `parse`, loaded on first use (synthesis never asks: only `toPackageVersion` does): from
 * the semver 7 that projen bundles, so that no second copy is loaded; from our own (a dependency
 * of ours, same major version) where projen's cannot be found. Only `parse`: the rest of semver
 * stays unloaded.
 */
function semverParse(version: string): ReturnType<SemverParse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedSemverParse ??= projenSemverParse() ?? require('semver/functions/parse') as SemverParse;
  return loadedSemverParse(version);
}

function projenSemverParse(): SemverParse | undefined {
  try {
    const paths = [dirname(require.resolve('projen/package.json'))];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require(require.resolve('semver/package.json', { paths }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(version).startsWith('7.') ? require(require.resolve('semver/functions/parse', { paths })) : undefined;
  } catch {
    return undefined;
  }
}

/** Options of a `VersionScheme`. */
export interface VersionSchemeOptions {
  /**
   * Accept a version typed with a leading `v` (`v1.2.0`), dropping the `v`.
   * @default true
   */
  readonly allowVPrefix?: boolean;
}

const PEP440 = new RegExp(PEP440_CANONICAL);
const PRE_LABELS: Record<string, string> = { alpha: 'a', beta: 'b', rc: 'rc' };

/**
 * Which version strings the release workflow accepts and how they map to the version the package
 * carries. The workflow's validation script (`VALIDATE_VERSION`) enforces it; `toPackageVersion`,
 * `isPrerelease` and `tag` are the same mapping in TypeScript.
 */
export class VersionScheme {
  /**
   * Canonical PEP 440 (the default): `1.0.0`, `1.0.0rc1`, `2.0.0.post1`, `1.0.0.dev3`. Only
   * canonical forms are accepted (not `1.0.0-rc.1`, which PEP 440 would normalize to `1.0.0rc1`),
   * so that the tag and the package version are the same string.
   */
  public static pep440(options: VersionSchemeOptions = {}): VersionScheme {
    return new VersionScheme('pep440', options.allowVPrefix ?? true);
  }

  /**
   * Semver-shaped: `1.2.3`, or a pre-release `1.2.3-alpha.N`, `1.2.3-beta.N`, `1.2.3-rc.N`. The
   * tag carries the semver form (`v1.2.3-rc.1`), the package the PEP 440 form it maps to
   * (`1.2.3rc1`; alpha becomes `a`, beta `b`). Build metadata (`+...`) and other pre-release
   * shapes are rejected, as are numbers beyond 2^53 (JavaScript's semver cannot hold them).
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
   * The PEP 440 version a package released as `input` carries; throws, saying what is accepted,
   * when the scheme rejects `input`.
   */
  public toPackageVersion(input: string): string {
    const v = this.stripV(input);
    if (this.kind === 'pep440') {
      if (!PEP440.test(v)) {
        throw new Error(`"${input}" is not a canonical PEP 440 version such as 1.2.0, 1.2.0rc1 or 1.2.0.post1.`);
      }
      return v;
    }
    const parsed = semverParse(v);
    const pre = parsed?.prerelease ?? [];
    const ok = parsed !== null && parsed.version === v && (pre.length === 0 ||
      (pre.length === 2 && Object.keys(PRE_LABELS).includes(String(pre[0])) && typeof pre[1] === 'number'));
    if (!parsed || !ok) {
      throw new Error(`"${input}" is not a version such as 1.2.0 or 1.2.0-rc.1 (pre-releases: alpha.N, beta.N, rc.N).`);
    }
    const core = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
    return pre.length ? `${core}${PRE_LABELS[String(pre[0])]}${pre[1]}` : core;
  }

  /** Whether `input` is a pre-release (PEP 440: a pre-release or development segment). */
  public isPrerelease(input: string): boolean {
    return /(a|b|rc)\d+|\.dev\d+/.test(this.toPackageVersion(input));
  }

  /** The release tag of `input`: the prefix and the version as typed (without a leading `v`). */
  public tag(input: string, tagPrefix: string): string {
    this.toPackageVersion(input);
    return `${tagPrefix}${this.stripV(input)}`;
  }

  private stripV(input: string): string {
    return this.allowVPrefix && input.startsWith('v') ? input.slice(1) : input;
  }
}
