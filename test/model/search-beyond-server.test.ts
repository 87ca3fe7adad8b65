import {describe, expect, test} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

const BATCH = 10_000;
/** Matches of `needle`, far apart: each but the newest lies beyond the 1,000 lines the pane holds. */
const NEEDLES = [7, 4_321, 12_000, 19_990];

const settled = async (pane: Pane) => until(() => !pane.pager.busy, 'the search to land');
const cursorLine = (pane: Pane) => pane.store.cursorLine()?.message;

const backends = await storeBackends();

describe.each(backends)('n / N over a real server on $name find matches older than the pane holds', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('holding 1,000 of a run of 20,000: N walks back through every match of the run, n forward again, each counted', async () => {
		const server = await fixture().start();
		const lines = (from: number) => Array.from({length: BATCH}, (_, index) => (NEEDLES.includes(from + index) ? `needle ${from + index}` : `line ${from + index}`));
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines(1));
		await ingest(server.url, undefined, runId, lines(BATCH + 1));

		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 1000}), server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: 22});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		try {
			await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
			pane.store.setSearch('needle');
			await pane.store.indexed();
			expect(pane.store.jumpToMatch(-1)).toBe('found');
			expect(cursorLine(pane)).toBe('needle 19990');

			for (const [index, needle] of [...NEEDLES].reverse().slice(1).entries()) {
				expect(pane.store.jumpToMatch(-1)).toBe('searching');
				await settled(pane);
				expect(pane.pager.error).toBeUndefined();
				expect(cursorLine(pane)).toBe(`needle ${needle}`);
				await until(() => pane.pager.matchPlace() !== undefined, 'the count');
				expect(pane.pager.matchPlaceText()).toBe(`match ${NEEDLES.length - 1 - index} of ${NEEDLES.length} in the run`);
				expect(pane.store.window.size).toBeLessThanOrEqual(1000);
			}

			expect(pane.store.jumpToMatch(1)).toBe('searching');
			await settled(pane);
			expect(cursorLine(pane)).toBe('needle 4321');
			expect(pane.store.jumpToMatch(1)).toBe('searching');
			await settled(pane);
			expect(cursorLine(pane)).toBe('needle 12000');
		} finally {
			workspace.dispose();
		}
	}, 60_000);
});
