import {render} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import type {SourceEntry} from '../../source/model/source-catalog.js';
import {Workspace} from '../../source/model/workspace.js';
import {MemoryStream} from './memory-stream.js';
import {screenText} from './screen-text.js';

/** Lets Ink's input handling and the ~30 Hz frame ticker run. */
export const tick = async (ms = 60) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Options = {
	sources?: string[];
	columns?: number;
	rows?: number;
	loadSources?: () => Promise<SourceEntry[]>;
	scrollback?: number;
};

/** The real App over a real Workspace whose panes read MemoryStreams; keys go through ink-testing-library's stdin. */
export function renderViewer({sources = [], columns = 100, rows = 24, loadSources, scrollback}: Options = {}) {
	const streams = new Map<string, MemoryStream>();
	const raw: string[] = [];
	let quits = 0;
	const workspace = new Workspace({
		server: 'http://dbtail.test',
		scrollback,
		factory(source) {
			const stream = new MemoryStream(source);
			streams.set(source, stream);
			return stream;
		},
	});
	for (const source of sources) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
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
	return {
		...instance,
		/** The frame as the terminal shows it (see screen-text.ts). */
		lastFrame,
		workspace,
		stream,
		raw,
		quits: () => quits,
		/** The screen after the next frame. */
		async screen() {
			await tick();
			return lastFrame();
		},
		/** Types keys one write at a time, waiting around each as Ink needs. */
		async press(...keys: string[]) {
			for (const key of keys) {
				await tick(10);
				instance.stdin.write(key);
				await tick(10);
			}

			await tick();
			return lastFrame();
		},
		/** Writes reads back to back with no frame between them (keys faster than React draws), then draws. */
		async burst(...reads: string[]) {
			for (const read of reads) {
				instance.stdin.write(read);
			}

			await tick();
			return lastFrame();
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
	await viewer.screen();
	return viewer;
}
