import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';

/*
 * Drives a real terminal: a detached tmux session on a private socket (`tmux -L`), so tests and benches
 * never touch a user's tmux. Keys go in with send-keys, the screen comes out with capture-pane, and every
 * wait polls the screen until a condition holds or a deadline passes (no fixed sleeps).
 */

const run = promisify(execFile);

export type TmuxOptions = {
	/** A shell command line, run by tmux's default shell (`sh -c`). Use `exec` to make it the pane's process. */
	command: string;
	width?: number;
	height?: number;
	cwd?: string;
	/** Extra environment for the command (tmux's own environment is inherited too). */
	env?: Record<string, string>;
};

export type CaptureOptions = {
	/** Keep colors and attributes as SGR escapes (`capture-pane -e`). */
	escapes?: boolean;
};

export type WaitOptions = {
	timeoutMs?: number;
	/** Poll interval; capture-pane costs a few ms, so 20 to 50 ms keeps the machine free for the program. */
	intervalMs?: number;
	escapes?: boolean;
};

export class TmuxTimeoutError extends Error {
	constructor(
		what: string,
		readonly screen: string,
	) {
		super(`timed out waiting for ${what}; the screen was:\n${screen}`);
		this.name = 'TmuxTimeoutError';
	}
}

export class TmuxSession {
	/** Starts `command` in a new detached session of `width` x `height`, with no tmux status line. */
	static async start(options: TmuxOptions): Promise<TmuxSession> {
		const socket = `dbtail-${process.pid}-${randomBytes(4).toString('hex')}`;
		const session = new TmuxSession(socket, 'main:0.0');
		const environment = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
		// Options are set before the session exists, so a command that exits at once still leaves its
		// pane (remain-on-exit) for the test to read, and the pane gets every row (status off). The empty
		// remain-on-exit-format matters: tmux 3.3 otherwise prints "Pane is dead" on the last row, which
		// scrolls the screen a test wants to read after the program quit.
		await session.tmux(
			'start-server',
			';',
			'set-option',
			'-g',
			'remain-on-exit',
			'on',
			';',
			'set-option',
			'-g',
			'remain-on-exit-format',
			'',
			';',
			'set-option',
			'-g',
			'status',
			'off',
			';',
			'set-option',
			'-g',
			'history-limit',
			'5000',
			';',
			'new-session',
			'-d',
			'-s',
			'main',
			'-x',
			String(options.width ?? 80),
			'-y',
			String(options.height ?? 24),
			...(options.cwd ? ['-c', options.cwd] : []),
			...environment,
			options.command,
		);
		return session;
	}

	private closed = false;

	private constructor(
		readonly socket: string,
		readonly target: string,
	) {}

	/** Runs one tmux command on this session's private server. */
	async tmux(...args: string[]): Promise<string> {
		// `-f /dev/null`: a user's ~/.tmux.conf must not change what tests see. UTF-8 forced for the same reason.
		const {stdout} = await run('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args], {
			env: {...process.env, LC_ALL: 'C.UTF-8'},
			maxBuffer: 16 * 1024 * 1024,
		});
		return stdout;
	}

	/** Named keys as tmux spells them: `Enter`, `Escape`, `Space`, `Tab`, `BTab`, `C-c`, `PageUp`, `q`. */
	async sendKeys(...keys: string[]): Promise<void> {
		await this.tmux('send-keys', '-t', this.target, ...keys);
	}

	/** Text typed as is, character by character (no key-name lookup). */
	async type(text: string): Promise<void> {
		await this.tmux('send-keys', '-t', this.target, '-l', text);
	}

	/** The visible screen, one string with a newline after each row. */
	async capture(options: CaptureOptions = {}): Promise<string> {
		return this.tmux('capture-pane', '-p', '-t', this.target, ...(options.escapes ? ['-e'] : []));
	}

	/** Polls the screen until `condition` holds; returns the screen that satisfied it. */
	async waitFor(
		condition: RegExp | string | ((screen: string) => boolean),
		options: WaitOptions = {},
	): Promise<string> {
		const test =
			typeof condition === 'function'
				? condition
				: typeof condition === 'string'
					? (screen: string) => screen.includes(condition)
					: (screen: string) => condition.test(screen);
		const what = typeof condition === 'function' ? 'a screen condition' : String(condition);
		const deadline = Date.now() + (options.timeoutMs ?? 10_000);
		let screen = '';
		for (;;) {
			screen = await this.capture({escapes: options.escapes});
			if (test(screen)) {
				return screen;
			}

			if (Date.now() >= deadline) {
				throw new TmuxTimeoutError(what, screen);
			}

			await delay(options.intervalMs ?? 25);
		}
	}

	/**
	 * Polls until the pane's process has exited (the pane stays, remain-on-exit). tmux 3.3 does not always
	 * learn the exit status (#{pane_dead_status} stays empty now and then), so a test that needs it runs
	 * `cmd; echo "exited $?"` and reads the screen.
	 */
	async waitForExit(options: WaitOptions = {}): Promise<void> {
		const deadline = Date.now() + (options.timeoutMs ?? 10_000);
		while (!(await this.isDead())) {
			if (Date.now() >= deadline) {
				throw new TmuxTimeoutError('the pane process to exit', await this.capture());
			}

			await delay(options.intervalMs ?? 25);
		}
	}

	async isDead(): Promise<boolean> {
		return (await this.format('#{pane_dead}')) === '1';
	}

	/** The pid of the pane's process: the program itself when the command starts with `exec`. */
	async panePid(): Promise<number> {
		return Number(await this.format('#{pane_pid}'));
	}

	async resize(width: number, height: number): Promise<void> {
		await this.tmux('resize-window', '-t', this.target, '-x', String(width), '-y', String(height));
	}

	/** Copies everything the program writes to the terminal into `shellCommand`'s stdin (`pipe-pane -O`). */
	async pipeOutput(shellCommand: string): Promise<void> {
		await this.tmux('pipe-pane', '-O', '-t', this.target, shellCommand);
	}

	async format(format: string): Promise<string> {
		return (await this.tmux('display-message', '-p', '-t', this.target, format)).trimEnd();
	}

	/** Ends the session's tmux server and with it the pane's process (SIGHUP). Safe to call twice. */
	async kill(): Promise<void> {
		if (this.closed) {
			return;
		}

		this.closed = true;
		try {
			await this.tmux('kill-server');
		} catch {
			// Already gone: the server exits by itself when its last session ends.
		}

		// tmux leaves its socket file behind; a test run must not litter /tmp with them.
		const directory = path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
		await rm(path.join(directory, this.socket), {force: true});
	}
}

export async function delay(ms: number): Promise<void> {
	await new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Screen text without trailing blanks on each row, for readable assertions. */
export function trimScreen(screen: string): string {
	return screen
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n')
		.trimEnd();
}
