import process from 'node:process';

/*
 * `npm test` runs every fuzz property with a fixed seed and a few hundred cases, so a failure replays the
 * same way; `npm run fuzz` runs many more with a fresh seed (FUZZ_RUNS, FUZZ_SEED to set them). A failing
 * run prints its seed and the shrunk counterexample: put them in a test.
 */
const long = process.env.FUZZ_RUNS !== undefined;
export const fuzz = {
	seed: process.env.FUZZ_SEED === undefined ? (long ? Date.now() % 2_147_483_647 : 20_261_201) : Number(process.env.FUZZ_SEED),
	numRuns: Number(process.env.FUZZ_RUNS ?? 300),
};

/** A budget for one property's test, long enough for `npm run fuzz`. */
export const fuzzTimeoutMs = Math.max(60_000, fuzz.numRuns * 100);
