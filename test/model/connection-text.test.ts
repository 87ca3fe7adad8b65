import {describe, expect, it} from 'vitest';
import type {ConnectionState} from '../../source/client/types.js';
import {
	connectionColor,
	connectionDetail,
	connectionWord,
	liveDetail,
	QUIET_AFTER_MS,
	waitingDetail,
} from '../../source/model/connection-text.js';

/* The words a pane uses for a quiet live stream and for a source that does not exist yet. */

describe('connection text', () => {
	const now = 1_000_000;

	it('says a live stream is quiet once no line came for a while, counting from its last record', () => {
		expect(liveDetail(now - 60_000, now - 1000, now)).toBe('live');
		expect(liveDetail(now - 60_000, now - QUIET_AFTER_MS, now)).toBe('live, quiet 5s');
		expect(liveDetail(now - 60_000, now - 8900, now)).toBe('live, quiet 5s');
		expect(liveDetail(now - 60_000, now - 10_000, now)).toBe('live, quiet 10s');
		expect(liveDetail(now - 600_000, now - 59_999, now)).toBe('live, quiet 55s');
		expect(liveDetail(now - 600_000, now - 125_400, now)).toBe('live, quiet 2m');
		expect(liveDetail(now - 9_000_000, now - 3_959_000, now)).toBe('live, quiet 1h05m');
	});

	it('changes its words at most every 5 s in the first minute of quiet, then every minute: an idle screen is redrawn only when they change', () => {
		const texts = (from: number, to: number) => new Set(Array.from({length: (to - from) / 1000}, (_, second) => liveDetail(now - 9_000_000, now, now + from + second * 1000)));
		expect(texts(0, 60_000).size).toBe(12);
		expect(texts(60_000, 3_600_000).size).toBe(59);
	});

	it('counts quiet from the connection when no record came on it, and from the newer of the two', () => {
		expect(liveDetail(now - 2000, undefined, now)).toBe('live');
		expect(liveDetail(now - 12_000, undefined, now)).toBe('live, quiet 10s');
		// Records of an older connection do not make a fresh one quiet.
		expect(liveDetail(now - 1000, now - 300_000, now)).toBe('live');
	});

	it('says quiet in the status bar only when given the stream\'s stats', () => {
		const live: ConnectionState = {kind: 'live', since: now - 30_000};
		expect(connectionDetail(live, now)).toBe('live');
		expect(connectionDetail(live, now, {lastRecordAt: now - 9000})).toBe('live, quiet 5s');
		expect(connectionDetail(live, now, {lastRecordAt: now - 100})).toBe('live');
	});

	it('names the source it waits for, and when it asks again', () => {
		const waiting = {kind: 'waiting', source: 'automation/tonight', retryAt: now + 2500, reason: 'HTTP 404 Not Found: no automation "tonight"'} as const;
		expect(waitingDetail(waiting, now)).toBe('waiting for automation/tonight to appear (asking again in 3s)');
		expect(waitingDetail(waiting, now + 5000)).toBe('waiting for automation/tonight to appear');
		expect(connectionDetail(waiting, now)).toBe(waitingDetail(waiting, now));
		expect(connectionWord(waiting)).toBe('waiting');
		expect(connectionColor(waiting)).toBe('yellow');
	});

	it('never shows a control character a source name carries', () => {
		const waiting = {kind: 'waiting', source: 'automation/x\u001B[2J', retryAt: now, reason: ''} as const;
		expect(waitingDetail(waiting, now)).toBe('waiting for automation/x\u241B[2J to appear');
	});
});
