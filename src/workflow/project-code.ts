import { StepOptions } from './step';

/** Actions that set up a toolchain or restore files, after which the project's code runs. */
const TOOLCHAIN_ACTIONS = /^(actions\/setup-[a-z]+|astral-sh\/setup-uv|prefix-dev\/setup-pixi|pdm-project\/setup-pdm|snok\/install-poetry|pypa\/cibuildwheel|PyO3\/maturin-action|actions\/cache(\/[a-z]+)?)@/;
/** Commands that run the project's code, its tools' config, or install packages. */
const PROJECT_COMMAND = /(^|[\s;&|(])(pixi|uv|uvx|poetry|hatch|pip3?|pipx|pdm|tox|nox|npm|npx|yarn|pnpm|make|pytest|git-cliff|twine)\s|\bpython3?\s+(-m\s+)?(build|pip|pytest|setup\.py)\b/m;

/**
 * What in a step would run the project's code (a toolchain, a build, a test, a package install),
 * or undefined: a job that holds a secret must contain none of it.
 */
export function projectCodeIn(step: StepOptions): string | undefined {
  if (step.uses && TOOLCHAIN_ACTIONS.test(step.uses)) return `it sets up a toolchain (${step.uses.split('@')[0]})`;
  const command = step.run !== undefined ? PROJECT_COMMAND.exec(step.run) : null;
  return command ? `it runs \`${command[0].trim()}\`` : undefined;
}
