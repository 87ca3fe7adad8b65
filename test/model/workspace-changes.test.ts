import {describe, expect, it} from 'vitest';
import {memoryWorkspace} from '../ui/memory-stream.js';

/* What a line asks of the screen: a frame when a row shows it, a slow one when only a count does, none off screen. */

function workspaceOf(...sources: string[]) {
	const {workspace, streams} = memoryWorkspace();
	workspace.resize({columns: 100, rows: 30});
	for (const source of sources) {
		workspace.open(source);
	}

	const asked: string[] = [];
	workspace.subscribe((urgent, unseen) => {
		asked.push(urgent ? 'now' : unseen ? 'unseen' : 'soon');
	});
	return {workspace, asked, stream: (source: string) => streams.get(source)!};
}

describe('a line asks for', () => {
	it('a frame soon in a following pane, an unseen one in a paused or scrolled-back pane', () => {
		const {workspace, asked, stream} = workspaceOf('task/a');
		stream('task/a').log('one');
		workspace.focused!.store.setPaused(true);
		stream('task/a').log('two');
		expect(asked).toEqual(['soon', 'unseen']);
		workspace.focused!.store.setPaused(false);
		for (let index = 0; index < 40; index++) {
			stream('task/a').log(`line ${index}`);
		}

		asked.length = 0;
		workspace.focused!.store.top();
		stream('task/a').log('below the view');
		expect(asked).toEqual(['unseen']);
	});

	it('nothing from a pane off screen while another is zoomed', () => {
		const {workspace, asked, stream} = workspaceOf('task/a', 'task/b');
		workspace.focusIndex(0);
		workspace.toggleZoom();
		asked.length = 0;
		stream('task/b').log('off screen');
		stream('task/b').state({kind: 'live', since: Date.now()});
		expect(asked).toEqual([]);
		stream('task/a').log('on screen');
		expect(asked).toEqual(['soon']);
	});
});
