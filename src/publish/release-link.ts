import { Project } from 'projen';
import { PythonReleasePipeline } from '../release/release-pipeline';
import { Environment } from '../workflow/environment';

/** Ruby's `File.fnmatch` as GitHub applies deployment policies: `*` does not match `/`. */
function fnmatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*');
  return new RegExp(`^${re}$`).test(name);
}

/**
 * Whether an environment admits a release-triggered run of a tag with this prefix (its ref is the
 * tag): `undefined` when it does, else why not.
 */
export function refusesTags(environment: Environment, tagPrefix: string): string | undefined {
  const policy = environment.deploymentPolicy;
  const sample = `${tagPrefix}1.2.3`;
  if (policy.kind === 'any') return undefined;
  if (policy.kind === 'protected') return 'it admits protected branches only, and a release runs on its tag';
  const tags = policy.rules.filter((r) => r.type === 'tag');
  if (tags.some((r) => fnmatch(r.name, sample))) return undefined;
  return `its tag patterns (${tags.map((r) => `"${r.name}"`).join(', ') || 'none'}) do not match the tag ${sample}`;
}

/** What publish.yml expects of release.yml and of its environments. */
export interface PublishLink {
  readonly project: Project;
  readonly fileName: string;
  readonly tagPrefix: string;
  readonly packageDir: string;
  readonly releaseWorkflowFile: string;
  readonly releaseBranch: string;
  readonly attestationsRequired: boolean;
  readonly pypiEnvironment: Environment;
  readonly testPypiEnvironment?: Environment;
}

/**
 * What would fail on GitHub although both pipelines synthesize: the environments of the
 * publishing jobs refuse the package's tags, or publish.yml expects from release.yml another tag
 * prefix, branch or attestations than release.yml gives. Throws, naming the option and the fix.
 */
export function checkPublishAgainstRelease(publish: PublishLink): void {
  const who = `PypiPublishPipeline (${publish.fileName})`;
  const prefix = publish.tagPrefix;
  for (const [option, environment] of [['environments (pypi)', publish.pypiEnvironment], ['environments (testPypi)', publish.testPypiEnvironment]] as const) {
    const why = environment && refusesTags(environment, prefix);
    if (why) {
      throw new Error(`${who}: the environment "${environment!.environmentName}" would refuse every publication: ${why}. Give it DeploymentPolicy.releaseTags("${prefix}") (option ${option}), or leave the option out for the pipeline's own environment.`);
    }
  }
  const releases = publish.project.components.filter((c): c is PythonReleasePipeline => c instanceof PythonReleasePipeline);
  const release = releases.find((c) => c.fileName === publish.releaseWorkflowFile);
  const samePackage = releases.find((c) => c.settings.packageDir === publish.packageDir);
  if (!release && samePackage) {
    throw new Error(`${who}: releaseWorkflowFile is "${publish.releaseWorkflowFile}", but this package is released by ${samePackage.fileName}, so no attestation would match. Set releaseWorkflowFile to "${samePackage.fileName}".`);
  }
  if (!release) return;
  if (release.settings.tagPrefix !== prefix) {
    throw new Error(`${who}: tagPrefix is "${prefix}", but ${release.fileName} tags its releases "${release.settings.tagPrefix}<version>", so publish.yml would skip them all. Give both pipelines the same tagPrefix (and packageDir).`);
  }
  if (release.releaseBranch !== publish.releaseBranch) {
    throw new Error(`${who}: releaseBranch is "${publish.releaseBranch}", but ${release.fileName} releases from "${release.releaseBranch}", so no attestation would match. Give both pipelines the same releaseBranch.`);
  }
  if (publish.attestationsRequired && !release.attestJob) {
    throw new Error(`${who}: attestations are required, but ${release.fileName} makes none (its attestations option is false), so every publication would be refused. Set attestations: AttestationCheck.off() here too, or turn attestations back on in the release pipeline.`);
  }
}
