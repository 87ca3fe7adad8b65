import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {runAccess} from '../../source/commands/viewer.js';
import type {RunAccess} from '../../source/model/run-access.js';
import {RunListState} from '../../source/model/run-list-state.js';
import {startServer, type RunningServer} from '../../source/server/index.js';
import {RunList} from '../../source/ui/run-list.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';

/*
 * `H` while the server is down: the list's first page is refused on a real socket (nothing listens on the
 * port), the list says so with `retrying…` and asks again by itself; once a real dbtail server listens there,
 * the next try lists its runs, with no key pressed.
 */

// A port of this test's own (19300-19399): refused until the test starts the server on it.
const PORT = 19_331;
const SERVER = `http://127.0.0.1:${PORT}`;

describe('the run list (H) over a server that refuses, then answers', () => {
	let work: string | undefined;
	let server: RunningServer | undefined;
	let list: RunListState | undefined;

	afterEach(async () => {
		list?.dispose();
		await server?.close();
		if (work) {
			rmSync(work, {recursive: true, force: true});
		}
	});

	it('says retrying… with the error, asks again every few seconds while open, and lists the runs once the server is there', async () => {
		const client = runAccess({server: SERVER})!;
		let asked = 0;
		const access: RunAccess = {
			async runs(...args) {
				asked++;
				return client.runs(...args);
			},
			tasks: client.tasks,
		};
		list = new RunListState(access, Promise.resolve({kind: 'automation', id: 'etl'}), () => {}, 50);

		await until(() => list!.load.state === 'error', 'the first page to fail');
		expect(list.load).toMatchObject({state: 'error', retrying: true});
		const {lastFrame, unmount} = render(<RunList state={list} width={80} height={6} />);
		expect(lastFrame()).toContain('retrying… ');
		expect(lastFrame()).toContain(String(PORT));
		unmount();
		// Asked again by itself, while still refused.
		await until(() => asked >= 3, 'two more tries');
		expect(list.load.state).toBe('error');

		work = mkdtempSync(path.join(tmpdir(), 'dbtail-run-list-retry-'));
		server = await startServer({dbPath: path.join(work, 'runs.db'), port: PORT, log() {}});
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, ['extract started']);

		await until(() => list!.load.state === 'ready', 'the runs, once the server answers');
		expect(list.runs.map((run) => run.runId)).toEqual([runId]);
		const shown = render(<RunList state={list} width={80} height={6} />);
		expect(shown.lastFrame()).toContain(runId);
		expect(shown.lastFrame()).toContain('\n1 run\n');
		expect(shown.lastFrame()).not.toContain('retrying');
		shown.unmount();
	});
});
