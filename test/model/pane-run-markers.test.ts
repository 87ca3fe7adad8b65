import {describe, expect, it} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import {runEndText} from '../../source/model/connection-text.js';
import {Workspace} from '../../source/model/workspace.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from '../server/server-fixture.js';

/* A pane that follows an automation from run to run says how each run ended, in line, before the next starts. */

describe('run markers in a pane', () => {
	const fixture = useServerFixture();

	it('marks the end of a run (── run r-1 failed in …) before the next run\'s start, once', async () => {
		const server = await fixture().start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, first, ['extracting']);
		const workspace = new Workspace({factory: logStreamFactory({server: server.url}), server: server.url});
		workspace.resize({columns: 100, rows: 12});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		const texts = () => pane.store.snapshot(Date.now()).rows.map((row) => row.text);
		try {
			await until(() => texts().includes('extracting') && pane.connection.kind === 'live', 'the first run live');
			await finishRun(server.url, undefined, first, 'failed');
			const second = await createRun(server.url, undefined, {automationId: 'etl'});
			await ingest(server.url, undefined, second, ['extracting again']);
			await until(() => texts().includes('extracting again'), 'the second run');
			const end = texts().findIndex((text) => /^── run r-1 failed in \d+(ms|s)$/.test(text));
			expect(end, texts().join('\n')).toBeGreaterThan(texts().indexOf('extracting'));
			expect(texts().indexOf('── run r-2 started')).toBeGreaterThan(end);
			expect(texts().filter((text) => text.startsWith('── run r-1 '))).toHaveLength(1);
		} finally {
			workspace.dispose();
		}
	});

	it('says a run\'s end in follow\'s words', () => {
		expect(runEndText({runId: 'r-40', status: 'failed', durationMs: 3000})).toBe('run r-40 failed in 3s');
		expect(runEndText({runId: 'r-7', status: 'succeeded'})).toBe('run r-7 succeeded');
	});
});
