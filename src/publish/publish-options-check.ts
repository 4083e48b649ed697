import { PypiPublishPipelineOptions } from './publish-pipeline-options';
import { checkReleaseBranch, ReleaseSettings } from '../release/release-settings';

const IMPORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PYTHON_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;
const TOOL_VERSION = /^\d+(\.\d+)*$/;
const WORKFLOW_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/** The checked options of a publish pipeline that its constructor derives. */
export interface CheckedPublishOptions {
  readonly importName: string;
  readonly wait: number;
  readonly releaseWorkflowFile: string;
  readonly releaseBranch: string;
}

/** Checks `PypiPublishPipeline`'s options; throws naming the option and the fix. */
export function checkPublishOptions(
  who: string, settings: ReleaseSettings, suffix: string, options: PypiPublishPipelineOptions,
): CheckedPublishOptions {
  const importName = options.importName ?? settings.distributionName.toLowerCase().replace(/[-.]+/g, '_');
  if (!IMPORT_NAME.test(importName)) {
    throw new Error(options.importName === undefined
      ? `${who}: the distribution name "${settings.distributionName}" does not give a Python module name; set importName to the module the smoke test should import.`
      : `${who}: importName "${options.importName}" is not a Python module name (dotted identifiers, e.g. "my_pkg" or "my_pkg.cli").`);
  }
  if (options.smokeCommand !== undefined) {
    if (options.testPypi && !options.testPypi.usesTestPypi) {
      throw new Error(`${who}: smokeCommand is set, but testPypi is TestPypiPolicy.skip(), so there is no install test to run it in. Remove smokeCommand, or use TestPypiPolicy.always().`);
    }
    if (!options.smokeCommand.trim()) {
      throw new Error(`${who}: smokeCommand is empty; give a command, or leave the option out for the import check alone.`);
    }
    if (options.smokeCommand.includes('${{')) {
      throw new Error(`${who}: smokeCommand contains a \${{ }} expression, which GitHub would paste into the script; use a plain command.`);
    }
  }
  if (options.pythonVersion !== undefined && !PYTHON_VERSION.test(options.pythonVersion)) {
    throw new Error(`${who}: pythonVersion "${options.pythonVersion}" is not a version actions/setup-python accepts, such as "3.12".`);
  }
  const wait = options.testPypiWaitMinutes ?? 15;
  if (!Number.isInteger(wait) || wait < 1 || wait > 120) {
    throw new Error(`${who}: testPypiWaitMinutes must be a whole number of minutes from 1 to 120, got ${wait}.`);
  }
  if (options.twineVersion !== undefined && !TOOL_VERSION.test(options.twineVersion)) {
    throw new Error(`${who}: twineVersion "${options.twineVersion}" must be an exact version such as "7.0.0".`);
  }
  const releaseWorkflowFile = options.releaseWorkflowFile ?? `release${suffix}.yml`;
  if (!WORKFLOW_FILE.test(releaseWorkflowFile)) {
    throw new Error(`${who}: releaseWorkflowFile "${releaseWorkflowFile}" must be a workflow file name under .github/workflows/, like "release.yml" (PythonReleasePipeline's fileName).`);
  }
  const releaseBranch = checkReleaseBranch(who, options.releaseBranch, " (give PythonReleasePipeline's releaseBranch)");
  return { importName, wait, releaseWorkflowFile, releaseBranch };
}
