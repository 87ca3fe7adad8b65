import {describe, expect, it} from 'vitest';
import {fetchCatalog} from '../../source/client/catalog.js';
import {ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';

describe('fetchCatalog over a real server', () => {
	const fixture = useServerFixture();

	it('sends the token in a header and refreshes it once with the token command on a 401', async () => {
		const server = await fixture().start({tokens: [{token: 'sekrit', permissions: ['read', 'write']}]});
		await ingest(server.url, 'sekrit', {automationId: 'nightly-etl'}, [{level: 'INFO', message: 'hi', taskId: 'extract'}]);
		await expect(fetchCatalog({server: server.url})).rejects.toThrow(/answered 401/);
		const catalog = await fetchCatalog({server: server.url, token: 'sekrit'});
		expect(catalog.automations).toMatchObject([{id: 'nightly-etl', tasks: ['extract']}]);
		const refreshed = await fetchCatalog({server: server.url, token: 'stale', tokenCommand: 'echo sekrit'});
		expect(refreshed.automations.map((automation) => automation.id)).toEqual(['nightly-etl']);
	});

	it('says when there is no server or it cannot be reached', async () => {
		await expect(fetchCatalog({})).rejects.toThrow(/no server to list sources from/);
		const server = await fixture().start();
		const {url} = server;
		await server.close();
		await expect(fetchCatalog({server: url})).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+/);
	});
});
