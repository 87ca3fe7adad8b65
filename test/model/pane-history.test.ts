import {describe, expect, it} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from '../server/server-fixture.js';

describe('a pane filled from its history beside its live stream', () => {
	const fixture = useServerFixture();

	it('holds the tail of a run live, knows what is earlier, and loads the page before it from the server', async () => {
		const server = await fixture().start();
		const {runId} = await ingest(
			server.url,
			undefined,
			{automationId: 'etl'},
			Array.from({length: 60}, (_, index) => `line ${index + 1}`),
		);
		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 25}), server: server.url, scrollback: 25});
		workspace.resize({columns: 100, rows: 12});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		try {
			await until(() => pane.store.window.size === 25, 'the tail of the run');
			expect(pane.store.window.earlierLines()).toBe(35);
			expect(pane.store.window.heldRange()).toEqual({from: 36, to: 60, of: 60});

			// The window is full: the page of ten before line 36 drops the ten newest, and the pane stops following.
			expect(await pane.loadEarlier(10)).toBe(true);
			expect(pane.store.window.heldRange()).toEqual({from: 26, to: 50, of: 60});
			expect(pane.store.following).toBe(false);
			await ingest(server.url, undefined, runId, ['line 61']);
			await until(() => pane.store.window.newerNotHeld === 1, 'the live line, counted and not held');
			pane.store.top();
			expect(pane.store.snapshot(Date.now()).rows[0]!.text).toBe('── 25 earlier lines not held');
		} finally {
			workspace.dispose();
		}
	});
});
