import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer} from './render-viewer.js';

/* What `T` draws: its prompt, a time that is not one said beside the line, and where it went in the status bar. */

afterEach(() => {
	cleanup();
});

/** Today 06:00 local, plus n minutes: line n. */
const minute = (n: number) => {
	const date = new Date();
	date.setHours(6, n, 0, 0);
	return date.toISOString();
};

describe('T, a time', () => {
	it('asks for a time, names one that is not, and goes to the first line at or after it, saying where', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
		const stream = viewer.stream('task/a');
		for (let n = 1; n <= 60; n++) {
			stream.log(`line ${n}`, 'INFO', {timestamp: minute(n)});
		}

		await viewer.showing('line 60');
		await viewer.press('T');
		await viewer.showing('time:  ', '14:05 · 14:05:30 · -10m · ISO · Enter go · Esc cancel');
		await viewer.press(...'nope', keys.enter);
		const refused = await viewer.showing('time: nope', 'not a time: "nope" (use 14:05, 14:05:30, -10m, -2h or an ISO time)');
		expect(refused).not.toContain('Enter go');

		// Ctrl-U clears the line; typing again clears what Enter said.
		await viewer.press('\u0015', ...'06:19:30');
		await viewer.frame((frame) => frame.includes('time: 06:19:30') && !frame.includes('not a time'), 'the line retyped, the error gone');
		await viewer.press(keys.enter);
		const landed = await viewer.showing('06:19:30 → line 20', 'not following');
		expect(landed).not.toContain('time:');
		expect(landed).toMatch(/line 20\s*$/m);

		// Past the newest line: said, and the view stays.
		await viewer.press('T', ...'23:59', keys.enter);
		const stayed = await viewer.showing('no line at or after 23:59:00');
		expect(stayed).toMatch(/line 20\s*$/m);
	});

	it('is in the footer where the status bar has room for it, and in the help', async () => {
		const wide = renderViewer({sources: ['task/a'], columns: 160, rows: 30});
		wide.stream('task/a').log('only line', 'INFO', {timestamp: minute(1)});
		await wide.showing('? help  / filter  s search  T time  e ERROR  p pause  o open  q quit');
		await wide.press('?');
		await wide.showing("g  G  T          the run's first line / live again; T a time (14:05, -10m)");
	});

	it('Esc leaves the prompt and changes nothing', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
		viewer.stream('task/a').log('only line', 'INFO', {timestamp: minute(1)});
		await viewer.showing('only line');
		await viewer.press('T', ...'06:00', keys.escape);
		const frame = await viewer.frame((shown) => !shown.includes('time:'), 'the prompt gone');
		expect(frame).not.toContain('→');
		expect(frame).not.toContain('not following');
	});
});
