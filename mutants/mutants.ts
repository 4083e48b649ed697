import { OTHERS, PUBLISH, WHEELS } from './list/publish';
import { MODEL, RELEASE } from './list/release';
import { DISTRIBUTIONS, VERSIONS } from './list/versions';
import { Mutant } from './mutant';

/**
 * The mutants `npx projen mutants` tries: plausible bugs in src/, each with the behavioural test
 * (one that runs the script, or checks what the generated workflow does; never a snapshot or the
 * presence of a flag's text) that must fail when the bug is in. A search text that no longer
 * occurs exactly once in its file fails the run: keep the lists in mutants/list/ in step with src/.
 */
export const MUTANTS: Mutant[] = [...MODEL, ...RELEASE, ...DISTRIBUTIONS, ...VERSIONS, ...PUBLISH, ...WHEELS, ...OTHERS];
