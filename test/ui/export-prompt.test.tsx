import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer, viewerWithLines} from './render-viewer.js';

/* What `S` draws: its prompt on the default name, the second Enter a file that exists asks for, where it wrote, the help row and the footer. */

let work: string;

beforeEach(() => {
	work = mkdtempSync(path.join(tmpdir(), 'dbtail-export-ui-'));
});

afterEach(() => {
	cleanup();
	rmSync(work, {recursive: true, force: true});
});

const ctrlU = '\u0015';

describe('S, save the shown lines', () => {
	it('asks where, on <source>-<run>.log; a file that exists needs a second Enter; the status bar says where and how many', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'connect', keys.enter);
		await viewer.showing('/connect/ 2 shown');
		await viewer.press('S');
		await viewer.showing('save to: task-a-r-1.log', 'Enter write · .ndjson / .jsonl writes JSON · Esc cancel');

		const file = path.join(work, 'a.log');
		writeFileSync(file, 'old\n');
		await viewer.press(ctrlU, file, keys.enter);
		const warned = await viewer.showing(`save to: ${file}`, 'exists: Enter again writes over it');
		expect(warned).not.toContain('Enter write');
		expect(readFileSync(file, 'utf8')).toBe('old\n');

		await viewer.press(keys.enter);
		const wrote = await viewer.showing(`wrote 2 lines to ${file}`);
		expect(wrote).not.toContain('save to:');
		// The filter applied: the two lines it shows, as the run download writes them.
		expect(readFileSync(file, 'utf8')).toMatch(/^\S+Z INFO {2}connect ok\n\S+Z INFO {2}connect ok again\n$/);
	});

	it('says what failed in the status bar, and the viewer goes on', async () => {
		// Wide enough for the whole message beside the pane's state.
		const viewer = renderViewer({sources: ['task/a'], columns: 200, rows: 10});
		viewer.stream('task/a').log('connect ok again');
		await viewer.showing('connect ok again');
		writeFileSync(path.join(work, 'plain'), '');
		const file = path.join(work, 'plain', 'x.ndjson');
		await viewer.press('S', ctrlU, file, keys.enter);
		await viewer.showing(`cannot write ${file}: a part of the path is not a directory (ENOTDIR)`);
		await viewer.press('j');
		await viewer.showing('connect ok again');
	});

	it('is in the help, and in the footer where the status bar has room for it', async () => {
		const wide = renderViewer({sources: ['task/a'], columns: 200, rows: 40});
		wide.stream('task/a').log('only line');
		await wide.showing('? help  / filter  s search  T time  e ERROR  p pause  o open  q quit  S save');
		await wide.press('?');
		await wide.showing('c  S             copy the cursor line (tmux or OSC 52) / save the shown lines');
	});
});
