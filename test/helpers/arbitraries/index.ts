/**
 * fast-check generators of whole project configurations (one or two packages, each with a
 * release pipeline and usually a publish pipeline, plus user edits through the public API), as
 * plain data that prints readably when a property fails, and `buildProject()` that turns one
 * into a projen project. `invalidProjectArb` breaks exactly one option of a valid configuration.
 */

export type * from './specs';
export { projectArb } from './generators';
export { buildProject } from './build';
export { invalidProjectArb } from './breakers';
export type { Breaker } from './breakers';
