import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import {stringWidth} from '../../source/model/text-columns.js';
import {Workspace} from '../../source/model/workspace.js';
import {App} from '../../source/ui/app.js';
import {fitStatusItems} from '../../source/ui/status-bar.js';
import {shortHistoryError} from '../../source/ui/status-items.js';
import {ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {until} from '../helpers/until.js';
import {screenText} from './screen-text.js';

/*
 * The status bar at 80x24 with the server killed and the pane scrolled back past what it holds: the pane's
 * state comes first and the failed history read is said too, shortened, where the whole `history: cannot
 * reach http://127.0.0.1:… for history (ECONNREFUSED)` did not fit behind the reconnecting text and was dropped.
 * A real `dbtail serve` (dist/), killed with SIGKILL; the viewer's model and Ink's renderer in this process.
 */

// This test's port (19300-19399), so the server's address has a known width.
const PORT = 19_341;

afterEach(() => {
	cleanup();
});

describe('the status bar at 80 columns with the server killed', () => {
	let work: string | undefined;
	let server: ServeProcess | undefined;
	let workspace: Workspace | undefined;

	afterEach(async () => {
		workspace?.dispose();
		await server?.stop('SIGKILL');
		if (work) {
			rmSync(work, {recursive: true, force: true});
		}
	});

	it('says the pane is reconnecting, then that reading the history failed and why, within 80 columns', async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-status-narrow-'));
		server = await startServeProcess(path.join(work, 'narrow.db'), [], {port: PORT});
		await ingest(server.url, undefined, {automationId: 'nightly-etl'}, Array.from({length: 300}, (_, index) => `line ${index + 1}`));
		workspace = new Workspace({factory: logStreamFactory({server: server.url}), server: server.url, scrollback: 50});
		workspace.open('automation/nightly-etl');
		workspace.resize({columns: 80, rows: 24});
		const {lastFrame} = render(<App workspace={workspace} size={{columns: 80, rows: 24}} loadSources={async () => []} writeRaw={() => undefined} />);
		const bar = () => screenText(lastFrame() ?? '').split('\n').at(-1) ?? '';
		await until(() => screenText(lastFrame() ?? '').includes('line 300') && bar().startsWith('live'), 'the pane live');

		await server.stop('SIGKILL');
		const pane = workspace.focused!;
		await until(() => pane.connection.kind === 'reconnecting', 'the pane to reconnect');
		// g: the run's first line is not held, and the history cannot be read.
		pane.store.top();
		await until(() => pane.pager.error !== undefined, 'the history read to fail');
		expect(pane.pager.error).toMatch(/^history: cannot reach http:\/\/127\.0\.0\.1:19341 for history \(ECONNREFUSED\)$/);

		await until(() => bar().includes('history failed'), 'the history error in the status bar');
		const line = bar();
		expect(line).toMatch(/^reconnecting in \d+s \(attempt \d+\)/);
		expect(line).toContain(' · history failed (ECONNREFUSED) · ');
		expect(line).toMatch(/\? help$/);
		expect(stringWidth(line)).toBeLessThanOrEqual(80);
	}, 30_000);
});

describe('fitting the status bar', () => {
	const hint = '? help';
	const texts = (width: number, items: Parameters<typeof fitStatusItems>[0]) => fitStatusItems(items, width, hint).map((item) => item.text);
	const state = {text: 'reconnecting in 3s (attempt 2): cannot reach http://127.0.0.1:19341 (ECONNREFUSED)', short: 'reconnecting in 3s (attempt 2)'};
	const history = {text: 'history: cannot reach http://127.0.0.1:19341 for history (ECONNREFUSED)', short: 'history failed (ECONNREFUSED)'};
	const place = {text: 'line 251 of 300'};

	it('keeps every item whole where they fit', () => {
		expect(texts(300, [state, history, place])).toEqual([state.text, history.text, place.text]);
	});

	it('shortens before it drops, and gives the most important item its whole text first where there is room', () => {
		expect(texts(80, [state, history, place])).toEqual([state.short, history.short, '…']);
		expect(texts(145, [state, history, place])).toEqual([state.text, history.short, place.text]);
	});

	it('drops the least important items when even their short forms do not fit, saying so; the first stays', () => {
		expect(texts(50, [state, history, place])).toEqual([state.short, '…']);
		expect(texts(20, [state, history])).toEqual([state.short]);
	});

	it('a failed history read is shortened to its cause; other messages are not', () => {
		expect(shortHistoryError('history: cannot reach http://127.0.0.1:1 for history (ECONNREFUSED)')).toBe('history failed (ECONNREFUSED)');
		expect(shortHistoryError('history: history answered HTTP 503: store unreachable')).toBe('history failed (HTTP 503)');
		expect(shortHistoryError('history: a page of 33 MiB is past the cap')).toBe('history failed');
		expect(shortHistoryError('no match in the run')).toBeUndefined();
	});
});
