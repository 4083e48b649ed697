import { WheelBuild } from './distributions-options';
import { StepOptions } from '../workflow/step';

/** A step with its id, as the wheel strategies hand them to the job builders. */
export interface StrategyStep {
  readonly id: string;
  readonly step: StepOptions;
}

/** What the job builders need to place a strategy's steps. */
export interface StrategyContext {
  /** The package directory, relative to the repository root (`.` outside monorepos). */
  readonly packageDir: string;
  /** Environment the build needs for the version (VersionStrategy.fromTag()), else empty. */
  readonly versionEnv: { [key: string]: string };
}

/** How a compiled distribution is built: resolved and checked once, at synth. */
export interface WheelStrategy {
  /** `cibuildwheel` or `maturin`. */
  readonly kind: string;
  /** The matrix. */
  readonly builds: WheelBuild[];
  /** Minutes before a wheel job is cancelled. */
  readonly timeoutMinutes: number;
  /** Commands the rehearsal's stand-ins need on PATH. */
  readonly hostTools: string[];
  /** The steps of a wheel job after the release commit is checked out (they read `matrix.*`). */
  buildSteps(ctx: StrategyContext): StrategyStep[];
  /** Where the build writes its wheels, relative to the repository root. */
  wheelDir(packageDir: string): string;
  /** The steps of the sdist job after the checkout; they write into `$DIST_DIR` of the package directory. */
  sdistSteps(ctx: StrategyContext): StrategyStep[];
  /** The rehearsal's stand-ins: build the host's wheel and the sdist into `$DIST_DIR`. */
  hostSteps(ctx: StrategyContext): StrategyStep[];
}

/** Throws unless `value` is a list of strings from `allowed` (named in the error). */
export function checkList(who: string, option: string, value: unknown, allowed: readonly string[], hint = ''): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${who}: ${option} must be a non-empty list, e.g. ${JSON.stringify(allowed.slice(0, 2))}; got ${JSON.stringify(value)}.`);
  }
  for (const v of value) {
    if (typeof v !== 'string' || !allowed.includes(v)) {
      throw new Error(`${who}: ${option} entry ${JSON.stringify(v)} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}.${hint ? ` ${hint}` : ''}`);
    }
  }
  return [...new Set(value as string[])];
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Labels = { [key: string]: string };

/** Checks `runners` (keys among the defaults' keys, values runner labels) and returns the label of each key. */
export function resolveRunners(who: string, given: Labels | undefined, defaults: Labels): Labels {
  for (const [key, label] of Object.entries(given ?? {})) {
    if (!(key in defaults)) {
      throw new Error(`${who}: runners has "${key}", which is not one of the builds: ${Object.keys(defaults).map((k) => `"${k}"`).join(', ')}.`);
    }
    if (typeof label !== 'string' || !LABEL.test(label)) {
      throw new Error(`${who}: runners["${key}"] ${JSON.stringify(label)} is not a runner label such as "ubuntu-24.04-arm".`);
    }
  }
  return { ...defaults, ...given };
}

/** Checks a timeout in minutes (1-360). */
export function checkTimeout(who: string, minutes: number | undefined): number {
  const value = minutes ?? 60;
  if (!Number.isInteger(value) || value < 1 || value > 360) {
    throw new Error(`${who}: timeoutMinutes must be a whole number of minutes from 1 to 360, got ${value}.`);
  }
  return value;
}
