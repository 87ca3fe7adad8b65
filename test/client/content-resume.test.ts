import {describe, expect, it} from 'vitest';
import {ContentResume, replayStart} from '../../source/client/content-resume.js';
import type {LogRecord} from '../../source/protocol/record.js';

/*
 * Resuming without ids (content-resume.ts): a replay from the last timestamp shown, inclusive, is matched
 * against what was shown at it by content and count. The same replays through a resume by timestamp alone
 * lose lines (dropping the whole last timestamp) or show them twice (keeping it): shown here side by side.
 */

const at = (ms: number, message: string): LogRecord => ({timestamp: new Date(Date.UTC(2026, 11, 5, 10, 0, 0, ms)).toISOString(), level: 'INFO', message});

/** One millisecond holds five lines, two of them the same text. */
const job: LogRecord[] = [at(1, 'a'), at(1, 'b'), at(2, 'c'), at(2, 'same'), at(2, 'same'), at(2, 'd'), at(2, 'e'), at(3, 'f')];

/** Shows `shown` lines, is cut, then is replayed from the last timestamp shown, inclusive: what it shows in all. */
function resume(offer: (record: LogRecord) => boolean, arm: () => void, last: () => string | undefined, shown: number): LogRecord[] {
	const out = job.slice(0, shown).filter((record) => offer(record));
	arm();
	const since = last()!;
	return [...out, ...job.filter((record) => record.timestamp >= since).filter((record) => offer(record))];
}

/** The naive client: remembers the last timestamp, drops what is at or before it (or, `inclusive`, only before). */
function byTimestamp(inclusive: boolean) {
	let last: string | undefined;
	let armed = false;
	return {
		offer(record: LogRecord) {
			if (armed && last !== undefined && (inclusive ? record.timestamp < last : record.timestamp <= last)) {
				return false;
			}

			last = record.timestamp > (last ?? '') ? record.timestamp : last;
			return true;
		},
		arm() {
			armed = true;
		},
		last: () => last,
	};
}

describe('ContentResume', () => {
	it.each([1, 2, 3, 4, 5, 6, 7, 8])('shows each line once when cut after %i lines, mid-timestamp included', (shown) => {
		const content = new ContentResume();
		const out = resume((record) => content.offer(record) === 'deliver', () => {
			content.arm();
		}, () => content.lastTimestamp, shown);
		expect(out).toEqual(job);
	});

	it('fails as a resume by timestamp alone: the rest of the last timestamp is lost, or its lines come twice', () => {
		const exclusive = byTimestamp(false);
		const lost = resume(exclusive.offer, exclusive.arm, exclusive.last, 4);
		expect(lost.map((record) => record.message)).toEqual(['a', 'b', 'c', 'same', 'f']);

		const inclusive = byTimestamp(true);
		const twice = resume(inclusive.offer, inclusive.arm, inclusive.last, 4);
		expect(twice.map((record) => record.message)).toEqual(['a', 'b', 'c', 'same', 'c', 'same', 'same', 'd', 'e', 'f']);
	});

	it('matches by count: a line repeated at the last timestamp is new once more copies come than were shown', () => {
		const content = new ContentResume();
		for (const record of [at(1, 'x'), at(1, 'x')]) {
			expect(content.offer(record)).toBe('deliver');
		}

		content.arm();
		expect([at(1, 'x'), at(1, 'x'), at(1, 'x')].map((record) => content.offer(record))).toEqual(['duplicate', 'duplicate', 'deliver']);
	});

	it('drops replayed lines older than the last timestamp, and stops matching past it', () => {
		const content = new ContentResume();
		content.offer(at(2, 'b'));
		content.arm();
		expect(content.offer(at(1, 'a'))).toBe('duplicate');
		expect(content.offer(at(3, 'c'))).toBe('deliver');
		expect(content.replaying).toBe(false);
		// Not replaying: a line older than the last one (another task's clock) is shown, and moves nothing.
		expect(content.offer(at(1, 'late'))).toBe('deliver');
		expect(content.lastTimestamp).toBe(at(3, 'c').timestamp);
	});

	it('arms nothing before a line was shown', () => {
		const content = new ContentResume();
		content.arm();
		expect(content.replaying).toBe(false);
		expect(content.offer(at(1, 'a'))).toBe('deliver');
	});
});

describe('replayStart', () => {
	it.each([
		[['a', 'b', 'c'], ['b', 'c', 'd'], 1],
		[['a', 'b', 'c'], ['d', 'e'], -1],
		[['a', 'b', 'c'], ['a', 'b', 'c', 'd'], 0],
		// The replay ends inside what history gave (its later frames still on their way).
		[['a', 'b', 'c', 'd'], ['b', 'c'], 1],
		[[], ['a'], -1],
		// The seam inside two equal lines: what follows says which one the replay began with.
		[['x', 's', 's', 'y'], ['s', 'y'], 2],
		[['x', 's', 's', 'y'], ['s', 's', 'y'], 1],
		[['a', 'b', 'a', 'b'], ['a', 'b', 'c'], 2],
	])('of %j and %j is %i', (shown, replay, want) => {
		expect(replayStart(shown, replay)).toBe(want);
	});
});
