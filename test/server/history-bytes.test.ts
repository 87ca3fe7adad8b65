import {describe, expect, it as test} from 'vitest';
import type {HistoryAnswer} from '../../source/protocol/api.js';
import {HISTORY_ANSWER_BYTES} from '../../source/server/routes/read-routes.js';
import {openStore} from '../../source/server/store/open-store.js';
import {RECORD_OVERHEAD_BYTES} from '../../source/server/store/rows.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * History pages are sized in bytes as well as in records, on both stores: a store read stops before its
 * records pass `maxBytes` (one record always), and an HTTP answer stops within its budget and says `next`.
 */

const KB = 1024;
const backends = await storeBackends();

describe.each(backends)('history pages sized in bytes on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('a store page stops before maxBytes, from the end it reads from, holds one record however large, and says cut', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {automationId: 'big'});
		// 10 KB lines: each counts 10 KB and the overhead.
		await ingest(server.url, undefined, runId, Array.from({length: 6}, (_, i) => `${i}`.padEnd(10 * KB, '.')));
		await server.close();
		const store = await openStore(fixture.dbPath, {log() {}});
		try {
			const one = 10 * KB + RECORD_OVERHEAD_BYTES;
			const page = async (query: {maxBytes?: number; order?: 'asc' | 'desc'; after?: number}) => {
				const {records, cut} = await store.history({kind: 'automation', id: 'big'}, {limit: 100, ...query});
				return {ids: records.map((record) => record.id), cut: cut ?? false};
			};

			expect(await page({})).toEqual({ids: ['1', '2', '3', '4', '5', '6'], cut: false});
			expect(await page({maxBytes: 3 * one})).toEqual({ids: ['1', '2', '3'], cut: true});
			expect(await page({maxBytes: 3 * one - 1})).toEqual({ids: ['1', '2'], cut: true});
			expect(await page({maxBytes: 3 * one, order: 'desc'})).toEqual({ids: ['4', '5', '6'], cut: true});
			expect(await page({maxBytes: 10})).toEqual({ids: ['1'], cut: true});
			expect(await page({maxBytes: 10, order: 'desc'})).toEqual({ids: ['6'], cut: true});
			expect(await page({maxBytes: 10, after: 5})).toEqual({ids: ['6'], cut: false});
			expect(await page({maxBytes: 6 * one})).toEqual({ids: ['1', '2', '3', '4', '5', '6'], cut: false});
		} finally {
			await store.close();
		}
	});

	it('an answer stops within its byte budget, says next, and following next (both ways) reads every record once', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {automationId: 'big'});
		// 12 lines of 1 MB of U+0001: 6 MB each once escaped, so the budget holds none but the first.
		const size = 1024 * KB;
		await ingest(server.url, undefined, runId, Array.from({length: 2}, (_, i) => `${i} ${'\u0001'.repeat(size)}`));
		await ingest(server.url, undefined, runId, Array.from({length: 10}, (_, i) => `${i + 2} ${'x'.repeat(size)}`));
		const read = async (query: string) => {
			const response = await fetch(`${server.url}/api/automations/logs?automationID=big&limit=1000&${query}`);
			const text = await response.text();
			return {page: JSON.parse(text) as HistoryAnswer, bytes: Buffer.byteLength(text)};
		};

		const forward: string[] = [];
		for (let after = '0'; ; ) {
			const {page, bytes} = await read(`order=asc&after=${after}`);
			expect(page.logs.length === 1 || bytes <= HISTORY_ANSWER_BYTES + 1024, `${bytes} bytes`).toBe(true);
			forward.push(...page.logs.map((record) => record.id));
			if (!page.next) {break;}
			after = page.next;
		}

		const expected = Array.from({length: 12}, (_, i) => String(i + 1));
		expect(forward).toEqual(expected);
		const backward: string[] = [];
		for (let before = ''; ; ) {
			const {page} = await read(`order=desc${before ? `&before=${before}` : ''}`);
			backward.unshift(...page.logs.map((record) => record.id));
			if (!page.next) {break;}
			before = page.next;
		}

		expect(backward).toEqual(expected);
		const first = await read('order=asc');
		expect(first.page.logs.map((record) => record.id)).toEqual(['1']);
		expect(first.page.next).toBe('1');
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		expect(Number(/^dbtail_history_pages_cut_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
	});
});
