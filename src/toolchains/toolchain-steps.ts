import { SetupPythonToolchainOptions, ToolchainCommands, ToolchainStep } from './toolchain-options';
import { PIXI_LOCK_FORMATS } from '../catalog/catalog';
import { ActionPins } from '../workflow/action-pin';

const TOOL_VERSION = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?$/;
export const PYTHON_VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export function checkVersion(toolchain: string, option: string, value: string, pattern: RegExp, example: string): void {
  if (!pattern.test(value)) {
    throw new Error(`PythonToolchain.${toolchain}(): ${option} "${value}" is not an exact version such as "${example}".`);
  }
}

export function checkSetupPythonOptions(toolchain: string, options: SetupPythonToolchainOptions, toolVersion: string): void {
  checkVersion(toolchain, 'toolVersion', toolVersion, TOOL_VERSION, '1.2.3');
  if (options.pythonVersion !== undefined) checkVersion(toolchain, 'pythonVersion', options.pythonVersion, PYTHON_VERSION, '3.12');
}

export function setupPythonStep(python: string | undefined, extra: { [key: string]: string } = {}): ToolchainStep {
  return {
    id: 'setup-python',
    step: {
      name: 'Set up Python',
      uses: ActionPins.SETUP_PYTHON.ref,
      with: { 'python-version': python ?? '3.12', ...extra },
    },
  };
}

export function pipxInstallStep(tool: string, version: string): ToolchainStep {
  return {
    id: `install-${tool}`,
    step: { name: `Install ${tool}`, run: `pipx install "${tool}==${version}"` },
  };
}

export function withoutUndefined(commands: ToolchainCommands): ToolchainCommands {
  return Object.fromEntries(Object.entries(commands).filter(([, v]) => v !== undefined));
}

/** The highest lock format the pixi `version` reads, and the first pixi that reads a newer one. */
export function pixiLockFormat(version: string): [number, string | undefined] {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const atLeast = (a: number[], b: number[]) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];
  const index = PIXI_LOCK_FORMATS.map(([from]) => atLeast(parse(version), parse(from))).lastIndexOf(true);
  const next = PIXI_LOCK_FORMATS[index + 1];
  return [PIXI_LOCK_FORMATS[index][1], next ? `v${next[0]}` : undefined];
}
