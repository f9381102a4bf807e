/** Generated test cases use the fixtures' PRNG: a failing case can be reproduced from its seed. */
export { prng } from '../../fixtures/prng.js';
