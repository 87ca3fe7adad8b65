import {describe, expect, test} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

/*
 * A task's pane holds part of a run: its records' `seq` numbers the run's lines, not the task's. The marker
 * above its oldest line must not count the run's other tasks' lines as its own earlier lines.
 */

/** A workspace holding `scrollback` lines a pane, with a pane on task/load open in it. */
function loadPane(url: string, scrollback: number): {workspace: Workspace; pane: Pane} {
	const workspace = new Workspace({factory: logStreamFactory({server: url, scrollback}), server: url, scrollback});
	workspace.resize({columns: 100, rows: 40});
	workspace.open('task/load');
	const pane = workspace.focused!;
	pane.store.setTimestamps('none');
	return {workspace, pane};
}

const texts = (pane: Pane) => pane.store.snapshot(Date.now()).rows.map((row) => row.text);
const lines = (taskId: string, count: number) => Array.from({length: count}, (_, index) => ({level: 'INFO', message: `${taskId} ${index + 1}`, taskId}));

const backends = await storeBackends();

describe.each(backends)('a task\'s pane over a real server on $name says what it does not hold of the task', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('counts no other task\'s lines as its own earlier lines, and says only that some are not held once it pushed some out', async () => {
		const server = await fixture().start();
		// 300 lines of extract, then load's: load's first line is the run's 301st.
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines('extract', 300));
		await ingest(server.url, undefined, runId, lines('load', 20));

		const {workspace, pane} = loadPane(server.url, 1000);
		try {
			await until(() => texts(pane).includes('load 20') && pane.connection.kind === 'live', 'load\'s lines, live');
			// Every line of load is held: nothing is said above them (the run's 300 earlier lines are extract's).
			expect(pane.store.window.earlierLines()).toBeUndefined();
			expect(texts(pane).filter((text) => text.includes('earlier'))).toEqual([]);
			expect(texts(pane)[0]).toBe('load 1');
		} finally {
			workspace.dispose();
		}

		// A pane that holds 10 of load's 60 lines (the run's 451st to 460th).
		await ingest(server.url, undefined, runId, lines('extract', 100));
		await ingest(server.url, undefined, runId, lines('load', 40).map((line, index) => ({...line, message: `load ${index + 21}`})));
		const {workspace: small, pane: held} = loadPane(server.url, 10);
		try {
			await until(() => texts(held).includes('load 60') && held.connection.kind === 'live', 'load\'s newest lines, live');
			// It opened on load's newest lines: how many of load's come before them is not known, so nothing is said.
			expect(texts(held)[0]).toBe('load 51');
			expect(texts(held).filter((text) => text.includes('earlier'))).toEqual([]);
			// Live lines push the oldest out: that some are not held is known, how many of the task's is not.
			await ingest(server.url, undefined, runId, [{level: 'INFO', message: 'load 61', taskId: 'load'}]);
			await until(() => texts(held).includes('load 61'), 'a live line of load');
			expect(held.store.window.evicted).toBe(1);
			expect(texts(held).filter((text) => text.includes('earlier'))).toEqual(['── earlier lines not held']);
		} finally {
			small.dispose();
		}
	});
});
