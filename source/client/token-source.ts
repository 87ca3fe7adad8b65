import {execFile} from 'node:child_process';
import {sanitizeInline} from '../protocol/sanitize.js';

/**
 * The bearer token, and its refresh: `--token-command CMD` prints a fresh token on stdout, as kubectl
 * credential plugins do. The token is never part of an error message: only the command's exit and stderr.
 */
export class TokenSource {
	#token: string | undefined;

	constructor(
		token: string | undefined,
		readonly command: string | undefined,
	) {
		this.#token = token || undefined;
	}

	get token(): string | undefined {
		return this.#token;
	}

	get canRefresh(): boolean {
		return Boolean(this.command);
	}

	/** Runs the token command; rejects with a message fit to show the user. */
	async refresh(): Promise<string> {
		const command = this.command;
		if (!command) {
			throw new Error('no --token-command to refresh the token with');
		}

		const token = await new Promise<string>((resolve, reject) => {
			execFile('/bin/sh', ['-c', command], {timeout: 30_000, maxBuffer: 1 << 20}, (error, stdout, stderr) => {
				if (error) {
					const why = sanitizeInline(String(stderr).trim().split('\n')[0] ?? '').slice(0, 200);
					const how = error.killed ? 'timed out' : `exited with ${String(error.code ?? error.signal)}`;
					reject(new Error(`token command ${how}${why ? `: ${why}` : ''}`));
					return;
				}

				resolve(String(stdout).trim());
			});
		});
		if (!token || /\s/.test(token)) {
			throw new Error('token command printed no usable token (expected one line with no spaces)');
		}

		this.#token = token;
		return token;
	}

	headers(): Record<string, string> {
		return this.#token ? {Authorization: `Bearer ${this.#token}`} : {};
	}
}
