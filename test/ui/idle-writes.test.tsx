import {stripVTControlCharacters as stripAnsi} from 'node:util';
import {describe, expect, it} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {runApp} from '../../source/ui/run-app.js';
import {until} from '../helpers/until.js';
import {fakeTerminal} from './fake-terminal.js';
import {MemoryStream} from './memory-stream.js';

/*
 * What the viewer writes to its terminal while nothing on screen changes but a paused pane's count: Ink
 * renders to a stdout this test holds, as runApp gives it the real one.
 */

describe('a paused pane receiving lines', () => {
	it('writes its count at most once a second, and nothing of its rows (it drew a frame per line)', async () => {
		const tty = fakeTerminal(200, 60);
		let stream: MemoryStream | undefined;
		// Absolute times: relative ages change by the second on their own, and that is a change to draw.
		const workspace = new Workspace({
			server: 'http://dbtail.test',
			timestamps: 'absolute',
			factory(name) {
				stream = new MemoryStream(name);
				return stream;
			},
		});
		workspace.open('task/a');
		const running = runApp({workspace, loadSources: async () => [], stdout: tty.stdout as never, stdin: tty.stdin as never});
		const written = (from = 0) => tty.writes.slice(from).join('');
		stream!.state({kind: 'live', since: Date.now()});
		for (let index = 1; index <= 30; index++) {
			stream!.log(`shown line ${index}`);
		}

		await until(() => written().includes('shown line 30'), 'the lines on screen');
		tty.type('p');
		await until(() => written().includes('PAUSED +0 new'), 'the pane paused');
		const mark = tty.writes.length;
		// Twenty lines over a second, as a busy run logs them.
		let sent = 0;
		const producer = setInterval(() => {
			stream!.log(`unseen line ${++sent}`);
			if (sent === 20) {
				clearInterval(producer);
			}
		}, 50);
		await until(() => written(mark).includes('PAUSED +20 new'), 'the count of twenty', 5000);
		const frames = tty.writes.slice(mark).filter((chunk) => chunk.includes('PAUSED'));
		// A frame a second at most: the feed took a second, so two or three, not twenty.
		expect(frames.length, frames.map((chunk) => stripAnsi(chunk)).join('\n---\n')).toBeLessThanOrEqual(3);
		// Only the title and the status bar, which hold the count: no row of the pane is written again.
		for (const line of stripAnsi(written(mark)).split('\n')) {
			expect(line.trim() === '' || line.includes('PAUSED +'), line).toBe(true);
		}

		expect(written(mark)).not.toContain('unseen line');
		tty.type('q');
		expect(await running).toBe(0);
	});
});
