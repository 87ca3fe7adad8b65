import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, expect, test} from 'vitest';
import {historyReader} from '../../source/client/history.js';
import {HistoryPager} from '../../source/model/history-pager.js';
import {PaneStore} from '../../source/model/pane-store.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {ingest, type IngestLine} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

/*
 * `match 3 of 41 in the run` over a real server: each count (`count=true`) is a scan that holds one of the
 * server's few search slots, so one `n` asks for one count (the matches up to the hit), the run's total
 * being kept per search, level floor and run, and counted again only when the run has grown. The counts
 * are of the matches at or above the pane's level floor, as the search reads them.
 */

/** A proxy in front of the server that keeps the query of every history request asking for a count. */
async function countingProxy(target: string): Promise<{url: string; counts: URLSearchParams[]; close: () => Promise<void>}> {
	const counts: URLSearchParams[] = [];
	const server = http.createServer((req, res) => {
		const url = new URL(req.url!, target);
		if (url.searchParams.get('count') === 'true') {counts.push(url.searchParams);}
		const upstream = http.request(url, {method: req.method, headers: req.headers}, (answer) => {
			res.writeHead(answer.statusCode!, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		counts,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** 200 lines; `needle` at the seqs given, WARN but for 120 (INFO). */
const NEEDLES = [20, 60, 120, 150, 190];
const lines = (): IngestLine[] =>
	Array.from({length: 200}, (_, index) => {
		const seq = index + 1;
		return NEEDLES.includes(seq) ? {level: seq === 120 ? 'INFO' : 'WARN', message: `needle ${seq}`} : `hay ${seq}`;
	});

const backends = await storeBackends();

describe.each(backends)('the run\'s match count over a real server on $name', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('one n asks for one count; the total is counted once per search, floor and run, and again when the run grew', async () => {
		const server = await fixture().start();
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines());
		const proxy = await countingProxy(server.url);
		try {
			const reader = historyReader({source: 'automation/etl', server: proxy.url})!;
			const store = new PaneStore({scrollback: 1000});
			store.resize({rows: 10, width: 80});
			const pager = new HistoryPager(store, reader, () => {});
			const append = (records: LogRecord[]) => {
				for (const record of records) {
					store.append(record);
					pager.heard(record);
				}
			};

			append((await reader.before(undefined, 1000)).records);
			store.setSearch('needle');
			await store.indexed();
			const cursorLine = () => store.cursorLine()?.message;
			const counted = async (text: string) => until(() => pager.matchPlaceText() === text, text);
			const countsSince = (from: number) => proxy.counts.slice(from);

			// The first n of a search: the matches up to the hit, then the run's total, one after the other.
			expect(store.jumpToMatch(-1)).toBe('found');
			expect(cursorLine()).toBe('needle 190');
			await counted('match 5 of 5 in the run');
			expect(countsSince(0).map((query) => query.has('before') ? 'up to' : 'total')).toEqual(['up to', 'total']);

			// Every n after it: one count.
			for (const [needle, at] of [[150, 4], [120, 3], [60, 2]] as const) {
				const before = proxy.counts.length;
				expect(store.jumpToMatch(-1)).toBe('found');
				expect(cursorLine()).toBe(`needle ${needle}`);
				await counted(`match ${at} of 5 in the run`);
				const id = store.window.idAtOrBefore(store.view.cursorPosition()!);
				expect(countsSince(before).map((query) => query.get('before'))).toEqual([String(Number(id) + 1)]);
			}

			// The pane's level floor applies to the count as to the search: the INFO needle is not counted.
			let before = proxy.counts.length;
			store.setLevelFloor('WARN');
			expect(store.jumpToMatch(1)).toBe('found');
			expect(cursorLine()).toBe('needle 150');
			await counted('match 3 of 4 in the run');
			expect(countsSince(before).map((query) => query.get('level'))).toEqual(['WARN', 'WARN']);
			before = proxy.counts.length;
			expect(store.jumpToMatch(1)).toBe('found');
			expect(cursorLine()).toBe('needle 190');
			await counted('match 4 of 4 in the run');
			expect(countsSince(before)).toHaveLength(1);

			// Back to every level: that total is kept still.
			before = proxy.counts.length;
			store.setLevelFloor(undefined);
			expect(store.jumpToMatch(-1)).toBe('found');
			expect(cursorLine()).toBe('needle 150');
			await counted('match 4 of 5 in the run');
			expect(countsSince(before)).toHaveLength(1);

			// The run grew, live: the next n counts its total again, and it says so.
			const more = await ingest(server.url, undefined, runId, [{level: 'WARN', message: 'needle 201'}]);
			append((await reader.after(String(Number(more.firstId) - 1), 10)).records);
			before = proxy.counts.length;
			expect(store.jumpToMatch(-1)).toBe('found');
			expect(cursorLine()).toBe('needle 120');
			await counted('match 3 of 6 in the run');
			expect(countsSince(before)).toHaveLength(2);
		} finally {
			await proxy.close();
		}
	}, 30_000);
});
