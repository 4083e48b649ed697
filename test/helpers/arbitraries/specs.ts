

// Specs: plain data describing a configuration.

/** A toolchain setup step (custom toolchains). */
export interface SetupStepSpec {
  readonly id: string;
  readonly name: string;
  readonly uses?: string;
  readonly with?: Record<string, string | boolean | number>;
  readonly run?: string;
}

export interface ToolchainSpec {
  readonly kind: 'pixi' | 'uv' | 'hatch' | 'poetry' | 'pip' | 'custom';
  readonly commands: Record<string, string | undefined>;
  readonly skip: string[];
  readonly pixiVersion?: string;
  readonly environments?: string;
  readonly uvVersion?: string;
  readonly pythonVersion?: string;
  readonly toolVersion?: string;
  readonly customName?: string;
  readonly checkSetup?: SetupStepSpec[];
  readonly releaseSetup?: SetupStepSpec[];
}

export interface CredentialsSpec {
  readonly kind: 'pat' | 'app';
  readonly secretName?: string;
  readonly appIdSecret?: string;
  readonly privateKeySecret?: string;
}

export interface EnvironmentSpec {
  readonly name: string;
  readonly url?: string;
  readonly reviewers: string[];
  readonly preventSelfReview?: boolean;
  readonly waitTimerMinutes?: number;
  /** `release-tags`, `tags:<p1>,<p2>`, `any`, or an invalid pattern for the invalid generator. */
  readonly policy: string;
  readonly secrets: string[];
  readonly variables: string[];
}

export interface ReleaseSpec {
  readonly toolchain: ToolchainSpec;
  readonly versionScheme: 'pep440' | 'semver';
  readonly allowVPrefix?: boolean;
  readonly versionStrategy: 'pyproject' | 'fromTag' | 'verifyOnly';
  readonly distributionName?: string;
  readonly packageDir?: string;
  readonly tagPrefix?: string;
  readonly releaseBranch?: string;
  readonly credentials?: CredentialsSpec;
  readonly changelogFile?: string;
  readonly changelogConfigFile?: string;
  readonly coverageReport?: string;
  readonly pythonVersions?: string[];
  readonly workflowName?: string;
  readonly fileName?: string;
  readonly runsOn?: string[];
  readonly gitIdentity?: { name: string; email: string };
  readonly releaseTools?: { twine?: string; gitCliff?: string };
}

export interface PublishSpec {
  readonly auth: 'trusted' | 'tokens';
  readonly testPypiSecret?: string;
  readonly pypiSecret?: string;
  readonly testPypi: 'always' | 'keepPrereleasesOnTestPypi' | 'skip';
  readonly environments: 'shared' | 'separate';
  readonly pypiEnvironment?: EnvironmentSpec;
  readonly testPypiEnvironment?: EnvironmentSpec;
  readonly importName?: string;
  readonly smokeCommand?: string;
  readonly pythonVersion?: string;
  readonly testPypiWaitMinutes?: number;
  readonly twineVersion?: string;
  readonly workflowName?: string;
  readonly fileName?: string;
  readonly runsOn?: string[];
}

/** A user step: one of `STEP_SNIPPETS`, or a raw step (the invalid generator). */
export interface StepSpec {
  readonly snippet: string;
  readonly raw?: { name: string; run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
}

/** One edit through the public API. `job`/`anchor` pick by index, modulo what there is. */
export type EditSpec =
  | { readonly op: 'addStep'; readonly job: number; readonly step: StepSpec; readonly id?: string }
  | { readonly op: 'insertStepBefore' | 'insertStepAfter' | 'replaceStep'; readonly job: number; readonly anchor: number; readonly step: StepSpec; readonly id?: string; readonly anchorId?: string }
  | { readonly op: 'removeStep'; readonly job: number; readonly anchor: number }
  | { readonly op: 'addJob'; readonly id: string; readonly name: string; readonly needs: number[]; readonly gate: boolean; readonly if?: string; readonly concurrencyGroup?: string; readonly timeoutMinutes?: number; readonly runsOn?: string[]; readonly steps: StepSpec[] };

export interface PackageSpec {
  readonly release: ReleaseSpec;
  readonly publish?: PublishSpec;
  readonly releaseEdits: EditSpec[];
  readonly publishEdits: EditSpec[];
}

export interface ProjectSpec {
  readonly packages: PackageSpec[];
  /** Actions re-pinned with `PipelineWorkflow.pinAction` (name, sha, version). */
  readonly pins: Array<{ name: string; sha: string; version: string }>;
}
