import {describe, expect, it} from 'vitest';
import {catalogEntries, fetchCatalog, searchSources} from '../../source/model/source-catalog.js';
import {ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';

const catalog = {
	automations: [{id: 'nightly-etl', tasks: ['extract', 'load'], currentRun: {runId: 'r-1', status: 'running' as const, startedAt: ''}}],
	pipelines: [{id: 'sales\u001B]0;x', artifacts: ['report-csv'], currentRun: null}],
};

describe('catalog entries', () => {
	it('lists automations with their tasks and pipelines with their artifacts, sanitized', () => {
		expect(catalogEntries(catalog).map((entry) => [entry.name, entry.status])).toEqual([
			['all', undefined],
			['automation/nightly-etl', 'running'],
			['task/extract', 'running'],
			['task/load', 'running'],
			['pipeline/sales␛]0;x', undefined],
			['artifact/report-csv', undefined],
		]);
	});

	it('shows only run statuses the protocol knows: a hostile one (an OSC 52 clipboard write) never reaches the screen', () => {
		const hostile = {
			automations: [{id: 'a', tasks: [], currentRun: {runId: 'r-1', status: '\u001B]52;c;aGk=\u0007running' as 'running', startedAt: ''}}],
			pipelines: [],
		};
		expect(catalogEntries(hostile).map((entry) => entry.status)).toEqual([undefined, undefined]);
	});

	it('matches fuzzily, best first, and lists all for an empty query', () => {
		const entries = catalogEntries(catalog);
		expect(searchSources(entries, 'extrct', 5)[0]?.name).toBe('task/extract');
		expect(searchSources(entries, 'reprt', 5)[0]?.name).toBe('artifact/report-csv');
		expect(searchSources(entries, '', 3)).toHaveLength(3);
	});
});

describe('fetchCatalog over a real server', () => {
	const fixture = useServerFixture();

	it('sends the token in a header and refreshes it once with the token command on a 401', async () => {
		const server = await fixture().start({tokens: [{token: 'sekrit', scopes: ['read', 'write']}]});
		await ingest(server.url, 'sekrit', {automationId: 'nightly-etl'}, [{level: 'INFO', message: 'hi', taskId: 'extract'}]);
		await expect(fetchCatalog({server: server.url})).rejects.toThrow(/answered 401/);
		const names = (await fetchCatalog({server: server.url, token: 'sekrit'})).map((entry) => entry.name);
		expect(names).toContain('automation/nightly-etl');
		expect(names).toContain('task/extract');
		const refreshed = await fetchCatalog({server: server.url, token: 'stale', tokenCommand: 'echo sekrit'});
		expect(refreshed.map((entry) => entry.name)).toContain('task/extract');
	});

	it('says when there is no server or it cannot be reached', async () => {
		await expect(fetchCatalog({})).rejects.toThrow(/no server to list sources from/);
		const server = await fixture().start();
		const {url} = server;
		await server.close();
		await expect(fetchCatalog({server: url})).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+/);
	});
});
