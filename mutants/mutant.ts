/**
 * One hand-made mutant: a plausible bug in `src/`, and the behavioural test that must catch it.
 */
export interface Mutant {
  /** What the bug is, in a few words; unique. */
  readonly name: string;
  /** The file it changes, relative to the repository (under `src/`). */
  readonly file: string;
  /** The exact text it replaces: it must occur exactly once in the file (else the run fails). */
  readonly search: string;
  /** What it puts in its place. */
  readonly replace: string;
  /** The test files relevant to it, relative to the repository. */
  readonly tests: string[];
  /**
   * The full name of the test expected to kill it (describe blocks and test, joined by spaces, as
   * jest reports it; a unique part of it is enough). Only tests whose name contains it run.
   */
  readonly killer: string;
}

/** Shorthand for a mutant whose relevant tests are one file. */
export function mutant(name: string, file: string, search: string, replace: string, test: string, killer: string): Mutant {
  return { name, file, search, replace, tests: [test], killer };
}

/** How often `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** A regular expression matching `text` literally (for jest's --testNamePattern). */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
