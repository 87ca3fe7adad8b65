import {statSync, type Stats} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {formatStreamName} from '../protocol/streams.js';
import {count, counted} from './count-text.js';
import {writeExport, type ExportOutcome} from './export-file.js';
import {selectLines, type ExportChoice} from './export-lines.js';
import type {Pane} from './pane.js';
import {paneRunId, streamRefOf} from './run-access.js';
import type {Workspace} from './workspace.js';

/*
 * `S`: the prompt's side of an export. Its line starts as a name for the pane's lines in the current
 * directory, Enter writes there, and a file that exists is written over only on a second Enter with the
 * same name. The write runs on after the prompt closes; the status bar says `writing…`, then where and
 * how many, or what failed.
 */

/** What an export acts on: the focused pane when the prompt opened, and its workspace (the status bar). */
export type ExportTarget = {pane: Pane; workspace: Workspace};

/** A name a shell takes without quotes, from any source: `automation/nightly-etl` → `automation-nightly-etl`. */
function fileSafe(text: string): string {
	return text.replaceAll(/[^\w.-]+/g, '-').replaceAll(/^[-.]+|-+$/g, '').slice(0, 120) || 'dbtail';
}

/** `<source>-<run>.log`: `automation-nightly-etl-r-4021.log`, `task-extract-r-4021.log`; `all.log` (no one run). */
export function defaultExportName(source: string, following: string | undefined): string {
	const ref = streamRefOf(source);
	const base = ref ? formatStreamName({...ref, run: undefined}) : source;
	const run = paneRunId(source, following);
	return `${fileSafe(run === undefined ? base : `${base}-${run}`)}.log`;
}

/** The path a typed name means: `~/` is the home directory, a relative name is in the current directory. */
export function exportPath(text: string, cwd = process.cwd()): string {
	const name = text === '~' || text.startsWith('~/') ? path.join(os.homedir(), text.slice(1)) : text;
	return path.resolve(cwd, name);
}

/** The name as the status bar says it: as typed, `./` before a bare relative one, so it reads as a path. */
function shownName(text: string): string {
	return path.isAbsolute(text) || text.startsWith('~') || text.startsWith('./') || text.startsWith('../') ? text : `./${text}`;
}

/** What is at `file`, if anything; a path that cannot be looked at (under a file, no permission) is left to the write to say. */
function statOf(file: string): Stats | undefined {
	try {
		return statSync(file, {throwIfNoEntry: false});
	} catch {
		return undefined;
	}
}

/** The file the first Enter found existing, per opening of the prompt: a second Enter on it writes over it. */
const warned = new WeakMap<ExportTarget, string>();

export function exportInitial({pane}: ExportTarget): string {
	return defaultExportName(pane.source, pane.run?.runId);
}

/** The name was edited: the next Enter on a file that exists warns again. */
export function exportEdited(target: ExportTarget): undefined {
	warned.delete(target);
	return undefined;
}

/**
 * Enter: starts writing the pane's shown lines (`choice` narrows them: marked lines) and answers undefined,
 * or answers what keeps the prompt open: no name, a directory, a file that exists (the first time).
 */
export function exportSubmit(target: ExportTarget, text: string, choice: ExportChoice = {}): string | undefined {
	const typed = text.trim();
	if (typed === '') {
		return 'a file name, please';
	}

	const file = exportPath(typed);
	const shown = shownName(typed);
	const existing = statOf(file);
	if (existing?.isDirectory()) {
		return 'that is a directory: give a file name';
	}

	const overwrite = existing !== undefined;
	if (overwrite && warned.get(target) !== file) {
		warned.set(target, file);
		return 'exists: Enter again writes over it';
	}

	void runExport(target, file, shown, {overwrite, choice});
	return undefined;
}

/** Progress is said at most this often: each saying asks for a frame. */
const PROGRESS_EVERY_MS = 200;

/** Writes the lines, saying `writing…`, then where and how many, or what failed. Never throws. */
export async function runExport({pane, workspace}: ExportTarget, file: string, shown: string, options: {overwrite: boolean; choice?: ExportChoice}): Promise<ExportOutcome> {
	workspace.say(`writing ${shown}…`);
	const selection = await selectLines(pane.store, options.choice);
	let said = Date.now();
	const outcome = await writeExport(pane.store.window, selection, file, {
		overwrite: options.overwrite,
		onProgress(done, total) {
			const now = Date.now();
			if (now - said >= PROGRESS_EVERY_MS && done < total) {
				said = now;
				workspace.say(`writing ${shown}… ${Math.floor((100 * done) / total)}%`, false, now);
			}
		},
	});
	const marked = options.choice?.only !== undefined;
	if (outcome.error === undefined && marked) {
		// Only the marked lines were asked for: the run's earlier lines are not missing from it.
		const hidden = outcome.written === 0 ? ' (the filter or level hides every marked line)' : '';
		workspace.say(`${wroteText(pane, shown, outcome, undefined, 'marked line')}${hidden}`);
	} else if (outcome.error === undefined) {
		workspace.say(wroteText(pane, shown, outcome, selection.earlier));
	} else {
		workspace.say(`cannot write ${shown}: ${outcome.error}`, true);
	}

	return outcome;
}

/**
 * `wrote 1,000 lines to ./x.log`, and what the file lacks: lines the window gave up while it was written,
 * and the lines of the run before the oldest one held, with the command that writes them all.
 */
export function wroteText(pane: Pane, shown: string, outcome: ExportOutcome, earlier: number | undefined, noun = 'line'): string {
	const notes: string[] = [];
	if (earlier !== undefined && earlier > 0) {
		const ref = streamRefOf(pane.source);
		const run = paneRunId(pane.source, pane.run?.runId);
		const follow = ref && run ? `: dbtail follow ${formatStreamName({...ref, run: undefined})} --run ${run} writes them all` : '';
		notes.push(`${earlier === 1 ? 'the 1 earlier line of the run is' : `the ${count(earlier)} earlier lines of the run are`} not held${follow}`);
	}

	if (outcome.gone > 0) {
		notes.push(`${counted(outcome.gone, 'line')} left the buffer before their turn`);
	}

	const wrote = `wrote ${counted(outcome.written, noun)} to ${shown}`;
	return notes.length === 0 ? wrote : `${wrote} (${notes.join('; ')})`;
}
