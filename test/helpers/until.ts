/** Resolves once `predicate` holds (it may be async); rejects after `timeoutMs`, naming what it waited for. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
	// performance.now, not Date.now: a test may stand the wall clock still (vi.spyOn(Date, 'now')).
	for (const deadline = performance.now() + timeoutMs; !(await predicate()); ) {
		if (performance.now() > deadline) {throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
