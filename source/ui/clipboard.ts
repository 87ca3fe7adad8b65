import {execFile} from 'node:child_process';
import process from 'node:process';
import type {Copied} from '../model/viewer-shell.js';
import {osc52} from './terminal.js';

/*
 * `c` puts a line on the clipboard. Inside tmux, OSC 52 reaches the outer terminal only with
 * `set -g set-clipboard on` (the default `external` drops what programs send), so there the text goes to
 * `tmux load-buffer -w`: into tmux's own paste buffer always, and on to the system clipboard where tmux
 * may forward it. Elsewhere OSC 52 is all there is, and whether the terminal honours it cannot be known,
 * so the message says only that it was asked.
 */

function loadTmuxBuffer(text: string, env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = execFile('tmux', ['load-buffer', '-w', '-'], {timeout: 2000, env}, (error) => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
		// A tmux that exits before reading (no server on that socket) breaks the pipe: the exit is the error
		// that counts, reported above, and an EPIPE on stdin with no listener would take the viewer down.
		child.stdin?.on('error', () => {});
		child.stdin?.end(text);
	});
}

export async function copyText(text: string, writeRaw: (data: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<Copied> {
	const characters = [...text].length;
	if (env.TMUX) {
		try {
			await loadTmuxBuffer(text, env);
			return {ok: true, message: `copied ${characters} characters to the tmux buffer (prefix ] pastes; set -g set-clipboard on for the system clipboard)`};
		} catch {
			// No usable tmux client (an old tmux, another socket): fall back to asking the terminal.
		}
	}

	writeRaw(osc52(text));
	return {ok: true, message: `asked the terminal to copy ${characters} characters (OSC 52; not every terminal allows it)`};
}
