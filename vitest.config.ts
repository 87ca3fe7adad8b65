import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Tests that cross a wire start real servers and processes; CI has 2 cores.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
