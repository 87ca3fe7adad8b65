import {once} from 'node:events';
import {createWriteStream, type WriteStream} from 'node:fs';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {exportFormatOf, jsonLine, logLine} from './export-format.js';
import {selectedLine, type ExportSelection} from './export-lines.js';
import type {LineWindow} from './line-window.js';

export type ExportWriteOptions = {
	/** Write over a file that exists (the second Enter); without it a file that exists is left alone (`wx`). */
	overwrite?: boolean;
	/** Told after each chunk: lines done of all selected. */
	onProgress?: (done: number, total: number) => void;
};

/** What a write came to: lines written (none when it failed), lines the window gave up before their turn, and what failed, said for the user. */
export type ExportOutcome = {written: number; gone: number; error?: string};

/** Lines a chunk formats at most, and text it gathers at most: a chunk costs about a millisecond, keys are read between chunks. */
const CHUNK_LINES = 1000;
const CHUNK_CHARS = 256 * 1024;
const HIGH_WATER_MARK = 256 * 1024;

const REASONS: Record<string, string> = {
	ENOENT: 'no such directory',
	ENOTDIR: 'a part of the path is not a directory',
	EISDIR: 'it is a directory',
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EROFS: 'read-only file system',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'disk quota exceeded',
	EFBIG: 'the file is too large',
	EEXIST: 'it exists (it was made meanwhile): S again overwrites it',
	ENAMETOOLONG: 'the name is too long',
};

/** `permission denied (EACCES)`: an fs error in words, with its code for a search. */
export function reasonOf(error: unknown): string {
	const {code, message} = error as NodeJS.ErrnoException;
	return code === undefined ? message : `${REASONS[code] ?? message} (${code})`;
}

/**
 * Writes the selected lines to `file` in chunks, through a write stream with backpressure (a full buffer
 * waits for its drain, and every chunk gives the event loop a turn), so a 100,000-line pane never holds the
 * keys up. The format is the file name's (export-format.ts). It never throws: an error (no directory, no
 * permission, a full disk) comes back in words, with the lines written before it.
 */
export async function writeExport(window: LineWindow, selection: ExportSelection, file: string, options: ExportWriteOptions = {}): Promise<ExportOutcome> {
	const json = exportFormatOf(file) === 'json';
	const total = selection.positions.length;
	let stream: WriteStream | undefined;
	let failure: unknown;
	let written = 0;
	let gone = 0;
	try {
		stream = createWriteStream(file, {flags: options.overwrite ? 'w' : 'wx', highWaterMark: HIGH_WATER_MARK});
		stream.on('error', (error) => {
			failure ??= error;
		});
		await once(stream, 'open');
		for (let at = 0; at < total && failure === undefined; ) {
			let text = '';
			let lines = 0;
			for (const end = Math.min(total, at + CHUNK_LINES); at < end && text.length < CHUNK_CHARS; at++) {
				const line = selectedLine(window, selection, at);
				if (line === undefined) {
					gone++;
					continue;
				}

				text += json ? jsonLine(line, window.seqAt(selection.positions[at]!)) : logLine(line);
				lines++;
			}

			const room = stream.write(text);
			written += lines;
			options.onProgress?.(at, total);
			await (room ? nextTurn() : drained(stream));
		}

		if (failure === undefined) {
			stream.end();
			await once(stream, 'finish');
		}
	} catch (error) {
		failure ??= error;
	}

	if (failure !== undefined) {
		stream?.destroy();
		// What was handed over may be partly on disk: the file is left as it is, and said to be short.
		return {written: 0, gone, error: written > 0 ? `${reasonOf(failure)}; the file is cut short` : reasonOf(failure)};
	}

	return {written, gone};
}

/** The stream took what it held, or failed (its error is kept by the listener above), or was closed. */
async function drained(stream: WriteStream): Promise<void> {
	if (stream.destroyed) {
		return;
	}

	await new Promise<void>((resolve) => {
		const done = () => {
			stream.off('drain', done);
			stream.off('error', done);
			stream.off('close', done);
			resolve();
		};

		stream.on('drain', done);
		stream.on('error', done);
		stream.on('close', done);
	});
}
