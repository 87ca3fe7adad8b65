import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * The real `dbtail` (built dist/) in tmux at 200x30 against a real `dbtail serve`, started in a directory of
 * its own, on a run of 3,000 lines held with `--scrollback 1000`: `S` then Enter writes the 1,000 lines held
 * to `<source>-<run>.log` there, line for line what the server's run download has for them, and says the
 * 2,000 earlier lines are not held; a `.ndjson` name writes JSON, and writing it again asks a second Enter.
 */

const root = path.resolve(import.meta.dirname, '../..');
const RUN = 3000;
/** The port of this test's server, in the range given to this file's author. */
const PORT = 19_800;

describe('S in tmux: the shown lines to a file', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;
	let runId: string;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-export-'));
		server = await startServeProcess(path.join(work, 'e2e.db'), [], {port: PORT});
		const lines = Array.from({length: RUN}, (_, index) =>
			index % 10 === 9 ? {level: 'WARN', message: `slow step ${index + 1}`, taskId: 'load'} : {level: 'INFO', message: `line ${index + 1}`, taskId: 'extract'},
		);
		({runId} = await ingest(server.url, undefined, {automationId: 'exported'}, lines));
		session = await TmuxSession.start({
			command: `node ${path.join(root, 'bin/dbtail.js')} --server ${server.url} --scrollback 1000 automation/exported; read _`,
			width: 200,
			height: 30,
			cwd: work,
		});
	}, 60_000);

	afterAll(async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test('S, Enter: the 1,000 lines held, as the run download writes them, to <source>-<run>.log in the current directory', async () => {
		await session.waitFor((screen) => /slow step 3000\s*$/m.test(screen) && screen.includes('1,000 buffered'), {timeoutMs: 20_000});
		await session.sendKeys('S');
		const name = `automation-exported-${runId}.log`;
		await session.waitFor(`save to: ${name}`);
		await session.sendKeys('Enter');
		await session.waitFor(`wrote 1,000 lines to ./${name} (the 2,000 earlier lines of the run are not held: dbtail follow automation/exported --run ${runId} writes them all)`, {timeoutMs: 15_000});

		const written = readFileSync(path.join(work, name), 'utf8');
		const download = await (await fetch(new URL(`/api/runs/${runId}/logs/download`, server.url))).text();
		// The run's last 1,000 lines, byte for byte.
		expect(written).toBe(download.split('\n').slice(RUN - 1000).join('\n'));
		expect(written.split('\n')[0]).toMatch(/^\S+Z INFO {2}\[extract\] line 2001$/);
	});

	test('a filter applies; .ndjson writes JSON; the same name again asks a second Enter before writing over it', async () => {
		await session.sendKeys('/');
		await session.type('slow');
		await session.sendKeys('Enter');
		await session.waitFor('/slow/ 100 shown');
		await session.sendKeys('S', 'C-u');
		await session.type('slow.ndjson');
		await session.sendKeys('Enter');
		await session.waitFor('wrote 100 lines to ./slow.ndjson');
		const records = readFileSync(path.join(work, 'slow.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as {seq: number; level: string; label: string; message: string});
		expect(records).toHaveLength(100);
		expect(records[0]).toMatchObject({seq: 2010, level: 'WARN', label: 'load', message: 'slow step 2010'});
		expect(records.at(-1)).toMatchObject({seq: 3000, message: 'slow step 3000'});

		// A narrower filter, the same name again: the file is there, so the first Enter only asks.
		await session.sendKeys('/', 'End');
		await session.type(' step 29');
		await session.sendKeys('Enter');
		await session.waitFor('/slow step 29/ 10 shown');
		await session.sendKeys('S', 'C-u');
		await session.type('slow.ndjson');
		await session.sendKeys('Enter');
		await session.waitFor('save to: slow.ndjson   exists: Enter again writes over it');
		expect(readFileSync(path.join(work, 'slow.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(100);
		await session.sendKeys('Enter');
		await session.waitFor('wrote 10 lines to ./slow.ndjson');
		expect(readFileSync(path.join(work, 'slow.ndjson'), 'utf8').trimEnd().split('\n')).toHaveLength(10);
	});
});
