import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {logStreamFactory} from '../../source/commands/viewer.js';
import {Workspace} from '../../source/model/workspace.js';
import {App} from '../../source/ui/app.js';
import {fetchCatalog} from '../../source/client/catalog.js';
import {catalogEntries} from '../../source/model/source-catalog.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {screenText} from './screen-text.js';
import {useServerFixture} from '../server/server-fixture.js';

afterEach(() => {
	cleanup();
});

/** Polls the screen until it satisfies `ok`, failing with the last frame after the deadline. */
async function waitForFrame(lastFrame: () => string | undefined, ok: (frame: string) => boolean, timeoutMs = 10_000): Promise<string> {
	const frame = () => screenText(lastFrame() ?? '');
	try {
		await until(() => ok(frame()), 'a frame', timeoutMs);
	} catch (error) {
		throw new Error(`${(error as Error).message}; the last frame:\n${frame()}`, {cause: error});
	}

	return frame();
}

describe('viewer over a real server', () => {
	const fixture = useServerFixture();

	it('shows live, sanitized lines and the run state through to its end', async () => {
		const server = await fixture().start();
		const {runId} = await ingest(server.url, undefined, {automationId: 'nightly-etl'}, [
			{level: 'INFO', message: 'extract started', taskId: 'extract'},
			{level: 'ERROR', message: 'row 7 \u001B[31mis bad', taskId: 'extract'},
		]);
		const workspace = new Workspace({factory: logStreamFactory({server: server.url}), server: server.url});
		workspace.open('automation/nightly-etl');
		workspace.resize({columns: 100, rows: 12});
		const {lastFrame} = render(
			<App
				workspace={workspace}
				size={{columns: 100, rows: 12}}
				loadSources={async () => catalogEntries(await fetchCatalog({server: server.url}))}
				writeRaw={() => undefined}
			/>,
		);
		try {
			const first = await waitForFrame(lastFrame, (frame) => frame.includes('is bad') && frame.includes('● live'));
			expect(first).toContain('INFO  [extract] extract started');
			// The escape sequence in the message arrives neutralized: it cannot color or move anything.
			expect(first).toContain('ERROR [extract] row 7 ␛[31mis bad');
			expect(first).toMatch(/automation\/nightly-etl r-\S+ running/);

			await ingest(server.url, undefined, runId, [{level: 'WARN', message: 'late line'}]);
			await waitForFrame(lastFrame, (frame) => frame.includes('late line'));
			await finishRun(server.url, undefined, runId, 'failed');
			await waitForFrame(lastFrame, (frame) => frame.includes(`${runId} failed`));
		} finally {
			workspace.dispose();
		}
	});
});
