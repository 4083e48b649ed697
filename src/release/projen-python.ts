import { Project, python } from 'projen';
import { VersionStrategy } from './version-strategy';
import { PythonToolchain } from '../toolchains/python-toolchain';

/** What a projen `python.PythonProject` implies for the pipelines. */
export interface ProjenPythonDefaults {
  /** The toolchain that matches the project's flavour (uv, poetry, or pip with setuptools). */
  readonly toolchain: PythonToolchain;
  /** The flavour, for messages. */
  readonly flavour: 'uv' | 'poetry' | 'pip';
  /** The file projen writes the version into (and owns). */
  readonly versionFile: string;
}

/**
 * The defaults for a projen `python.PythonProject`: the toolchain of its flavour (with the security
 * check on projen's flat module directory; pip installs requirements-dev.txt and the project) and, because
 * projen owns pyproject.toml (or setup.py) and would revert a committed version at the next
 * `npx projen`, `VersionStrategy.buildOnly()`. Undefined for any other project.
 */
export function projenPythonDefaults(project: Project): ProjenPythonDefaults | undefined {
  if (!(project instanceof python.PythonProject)) return undefined;
  const packaging = project.packagingManager;
  // projen lays the module out flat (<moduleName>/, not src/): the security check scans it
  const module = project.moduleName;
  if (packaging instanceof python.Uv) {
    return { toolchain: PythonToolchain.uv({ commands: { securityCheck: `uv run bandit -r ${module}` } }), flavour: 'uv', versionFile: 'pyproject.toml' };
  }
  if (packaging instanceof python.Poetry) {
    return { toolchain: PythonToolchain.poetry({ commands: { securityCheck: `poetry run bandit -r ${module}` } }), flavour: 'poetry', versionFile: 'pyproject.toml' };
  }
  return {
    toolchain: PythonToolchain.pip({
      commands: {
        install: 'python -m pip install -r requirements-dev.txt && python -m pip install -e .',
        securityCheck: `python -m bandit -r ${module}`,
      },
    }),
    flavour: 'pip',
    versionFile: 'setup.py',
  };
}

/** The version strategy a projen Python project gets unless told otherwise. */
export function projenVersionStrategy(): VersionStrategy {
  return VersionStrategy.buildOnly();
}

/**
 * Removes projen's own token-based upload tasks (`publish`, `publish:test`): releases reach PyPI
 * through publish.yml with trusted publishing, or by hand with `npx projen publish:manual`.
 */
export function removeTokenPublishTasks(project: Project): void {
  const removed = ['publish', 'publish:test'].filter((name) => project.tasks.tryFind(name) && project.removeTask(name));
  if (removed.length) {
    project.logger.verbose(`projen-pypi-pipelines: removed the task(s) ${removed.join(', ')} (uploads with an API token); publish.yml publishes with trusted publishing, npx projen publish:manual by hand.`);
  }
}
