import {render} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import type {RunAccess} from '../../source/model/run-access.js';
import type {SourceEntry} from '../../source/model/source-catalog.js';
import {until} from '../helpers/until.js';
import {expandRows} from '../../source/ui/row-tokens.js';
import {memoryWorkspace} from './memory-stream.js';
import {screenText} from './screen-text.js';

type Options = {
	sources?: string[];
	columns?: number;
	rows?: number;
	loadSources?: () => Promise<SourceEntry[]>;
	scrollback?: number;
	/** The server's runs and tasks (`[`, `]`, `H`, `i`); none by default. */
	runs?: RunAccess;
};

/**
 * The real App over a real Workspace whose panes read MemoryStreams; keys go through ink-testing-library's
 * stdin and Ink's own input parsing. Nothing here sleeps: `press` waits until the viewer has taken the keys
 * (each read it takes asks the workspace for a frame at once), `frame` until the screen shows what is asked.
 */
export function renderViewer({sources = [], columns = 100, rows = 24, loadSources, scrollback, runs}: Options = {}) {
	const raw: string[] = [];
	let quits = 0;
	const {workspace, streams} = memoryWorkspace({scrollback, runs});
	for (const source of sources) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
	// The terminal's size enters the model where the terminal is known, as runApp does it.
	workspace.resize({columns, rows});
	// Each read of keys the viewer takes ends in one urgent change (a frame at once).
	let taken = 0;
	workspace.subscribe((urgent) => {
		if (urgent) {
			taken++;
		}
	});
	const instance = render(
		<App
			workspace={workspace}
			size={{columns, rows}}
			loadSources={loadSources ?? (async () => [])}
			writeRaw={(data) => raw.push(data)}
			onQuit={() => quits++}
		/>,
	);
	const stream = (source: string) => streams.get(source)!;
	const lastFrame = () => screenText(instance.lastFrame() ?? '');
	/** The first frame that satisfies `ok`; fails naming `what` and showing the last frame. */
	const frame = async (ok: (frame: string) => boolean, what: string) => {
		// The frame that satisfied `ok`, not the last one by the time this returns: a frame drawn in between (the
		// clock's, a later line's) would be asserted on without having been checked.
		let checked = '';
		try {
			await until(() => ok((checked = lastFrame())), what, 5000);
		} catch (error) {
			throw new Error(`${(error as Error).message}; the last frame:\n${lastFrame()}`, {cause: error});
		}

		return checked;
	};

	return {
		...instance,
		/** Every frame as the terminal is sent it: styled, with the rows Ink drew as tokens put back (row-tokens.ts). */
		get frames() {
			return instance.frames.map((frame) => expandRows(frame));
		},
		/** The frame as the terminal shows it (see screen-text.ts). */
		lastFrame,
		frame,
		/** A frame that contains every one of `texts`. */
		showing: async (...texts: string[]) => frame((shown) => texts.every((text) => shown.includes(text)), texts.map((text) => JSON.stringify(text)).join(' and ')),
		workspace,
		stream,
		raw,
		quits: () => quits,
		/** Types keys one read each, each taken before the next is written (as a user types). */
		async press(...keys: string[]) {
			for (const key of keys) {
				const before = taken;
				instance.stdin.write(key);
				await until(() => taken > before, `the viewer to take ${JSON.stringify(key)}`, 5000);
			}
		},
		/** Writes reads back to back with no frame between them (keys faster than React draws), then waits until all are taken. */
		async burst(...reads: string[]) {
			const before = taken;
			for (const read of reads) {
				instance.stdin.write(read);
			}

			await until(() => taken >= before + reads.length, `the viewer to take ${reads.length} reads`, 5000);
		},
	};
}

export const keys = {
	escape: '\u001B',
	enter: '\r',
	tab: '\t',
	shiftTab: '\u001B[Z',
	up: '\u001B[A',
	down: '\u001B[B',
	left: '\u001B[D',
	right: '\u001B[C',
	ctrlC: '\u0003',
	backspace: '\u007F',
};

/** A 100x10 viewer on one pane, task/a, holding four lines (one ERROR, one WARN), drawn once. */
export async function viewerWithLines() {
	const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
	const stream = viewer.stream('task/a');
	stream.log('connect ok');
	stream.log('timeout talking to db', 'ERROR');
	stream.log('retry scheduled', 'WARN');
	stream.log('connect ok again');
	await viewer.showing('connect ok again');
	return viewer;
}
