import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeExport} from '../../source/model/export-file.js';
import {exportFormatOf, jsonLine, logLine} from '../../source/model/export-format.js';
import {selectLines} from '../../source/model/export-lines.js';
import {defaultExportName, exportPath, runExport, wroteText} from '../../source/model/export-prompt.js';
import type {PaneLine} from '../../source/model/pane-line.js';
import {PaneStore} from '../../source/model/pane-store.js';
import {char, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {until} from '../helpers/until.js';
import {memoryWorkspace} from '../ui/memory-stream.js';

/*
 * `S`, the export, without a render: which lines go to the file, the two formats, the second Enter before a
 * file is written over, and errors said in words (real files in a temporary directory, real fs errors that
 * fail for root too: a path under a file, and /dev/full for a full disk).
 */

let work: string;

beforeEach(() => {
	work = mkdtempSync(path.join(tmpdir(), 'dbtail-export-'));
});

afterEach(() => {
	rmSync(work, {recursive: true, force: true});
});

const TIME = '2026-11-20T06:00:00.000Z';

function record(seq: number, message: string, extra: Partial<LogRecord> = {}): LogRecord {
	return {id: String(seq), seq, runId: 'r-1', timestamp: TIME, level: 'INFO', message, ...extra};
}

function storeWith(records: LogRecord[], scrollback = 1000): PaneStore {
	const store = new PaneStore({scrollback});
	for (const each of records) {
		store.append(each);
	}

	return store;
}

const text = (typed: string): ViewerKey[] => Array.from(typed, (each) => char(each));
const enter = named('enter');
const read = (file: string) => readFileSync(file, 'utf8');

function viewerOn(source = 'task/extract') {
	const {workspace, streams} = memoryWorkspace();
	workspace.open(source);
	workspace.focusIndex(0);
	const shell = {quit: () => undefined, redraw: () => undefined, suspend: () => undefined, copy: async () => ({ok: true, message: ''})};
	const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
	const stream = streams.get(source)!;
	const feed = (...keys: ViewerKey[]) => {
		viewer.feed(keys);
	};

	/** What the status bar says, once it says `wrote` or `cannot`. */
	const outcome = async () => {
		await until(() => /^(wrote|cannot)/.test(workspace.message?.text ?? ''), 'the export to end');
		return workspace.message!;
	};

	return {viewer, workspace, stream, feed, outcome};
}

describe('which lines', () => {
	it('writes the lines the pane shows: filter and level applied, notices kept, in order', async () => {
		const store = storeWith([record(1, 'connect ok'), record(2, 'timeout talking to db', {level: 'ERROR'}), record(3, 'retry', {level: 'DEBUG'}), record(4, 'timeout again', {level: 'WARN'})]);
		store.appendNotice('run r-1 failed', TIME);
		store.setFilter('timeout|failed');
		store.setLevelFloor('INFO');
		const file = path.join(work, 'x.log');
		const outcome = await writeExport(store.window, await selectLines(store), file);
		expect(outcome).toEqual({written: 3, gone: 0});
		expect(read(file)).toBe(`${TIME} ERROR timeout talking to db\n${TIME} WARN  timeout again\n${TIME} ── run r-1 failed\n`);
	});

	it('a paused pane writes up to its pause point, not the lines that came since', async () => {
		const store = storeWith([record(1, 'before pause')]);
		store.setPaused(true);
		store.append(record(2, 'after pause'));
		const selection = await selectLines(store);
		expect(selection.positions.length).toBe(1);
	});

	it('`only` narrows the shown lines (marked lines, once there are marks): the rest of the export is the same', async () => {
		const store = storeWith([record(1, 'a'), record(2, 'b'), record(3, 'c'), record(4, 'd')]);
		store.setFilter('!c');
		const marked = new Set([store.window.first + 1, store.window.first + 2, store.window.first + 3]);
		const selection = await selectLines(store, {only: (position) => marked.has(position)});
		const file = path.join(work, 'marked.log');
		await writeExport(store.window, selection, file);
		// c is marked but filtered out: marks narrow what is shown, they do not bring back what is hidden.
		expect(read(file)).toBe(`${TIME} INFO  b\n${TIME} INFO  d\n`);
	});

	it('waits for a filter still being applied in slices, and writes what it lets through', async () => {
		const store = new PaneStore({scrollback: 100_000, slices: {sliceMs: 1, wholeBelow: 1000}});
		for (let seq = 1; seq <= 60_000; seq++) {
			store.append(record(seq, seq % 1000 === 0 ? `needle ${seq}` : `hay ${seq}`));
		}

		store.setFilter('needle');
		expect(store.indexing).toBeDefined();
		const file = path.join(work, 'needles.log');
		const outcome = await writeExport(store.window, await selectLines(store), file);
		expect(outcome.written).toBe(60);
		expect(read(file).split('\n')[0]).toBe(`${TIME} INFO  needle 1000`);
	});

	it('a line the buffer gave up before its turn is not written, and is counted', async () => {
		const store = storeWith([record(1, 'one'), record(2, 'two'), record(3, 'three')], 3);
		const selection = await selectLines(store);
		// A busy stream pushes the two oldest out before the write starts.
		store.append(record(4, 'four'));
		store.append(record(5, 'five'));
		const file = path.join(work, 'gone.log');
		expect(await writeExport(store.window, selection, file)).toEqual({written: 1, gone: 2});
		expect(read(file)).toBe(`${TIME} INFO  three\n`);
	});
});

describe('formats', () => {
	const line = (message: string, extra: Partial<PaneLine> = {}): PaneLine => ({timestamp: TIME, level: 'INFO', message, notice: false, ...extra});

	it('.log is the run download\'s line: time as carried, level padded to 5, [label], message; multi-line goes on as is', () => {
		expect(logLine(line('loaded 40 rows', {label: 'extract'}))).toBe(`${TIME} INFO  [extract] loaded 40 rows\n`);
		expect(logLine(line('boom\n  at x', {level: 'FATAL'}))).toBe(`${TIME} FATAL boom\n  at x\n`);
	});

	it('.log neutralizes control characters: no ESC, BEL or CR reaches a terminal that cats the file', () => {
		const written = logLine(line('\u001B[31mred\u0007 40%\r80%', {label: 'a\u001Bb'}));
		expect(written).toBe(`${TIME} INFO  [a␛b] ␛[31mred␇ 40%␍80%\n`);
	});

	it('.ndjson and .jsonl are one JSON object a line, DEL, C1 and bidi controls escaped; a notice says it is one', () => {
		const written = jsonLine(line('quote " and \u009B and \u202E', {label: 'extract', level: 'WARN'}), 7);
		expect(written.endsWith('\n')).toBe(true);
		expect(written).not.toMatch(/[\u007F-\u009F\u202A-\u202E]/);
		expect(JSON.parse(written)).toEqual({seq: 7, timestamp: TIME, level: 'WARN', label: 'extract', message: 'quote " and \u009B and \u202E'});
		expect(JSON.parse(jsonLine(line('run r-1 started', {notice: true}), undefined))).toEqual({timestamp: TIME, notice: true, message: 'run r-1 started'});
	});

	it('the file name says the format', async () => {
		expect(['x.ndjson', 'x.jsonl', 'X.JSONL', 'x.log', 'x.txt', 'ndjson'].map((name) => exportFormatOf(name))).toEqual(['json', 'json', 'json', 'log', 'log', 'log']);
		const store = storeWith([record(1, 'a', {taskId: 'extract'}), record(2, 'b')]);
		const file = path.join(work, 'x.jsonl');
		await writeExport(store.window, await selectLines(store), file);
		expect(read(file).trimEnd().split('\n').map((each) => JSON.parse(each) as unknown)).toEqual([
			{seq: 1, timestamp: TIME, level: 'INFO', label: 'extract', message: 'a'},
			{seq: 2, timestamp: TIME, level: 'INFO', message: 'b'},
		]);
	});
});

describe('names', () => {
	it('defaults to <source>-<run>.log, safe for a shell; a source with no one run has no run', () => {
		expect(defaultExportName('automation/nightly-etl', 'r-4021')).toBe('automation-nightly-etl-r-4021.log');
		expect(defaultExportName('task/extract?run=r-12', 'r-99')).toBe('task-extract-r-12.log');
		expect(defaultExportName('task/extract', undefined)).toBe('task-extract.log');
		expect(defaultExportName('all', 'r-1')).toBe('all.log');
		expect(defaultExportName('http://127.0.0.1:8080/events?x=1', undefined)).toBe('http-127.0.0.1-8080-events-x-1.log');
	});

	it('a relative name is in the current directory, ~/ in the home directory', () => {
		expect(exportPath('x.log', '/work')).toBe('/work/x.log');
		expect(exportPath('../y.ndjson', '/work/a')).toBe('/work/y.ndjson');
		expect(exportPath('~/z.log', '/work')).toMatch(/^\/.*\/z\.log$/);
		expect(exportPath('~/z.log', '/work').startsWith('/work')).toBe(false);
	});
});

describe('S in the viewer', () => {
	it('opens a prompt on <source>-<run>.log; Enter writes there and the status bar says where and how many', async () => {
		const {viewer, workspace, stream, feed, outcome} = viewerOn();
		stream.log('connect ok');
		stream.log('loaded', 'WARN');
		feed(char('S'));
		expect(viewer.mode).toBe('export');
		expect(viewer.prompt?.editor.text).toBe('task-extract-r-1.log');
		const file = path.join(work, 'out.log');
		feed(named('home'), ...Array.from({length: 30}, () => named('delete')), ...text(file), enter);
		expect(viewer.mode).toBe('normal');
		expect((await outcome()).text).toBe(`wrote 2 lines to ${file}`);
		expect(read(file)).toMatch(/ INFO {2}connect ok\n.* WARN {2}loaded\n$/);
		expect(workspace.message?.error).toBe(false);
	});

	it('a file that exists is written over only on a second Enter; an edit in between asks again', async () => {
		const {viewer, workspace, stream, feed, outcome} = viewerOn();
		stream.log('new text');
		const file = path.join(work, 'kept.log');
		writeFileSync(file, 'old text\n');
		feed(char('S'), ctrlU, ...text(file), enter);
		expect(viewer.mode).toBe('export');
		expect(viewer.prompt?.error).toBe('exists: Enter again writes over it');
		expect(read(file)).toBe('old text\n');
		// An edit, even one that comes back to the same name, clears the warning: Enter warns again.
		feed(named('backspace'), char('g'));
		expect(viewer.prompt?.error).toBeUndefined();
		feed(enter);
		expect(viewer.mode).toBe('export');
		expect(read(file)).toBe('old text\n');
		feed(enter);
		expect(viewer.mode).toBe('normal');
		expect((await outcome()).text).toBe(`wrote 1 line to ${file}`);
		expect(read(file)).toMatch(/ INFO {2}new text\n$/);
		expect(workspace.message?.error).toBe(false);
	});

	it('a directory or no name keeps the prompt open saying why', () => {
		const {viewer, feed} = viewerOn();
		feed(char('S'), ctrlU, ...text(work), enter);
		expect(viewer.prompt?.error).toBe('that is a directory: give a file name');
		feed(ctrlU, enter);
		expect(viewer.prompt?.error).toBe('a file name, please');
		feed(named('escape'));
		expect(viewer.mode).toBe('normal');
	});
});

const ctrlU: ViewerKey = {kind: 'ctrl', char: 'u'};

describe('errors are said, never thrown', () => {
	it('a path under a file (ENOTDIR), a directory that does not exist (ENOENT)', async () => {
		const {workspace, stream, feed, outcome} = viewerOn();
		stream.log('a line');
		writeFileSync(path.join(work, 'plain'), '');
		feed(char('S'), ctrlU, ...text(path.join(work, 'plain', 'x.log')), enter);
		const said = await outcome();
		expect(said).toMatchObject({text: `cannot write ${path.join(work, 'plain', 'x.log')}: a part of the path is not a directory (ENOTDIR)`, error: true});
		workspace.hush();
		feed(char('S'), ctrlU, ...text(path.join(work, 'none', 'x.log')), enter);
		expect((await outcome()).text).toBe(`cannot write ${path.join(work, 'none', 'x.log')}: no such directory (ENOENT)`);
	});

	it('a full disk (/dev/full, ENOSPC) is said with the file cut short', async () => {
		const store = storeWith(Array.from({length: 5000}, (_, index) => record(index + 1, `line ${index + 1}`)), 5000);
		const outcome = await writeExport(store.window, await selectLines(store), '/dev/full', {overwrite: true});
		expect(outcome).toEqual({written: 0, gone: 0, error: 'no space left on the device (ENOSPC); the file is cut short'});
	});

	it('a file made between the check and the write is not written over (wx)', async () => {
		const store = storeWith([record(1, 'a')]);
		const file = path.join(work, 'raced.log');
		writeFileSync(file, 'theirs\n');
		const outcome = await writeExport(store.window, await selectLines(store), file);
		expect(outcome.error).toBe('it exists (it was made meanwhile): S again overwrites it (EEXIST)');
		expect(read(file)).toBe('theirs\n');
	});
});

describe('a big pane', () => {
	it('100,000 lines are written in chunks: the event loop is never held for long, and progress is said', async () => {
		const {workspace} = memoryWorkspace({scrollback: 100_000});
		workspace.open('task/big');
		const pane = workspace.focused!;
		for (let seq = 1; seq <= 100_000; seq++) {
			pane.store.append(record(seq, `line ${seq} ${'x'.repeat(80)}`));
		}

		const said: string[] = [];
		const say = workspace.say.bind(workspace);
		workspace.say = (message, error, now) => {
			said.push(message);
			say(message, error, now);
		};

		// Turns of the event loop while it writes: keys land in those turns. Counted, not timed, so a busy machine cannot fail it.
		let turns = 0;
		let writing = true;
		const turn = () => {
			turns++;
			if (writing) {
				setImmediate(turn);
			}
		};

		setImmediate(turn);
		const file = path.join(work, 'big.log');
		const outcome = await runExport({pane, workspace}, file, './big.log', {overwrite: false});
		writing = false;
		expect(outcome).toEqual({written: 100_000, gone: 0});
		expect(said[0]).toBe('writing ./big.log…');
		expect(said.at(-1)).toBe('wrote 100,000 lines to ./big.log');
		expect(read(file).split('\n')).toHaveLength(100_001);
		// Chunks of at most 1,000 lines with a turn between them: 100 turns at least; one write of the whole pane gives a handful.
		expect(turns).toBeGreaterThanOrEqual(100);
	});

	it('says when the run\'s earlier lines are not held, and how to write them all', () => {
		const {workspace, stream} = memoryWorkspace();
		workspace.open('automation/nightly-etl');
		stream('automation/nightly-etl').log('x');
		const pane = workspace.focused!;
		expect(wroteText(pane, './x.log', {written: 1000, gone: 0}, 49_000)).toBe(
			'wrote 1,000 lines to ./x.log (the 49,000 earlier lines of the run are not held: dbtail follow automation/nightly-etl --run r-1 writes them all)',
		);
		expect(wroteText(pane, './x.log', {written: 1, gone: 2}, 1)).toBe('wrote 1 line to ./x.log (the 1 earlier line of the run is not held: dbtail follow automation/nightly-etl --run r-1 writes them all; 2 lines left the buffer before their turn)');
	});
});
