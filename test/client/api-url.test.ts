import {describe, expect, it} from 'vitest';
import {apiUrl, historyUrl, streamUrl} from '../../source/protocol/streams.js';

/* A dbtail behind a proxy lives under a path (`https://host/dbtail/`): every API URL must keep it. */

describe('apiUrl', () => {
	it.each([
		['https://host', 'https://host/api/catalog'],
		['https://host/', 'https://host/api/catalog'],
		['https://host/dbtail', 'https://host/dbtail/api/catalog'],
		['https://host/dbtail/', 'https://host/dbtail/api/catalog'],
		['https://host/a/b/?x=1#frag', 'https://host/a/b/api/catalog'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080/api/catalog'],
	])('joins %s and /api/catalog as %s', (server, expected) => {
		expect(apiUrl(server, '/api/catalog').href).toBe(expected);
	});

	it('keeps the query of the path and accepts a path without a leading slash', () => {
		expect(apiUrl('https://host/dbtail', '/api/logs?stream=true').href).toBe('https://host/dbtail/api/logs?stream=true');
		expect(apiUrl('https://host/dbtail', 'api/logs').href).toBe('https://host/dbtail/api/logs');
	});

	it('is what the stream and history URLs are built on', () => {
		const ref = {kind: 'automation', id: 'nightly-etl'} as const;
		expect(streamUrl('https://host/dbtail/', ref, {heartbeat: 5}).href).toBe(
			'https://host/dbtail/api/automations/nightly-etl/logs?stream=true&heartbeat=5',
		);
		expect(historyUrl('https://host/dbtail', ref, {after: '7'}).href).toBe(
			'https://host/dbtail/api/automations/logs?automationID=nightly-etl&after=7',
		);
	});
});
