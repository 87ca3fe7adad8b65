import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {finishRun, ingest} from '../helpers/ingest.js';
import type {TmuxSession} from '../helpers/tmux.js';
import {startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * The real `dbtail` (built dist/) in tmux at 80x24 against a real `dbtail serve --demo`, on an automation
 * with three runs this test writes: `[` opens the earlier run in place, `]` comes back to live, `H` lists the
 * runs and `/timeout` marks the one whose lines match, `i` shows the run's tasks, and Enter opens the failed
 * task at its first ERROR line.
 */

describe('dbtail viewer runs in tmux', () => {
	let fixture: ViewerFixture;
	let session: TmuxSession;
	let first: string;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'runs',
			serveArgs: ['--demo', '--rate', '5'],
			async seed(url) {
				({runId: first} = await ingest(url, undefined, {automationId: 'e2e'}, [
					{level: 'INFO', message: 'first run extract done', taskId: 'extract'},
					{level: 'ERROR', message: 'first run load: timeout', taskId: 'load'},
					{level: 'INFO', message: 'first run load gave up', taskId: 'load'},
				]));
				await finishRun(url, undefined, first, 'failed');
				const {runId: second} = await ingest(url, undefined, {automationId: 'e2e'}, [{level: 'INFO', message: 'second run extract done', taskId: 'extract'}]);
				await finishRun(url, undefined, second);
				await ingest(url, undefined, {automationId: 'e2e'}, [{level: 'INFO', message: 'third run extract running', taskId: 'extract'}]);
			},
			viewerArgs: '--timestamps none automation/e2e',
			width: 80,
			height: 24,
		});
		({session} = fixture);
	}, 60_000);

	afterAll(async () => fixture?.stop());

	test('[ [ shows the first run in place, its title saying how far back; ] ] is live again', async () => {
		await session.waitFor('third run extract running', {timeoutMs: 20_000});
		await session.sendKeys('[');
		await session.sendKeys('[');
		const screen = await session.waitFor((current) => current.includes('first run load gave up') && current.includes('2 runs back · failed'), {timeoutMs: 15_000});
		// The title names the live source and the run beside it, once.
		expect(screen).toContain(`automation/e2e ${first} · 2 runs back`);
		await session.sendKeys(']');
		await session.waitFor('second run extract done', {timeoutMs: 15_000});
		await session.sendKeys(']');
		await session.waitFor((current) => current.includes('third run extract running') && !current.includes(' back ·'), {timeoutMs: 15_000});
	});

	test('H lists the runs, /timeout marks the one that matches; i shows its tasks and Enter opens the failed one at its ERROR', async () => {
		await session.sendKeys('H');
		await session.waitFor('Runs of automation/e2e', {timeoutMs: 15_000});
		await session.sendKeys('/');
		await session.type('timeout');
		await session.sendKeys('Enter');
		const marked = await session.waitFor('1 match ', {timeoutMs: 15_000});
		expect(marked).toMatch(new RegExp(`\\* ${first} +failed +1 match`));
		await session.sendKeys('j');
		await session.sendKeys('j');
		await session.sendKeys('Enter');
		await session.waitFor('first run load gave up', {timeoutMs: 15_000});
		await session.sendKeys('i');
		const overview = await session.waitFor('└─ load', {timeoutMs: 15_000});
		expect(overview).toContain(`Run ${first} of automation/e2e · failed in`);
		expect(overview).toMatch(/└─ load +failed\*.*1 ERROR {2}first run load: timeout/);
		await session.sendKeys('j');
		await session.sendKeys('Enter');
		const task = await session.waitFor(`task/load?run=${first}`, {timeoutMs: 15_000});
		expect(task).toContain('first run load: timeout');
	});
});
