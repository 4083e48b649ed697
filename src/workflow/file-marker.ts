import { FileBase, Project, TextFile } from 'projen';

const markers = new WeakMap<Project, { value: string | undefined }>();

/**
 * projen's marker line of a project's generated files, worked out once per synthesis.
 *
 * `FileBase.marker` finds the project's `.projenrc` component by walking the whole construct tree
 * (`ProjenrcFile.of()` → `project.components`) on every call, and a file asks two or three times,
 * so that a synthesis grows with files × constructs. For a file class that always has a marker,
 * the marker depends on the project only; such a class of ours asks projen once per project and
 * synthesis:
 *
 *   public get marker() { return ProjectMarker.of(this, () => super.marker); }
 *   public preSynthesize() { super.preSynthesize(); ProjectMarker.forget(this.project); }
 */
export class ProjectMarker {
  /** The marker of `file`'s project, from `projenMarker` (projen's getter) the first time per synthesis. */
  public static of(file: FileBase, projenMarker: () => string | undefined): string | undefined {
    let marker = markers.get(file.project);
    if (!marker) {
      marker = { value: projenMarker() };
      markers.set(file.project, marker);
    }
    return marker.value;
  }

  /** Forgets the project's marker, so that the next synthesis asks projen again (call it in `preSynthesize`). */
  public static forget(project: Project): void {
    markers.delete(project);
  }

  private constructor() {}
}

/**
 * A generated file of ours whose marker projen works out once per project and synthesis (see
 * `ProjectMarker`): the rehearsal, manual-publication and pins scripts, the environment files.
 */
export abstract class MarkedFile extends FileBase {
  public get marker(): string | undefined {
    return ProjectMarker.of(this, () => super.marker);
  }

  public preSynthesize(): void {
    super.preSynthesize();
    ProjectMarker.forget(this.project);
  }
}

/** A projen `TextFile` whose marker projen works out once per project and synthesis (`cliff.toml`). */
export class MarkedTextFile extends TextFile {
  public get marker(): string | undefined {
    return ProjectMarker.of(this, () => super.marker);
  }

  public preSynthesize(): void {
    super.preSynthesize();
    ProjectMarker.forget(this.project);
  }
}
