import process from 'node:process';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Tests that cross a wire start real servers and processes; CI has 2 cores.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		// Ink draws nothing before it exits when it believes it runs in CI; the UI tests read its frames.
		env: {CI: 'false', CONTINUOUS_INTEGRATION: 'false'},
		// CI also keeps a machine-readable result, from which .ci/run prints its closing "N passed, N failed" line.
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: {json: '.ci/results.json'},
	},
});
