import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * Log text must never move the layout, whatever the terminal measures. tmux draws some graphemes wider
 * than string-width says (an emoji with a skin-tone modifier: 4 columns, not 2; a ZWJ family: up to 6),
 * and a row drawn wider than the terminal wraps and pushes every row below it down. Two panes side by
 * side at 100x12, the left one full of hostile graphemes, the right one plain: the screen must keep its
 * shape, with wrap on and off, through redraws and a resize.
 */

const root = path.resolve(import.meta.dirname, '../..');
const HOSTILE = [
	'deploy ok 👍🏽 by team 👨‍👩‍👧 — CJK 日本語のログ行です and more words after it',
	'flags 🇯🇵🇺🇸🇪🇺 hearts ❤️❤️❤️ keycaps 1️⃣2️⃣ skin 👋🏿👋🏻 family 👩‍👩‍👦‍👦 zwj 🏳️‍🌈',
	'combining e\u0301e\u0301 a\u0308 Z\u0335\u0336 z̸̢̧̛̖̗ hangul 한국어 jamo 각 thai ภาษาไทย arabic مرحبا',
	'wide ＡＢＣＤＥＦ ｱｲｳ emoji 🙂🙃😀😁😂🤣😃😄😅😆😉😊😋😎😍😘 end',
	'tabs\tand\tmore\ttabs and a long tail '.repeat(3),
];

/** The rows of the screen: all 12 are the app's, the status bar on the last. */
function checkShape(screen: string, what: string): void {
	const rows = screen.split('\n');
	expect(rows[0], `${what}: the top row is the titles`).toMatch(/^▶1 automation\/hostile .*│ 2 automation\/plain /);
	expect(rows[11], `${what}: the status bar is on the last row`).toMatch(/live(, quiet \S+)? · /);
	for (const [index, row] of rows.slice(0, 11).entries()) {
		// One rule a row, and nothing of the left pane past it: the right pane keeps its own text.
		expect(row.split('│').length, `${what}: row ${index}: ${row}`).toBe(2);
		const right = row.split('│')[1]!.trim();
		expect(right === '' || /^(2 automation\/plain|.*INFO +plain line \d+$)/.test(right), `${what}: row ${index}: ${row}`).toBe(true);
	}
}

describe('hostile graphemes in a real tmux', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-hostile-'));
		server = await startServeProcess(path.join(work, 'hostile.db'));
		const hostile = await createRun(server.url, undefined, {automationId: 'hostile'});
		const plain = await createRun(server.url, undefined, {automationId: 'plain'});
		await ingest(server.url, undefined, hostile, [...HOSTILE, ...HOSTILE]);
		await ingest(server.url, undefined, plain, Array.from({length: 12}, (_, i) => `plain line ${i + 1}`));
		session = await TmuxSession.start({
			command: `exec node bin/dbtail.js --server ${server.url} automation/hostile automation/plain`,
			width: 100,
			height: 12,
			cwd: root,
		});
	});

	afterAll(async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test('with wrap on, off, scrolled sideways, and after a resize, every row stays where it belongs', async () => {
		checkShape(await session.waitFor((screen) => screen.includes('plain line 12') && screen.includes('● live')), 'wrap on');
		await session.sendKeys('w');
		checkShape(await session.waitFor((screen) => /nowrap/.test(screen)), 'wrap off');
		await session.sendKeys('l', 'l', 'l');
		checkShape(await session.waitFor((screen) => /nowrap \+\d+/.test(screen)), 'scrolled sideways');
		// Where the rule stands on the title row (plain text) shows the width: wider, then back, and the shape holds.
		const rule = (screen: string) => screen.split('\n')[0]?.indexOf('│') ?? -1;
		await session.resize(140, 12);
		await session.waitFor((screen) => rule(screen) > 60);
		await session.resize(100, 12);
		checkShape(await session.waitFor((screen) => rule(screen) > 0 && rule(screen) < 60), 'after a resize');
	});
});
