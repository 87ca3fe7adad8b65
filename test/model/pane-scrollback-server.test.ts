import {describe, expect, test} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {Workspace} from '../../source/model/workspace.js';
import {runPlace} from '../../source/ui/status-items.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

const RUN = 50_000;
const BATCH = 10_000;
/** The pane's text rows: a screen of 100 lines, so paging through the run takes 500 screens. */
const ROWS = 100;

const settled = async (pane: Pane) => until(() => !pane.pager.busy, 'the read to land');

/** The line numbers on screen, top to bottom (`line 12` → 12); markers of lines not held come out as NaN. */
function screen(pane: Pane): number[] {
	return pane.store.snapshot(Date.now()).rows.map((row) => Number(/^line (\d+)$/.exec(row.text)?.[1] ?? Number.NaN));
}

const backends = await storeBackends();

describe.each(backends)('a pane over a real server on $name scrolls back to the run\'s first line and forward to live', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('holding 1,000 of a run of 50,000: g reaches line 1, and paging down to live shows every line once, the ones logged meanwhile too', async () => {
		const server = await fixture().start();
		const lines = (from: number, count: number) => Array.from({length: count}, (_, index) => `line ${from + index}`);
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines(1, BATCH));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from, BATCH));
		}

		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 1000}), server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: ROWS + 2});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		pane.store.setTimestamps('none');
		try {
			await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
			expect(pane.store.window.heldRange()).toEqual({from: 49_001, to: 50_000, of: 50_000});

			pane.store.top();
			await settled(pane);
			expect(pane.pager.error).toBeUndefined();
			expect(screen(pane).slice(0, 3)).toEqual([1, 2, 3]);
			expect(runPlace(pane)).toBe('line 1 of 50,000');

			// Page down to live; every screen starts right after the one before, while lines are logged meanwhile.
			const seen: number[] = [...screen(pane)];
			let logged = RUN;
			for (let step = 0; step < 2000 && !pane.store.following; step++) {
				if (step % 100 === 50) {
					await ingest(server.url, undefined, runId, lines(logged + 1, 5));
					logged += 5;
				}

				pane.store.page(1);
				await settled(pane);
				if (step === 200) {
					expect(runPlace(pane)).toMatch(/^line [\d,]+ of 50,0\d\d$/);
				}

				if (!pane.store.following) {
					const shown = screen(pane);
					// No marker, no line twice, none left out, on any screen.
					expect(shown.every((line, index) => index === 0 || line === shown[index - 1]! + 1), shown.join(' ')).toBe(true);
					const next = shown.findIndex((line) => line > seen.at(-1)!);
					seen.push(...(next === -1 ? [] : shown.slice(next)));
				}
			}

			expect(pane.store.following).toBe(true);
			await until(() => screen(pane).at(-1) === logged, 'the newest line, live');
			const shown = screen(pane);
			seen.push(...shown.slice(shown.findIndex((line) => line > seen.at(-1)!)));
			expect(seen.length).toBe(logged);
			expect(seen.every((line, index) => line === index + 1)).toBe(true);
			expect(pane.store.window.size).toBeLessThanOrEqual(1000);
			expect(pane.store.window.liveHeld).toBe(true);
		} finally {
			workspace.dispose();
		}
	}, 120_000);

	it('g in a pane over an automation goes to the first line of the run it shows, not of the runs before it', async () => {
		const server = await fixture().start();
		const earlier = await ingest(server.url, undefined, {automationId: 'etl'}, Array.from({length: 3000}, (_, index) => `first run ${index + 1}`));
		await finishRun(server.url, undefined, earlier.runId);
		await ingest(server.url, undefined, {automationId: 'etl'}, Array.from({length: 5000}, (_, index) => `line ${index + 1}`));
		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 1000}), server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: 12});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		pane.store.setTimestamps('none');
		try {
			await until(() => screen(pane).at(-1) === 5000 && pane.store.window.size === 1000, 'the tail of the second run');
			pane.store.top();
			await settled(pane);
			expect(pane.pager.error).toBeUndefined();
			expect(screen(pane).slice(0, 3)).toEqual([1, 2, 3]);
			expect(runPlace(pane)).toBe('line 1 of 5,000');
		} finally {
			workspace.dispose();
		}
	});
});
