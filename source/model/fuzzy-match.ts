/*
 * Fuzzy matching as fzf does it: the query's characters must appear in the candidate in order (a
 * subsequence: `rprt` finds `report-csv`), case-insensitive, and the score prefers matches at word starts
 * (after `/`, `-`, `_`, `.`), consecutive runs, and an early first match. fuse.js, which did this before,
 * scores by edit distance under a threshold: it missed subsequences and ranked near-misses above them.
 */

const BOUNDARY = /[/\-_.:?= ]/;

/** The score of `query` in `text` (higher is better), or undefined when it is not a subsequence. */
export function fuzzyScore(query: string, text: string): number | undefined {
	const needle = query.toLowerCase();
	const hay = text.toLowerCase();
	if (needle === '') {
		return 0;
	}

	let score = 0;
	let at = 0;
	let previous = -2;
	for (const char of needle) {
		const found = hay.indexOf(char, at);
		if (found < 0) {
			return undefined;
		}

		score += 1;
		if (found === previous + 1) {
			score += 3;
		}

		if (found === 0 || BOUNDARY.test(hay[found - 1]!)) {
			score += 2;
		}

		previous = found;
		at = found + 1;
	}

	// Earlier first matches and shorter candidates win ties.
	return score - hay.indexOf(needle[0]!) * 0.01 - hay.length * 0.001;
}

/** The candidates that match, best first (stable for equal scores). */
export function fuzzyFilter<T>(items: readonly T[], query: string, keys: (item: T) => string[], limit: number): T[] {
	const trimmed = query.trim();
	const scored: Array<{item: T; score: number; index: number}> = [];
	for (const [index, item] of items.entries()) {
		let best: number | undefined;
		for (const key of keys(item)) {
			const score = fuzzyScore(trimmed, key);
			if (score !== undefined && (best === undefined || score > best)) {
				best = score;
			}
		}

		if (best !== undefined) {
			scored.push({item, score: best, index});
		}
	}

	return scored
		.sort((a, b) => b.score - a.score || a.index - b.index)
		.slice(0, limit)
		.map(({item}) => item);
}
